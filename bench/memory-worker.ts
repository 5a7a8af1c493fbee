/**
 * A fresh process for one memory measurement (see workloads/memory.ts). Receives a MemoryJob over
 * IPC, answers a MemoryReport, exits.
 */
import { loadContender } from './contenders/registry';
import type { MemoryJob, MemoryReport } from './workloads/memory';

const SAMPLE_EVERY_MS = 5;
const SAMPLE_EVERY_MESSAGES = 500;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory worker needs --expose-gc');
  gc();
  gc();
}

/**
 * The baseline is taken with the code loaded and garbage collected, before connecting: the growth
 * is everything a process pays to read the session (connection, statements, pages, objects).
 */
async function measure(job: MemoryJob): Promise<MemoryReport> {
  const contender = loadContender(job.contender);
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = (): void => {
    const now = process.memoryUsage();
    if (now.rss > peakRss) peakRss = now.rss;
    if (now.heapUsed > peakHeap) peakHeap = now.heapUsed;
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  let iterated = 0;
  try {
    const instance = await contender.attach(job.keyspace, { bucketSpanMs: job.bucketSpanMs });
    try {
      const handle = await instance.session(job.sessionId);
      for await (const content of handle.iterate()) {
        void content;
        iterated += 1;
        if (iterated % SAMPLE_EVERY_MESSAGES === 0) sample();
      }
      sample();
      await handle.release();
    } finally {
      await instance.close();
    }
  } finally {
    clearInterval(timer);
  }
  return { iterated, peakRssGrowthBytes: peakRss - base.rss, peakHeapGrowthBytes: peakHeap - base.heapUsed };
}

process.once('message', (job: MemoryJob) => {
  measure(job)
    .catch((err: unknown): MemoryReport => ({
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    }))
    .then((report) => process.send?.(report, () => process.exit(0)));
});
