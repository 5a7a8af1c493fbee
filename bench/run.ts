/**
 * `npm run bench`: raw driver vs the package's ChatHistory facade vs LangChain.js on the same node.
 * See bench/README.md for the method and how to read the results.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createClient } from '../src/config';
import { loadConfig, USAGE, UsageError, WORKLOAD_NAMES, type BenchConfig, type WorkloadName } from './config';
import { loadContender } from './contenders/registry';
import type { Contender } from './contenders/contender';
import { checkTargets, collectFindings, computeRatios, renderMarkdown, renderSummary } from './report';
import type { BenchResults } from './results-model';
import { currentLoad, machineInfo } from './support/machine';
import { updateReadmeSection } from './support/readme-section';
import { appendWorkload } from './workloads/append';
import { batchWorkload } from './workloads/batch';
import { chatTurnWorkload } from './workloads/chat-turn';
import { clearWorkload } from './workloads/clear';
import type { WorkloadContext } from './workloads/context';
import { fullReadWorkload } from './workloads/full-read';
import { lastNWorkload } from './workloads/last-n';
import { memoryWorkload } from './workloads/memory';
import { transformWorkload } from './workloads/transform';

const REPO_ROOT = join(__dirname, '..');

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Makes sure a node answers: reuses a running one, boots the project's own node otherwise. */
function ensureNode(): void {
  const result = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'cassandra', 'start.sh')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error('no Cassandra node answers (scripts/cassandra/start.sh failed)');
  log(`Cassandra node: ${result.stdout.trim() || 'ready'}`);
}

/** A full run of every contender and workload into bench/results/latest.*: the one the README shows. */
function isReferenceRun(config: BenchConfig): boolean {
  return (
    config.mode === 'full' &&
    config.contenders.length === 3 &&
    config.workloads.length === WORKLOAD_NAMES.length &&
    config.out.markdown === join(__dirname, 'results', 'latest.md')
  );
}

async function runWorkloads(config: BenchConfig, ctx: WorkloadContext): Promise<BenchResults['workloads']> {
  const w: BenchResults['workloads'] = {};
  const steps: Record<WorkloadName, () => Promise<void>> = {
    transform: async () => void (w.transform = await transformWorkload(ctx)),
    append: async () => void (w.append = await appendWorkload(ctx)),
    batch: async () => void (w.batch = await batchWorkload(ctx)),
    last: async () => void (w.last = await lastNWorkload(ctx)),
    'full-read': async () => void (w.fullRead = await fullReadWorkload(ctx)),
    clear: async () => void (w.clear = await clearWorkload(ctx)),
    memory: async () => void (w.memory = await memoryWorkload(ctx)),
    'chat-turn': async () => void (w.chat = await chatTurnWorkload(ctx)),
  };
  for (const name of config.workloads) {
    log(`workload ${name}`);
    await steps[name]();
  }
  return w;
}

async function main(): Promise<number> {
  let config: BenchConfig | 'help';
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (config === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  ensureNode();
  const contenders: Contender[] = config.contenders.map(loadContender);
  const admin = createClient();
  await admin.connect();
  try {
    const machine = await machineInfo(admin);
    log(`${config.mode} run: ${contenders.map((c) => c.name).join(', ')}; workloads ${config.workloads.join(', ')}`);
    const started = new Date();
    const workloads = await runWorkloads(config, { config, contenders, admin, log });
    const finished = new Date();
    const ratios = computeRatios(config, workloads);
    const results: BenchResults = {
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationSeconds: (finished.getTime() - started.getTime()) / 1000,
      mode: config.mode,
      config: {
        ...config,
        out: { markdown: relative(REPO_ROOT, config.out.markdown), json: relative(REPO_ROOT, config.out.json) },
      },
      machine: { ...machine, loadAverage: { start: machine.loadAverage.start, end: currentLoad() } },
      contenders: contenders.map((c) => ({ name: c.name, label: c.label, version: c.version })),
      workloads,
      ratios,
      targets: checkTargets(config, workloads, ratios),
      findings: collectFindings(config, workloads),
    };
    const markdown = renderMarkdown(results);
    mkdirSync(dirname(config.out.markdown), { recursive: true });
    writeFileSync(config.out.markdown, markdown);
    writeFileSync(config.out.json, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\n${markdown}\n`);
    log(`written: ${relative(process.cwd(), config.out.markdown)}, ${relative(process.cwd(), config.out.json)}`);
    // The charts come from the JSON just written (bench/charts.mjs: an ES module, as vega is).
    const charts = spawnSync(process.execPath, [join(__dirname, 'charts.mjs'), config.out.json], { encoding: 'utf8' });
    log(charts.status === 0 ? charts.stdout.trim() : `charts not rendered: ${charts.stderr.trim()}`);
    if (isReferenceRun(config)) {
      const readme = join(REPO_ROOT, 'README.md');
      const updated = updateReadmeSection(readme, renderSummary(results));
      log(updated ? 'README.md Performance section updated' : 'README.md has no bench:results markers: not updated');
    }
    return 0;
  } finally {
    await admin.shutdown();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
