import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ContenderName } from '../contenders/contender';
import { median, rotation } from '../support/stats';
import type { MemoryResult, Outcome } from '../results-model';
import { errorText, seedPlan, withOpened, type ByContender, type WorkloadContext } from './context';

/** What the parent asks a memory worker to do. */
export interface MemoryJob {
  readonly contender: ContenderName;
  readonly keyspace: string;
  readonly bucketSpanMs: number;
  readonly sessionId: string;
}

/** What a memory worker answers. */
export type MemoryReport =
  | { readonly iterated: number; readonly peakRssGrowthBytes: number; readonly peakHeapGrowthBytes: number }
  | { readonly error: string };

const WORKER = join(__dirname, '..', 'memory-worker.ts');
const MiB = 2 ** 20;

/** Runs one measurement in a fresh Node process so earlier workloads cannot pollute its RSS. */
function runWorker(job: MemoryJob): Promise<MemoryReport> {
  return new Promise((resolve) => {
    const child = fork(WORKER, [], {
      cwd: join(__dirname, '..', '..'),
      execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: MemoryReport | undefined;
    child.on('message', (message: MemoryReport) => {
      report = message;
    });
    child.on('error', (err) => resolve({ error: errorText(err) }));
    child.on('exit', (code) => resolve(report ?? { error: `memory worker exited with code ${code} and no report` }));
    child.send(job);
  });
}

/**
 * Memory: peak RSS growth while iterating a large session against a small one, each in a fresh
 * worker process that loads the code, collects garbage and takes its baseline, then connects and
 * iterates while it samples RSS every 5 ms and every 500 messages. Everything reading the session
 * costs counts (connection, prepared statements, pages, objects), so the small case is not a
 * near-zero denominator and the ratio says how much the session's length adds.
 */
export async function memoryWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<MemoryResult[]>>> {
  const { small, large, repetitions } = ctx.config.memory;
  const sizes = [small, large];
  return withOpened<MemoryResult[]>(ctx, 'memory', async (opened) => {
    const failures = new Map<ContenderName, string>();
    const samples = new Map<string, { rss: number[]; heap: number[]; iterated: number }>();
    for (const o of opened) {
      try {
        ctx.log(`memory: seeding ${o.contender.name}`);
        for (const size of sizes) await o.instance.seed(`mem-${size}`, size, seedPlan(ctx.config));
      } catch (err) {
        failures.set(o.contender.name, errorText(err));
      }
    }
    for (let rep = 0; rep < repetitions; rep += 1) {
      for (const o of rotation(opened, rep)) {
        const name = o.contender.name;
        if (failures.has(name)) continue;
        for (const size of rotation(sizes, rep)) {
          const report = await runWorker({
            contender: name,
            keyspace: o.keyspace,
            bucketSpanMs: ctx.config.bucketSpanMs,
            sessionId: `mem-${size}`,
          });
          if ('error' in report) {
            failures.set(name, report.error);
            break;
          }
          const key = `${name}:${size}`;
          const entry = samples.get(key) ?? { rss: [], heap: [], iterated: report.iterated };
          entry.rss.push(report.peakRssGrowthBytes / MiB);
          entry.heap.push(report.peakHeapGrowthBytes / MiB);
          samples.set(key, entry);
          ctx.log(
            `memory ${name} ${size}: iterated ${report.iterated}, peak RSS +${(report.peakRssGrowthBytes / MiB).toFixed(1)} MiB`,
          );
        }
      }
    }
    const results: ByContender<Outcome<MemoryResult[]>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const failure = failures.get(name);
      if (failure !== undefined) {
        results[name] = { error: failure };
        continue;
      }
      results[name] = sizes.map((size) => {
        const entry = samples.get(`${name}:${size}`) ?? { rss: [], heap: [], iterated: 0 };
        return {
          size,
          iterated: entry.iterated,
          peakRssGrowthMiB: median(entry.rss),
          peakHeapGrowthMiB: median(entry.heap),
          samplesMiB: entry.rss,
        };
      });
    }
    return results;
  });
}
