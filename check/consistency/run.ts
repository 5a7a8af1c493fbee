/**
 * `npm run check:consistency`: a Jepsen-style check of the package's "nothing lost" promise. Worker
 * processes (each with its own client and store) run random operations on a few shared sessions
 * while this process kills workers and freezes the node; every invocation and completion goes to a
 * history file, which the model checker (model-checker.ts) verifies once a quiescent phase has
 * read every session through every path. Flags: see args.ts (`--help`).
 */
import 'reflect-metadata';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MigrationRunner } from '../../src';
import { createClient } from '../../src/config';
import { freezeNode, startNode, stopNode, thawNode, type LocalNode } from '../../test/support/nodes';
import { parseArgs, USAGE, UsageError, type CheckArgs } from './args';
import { faultSchedule, type ScheduledFault } from './faults';
import { appendEvent, now, readHistory } from './history';
import { checkHistory, type CheckSummary, type Violation } from './model-checker';
import type { WorkerConfig, WorkerToParent } from './worker';

/** The checker's own node: frozen at will, never the shared one. `batch`: a restart loses nothing acknowledged. */
const CONSISTENCY_NODE: LocalNode = { name: 'consistency', address: '127.0.0.5', auth: false, commitlogSync: 'batch' };
const SESSIONS = ['s0', 's1', 's2', 's3'];
const USER_ID = 'u-check';
/** Workers fail fast while the node is frozen instead of waiting the default 12 s. */
const WORKER_TIMEOUT_MS = '2000';
const UNKNOWN_MARGIN_MS = 3_000;
const STOP_GRACE_MS = 15_000;

function log(message: string): void {
  process.stderr.write(`[check ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RunningWorker {
  readonly id: string;
  readonly slot: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

class Run {
  private readonly seed: number;
  private readonly keyspace: string;
  private readonly historyFile: string;
  private readonly target: string;
  private readonly faultNode?: LocalNode;
  private readonly workers = new Map<number, RunningWorker>();
  private readonly respawns: Promise<unknown>[] = [];
  private nextWorker = 1;
  private frozen = false;
  private startedNode = false;

  constructor(private readonly args: CheckArgs) {
    this.seed = args.seed ?? randomInt(0, 2 ** 31);
    this.keyspace = `consistency_${this.seed}_${randomBytes(3).toString('hex')}`;
    this.historyFile = args.history ?? join(tmpdir(), `consistency-${this.seed}-${Date.now()}.jsonl`);
    this.target = args.contactPoints ?? CONSISTENCY_NODE.address;
    const faultNode = args.faultNode ?? (args.contactPoints === undefined ? CONSISTENCY_NODE : undefined);
    this.faultNode = faultNode ? { auth: false, ...faultNode } : undefined;
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CASSANDRA_CONTACT_POINTS: this.target,
      CASSANDRA_REQUEST_TIMEOUT_MS: WORKER_TIMEOUT_MS,
      CASSANDRA_CONNECT_TIMEOUT_MS: WORKER_TIMEOUT_MS,
    };
  }

  async execute(): Promise<{ summary: CheckSummary; durationMs: number }> {
    const began = Date.now();
    log(`seed ${this.seed}; history ${this.historyFile}; keyspace ${this.keyspace} on ${this.target}`);
    writeFileSync(this.historyFile, '');
    if (this.args.contactPoints === undefined) {
      process.env.LOCAL_CASSANDRA_HEAP ??= '768M';
      this.startedNode = await startNode(CONSISTENCY_NODE);
      log(`node ${CONSISTENCY_NODE.name} at ${CONSISTENCY_NODE.address}: ${this.startedNode ? 'started' : 'reused'}`);
    }
    await this.migrate();
    try {
      const spawnStart = Date.now();
      await Promise.all(Array.from({ length: this.args.workers }, (_, slot) => this.spawn(slot)));
      log(`${this.args.workers} workers ready in ${Date.now() - spawnStart} ms (ts-node start-up included)`);
      const nodeFaults = this.faultNode !== undefined || this.args.clusterNode !== undefined;
      const schedule = this.args.faults
        ? faultSchedule(this.seed, this.args.seconds, this.args.workers, nodeFaults)
        : [];
      await this.runFaults(schedule, Date.now() + this.args.seconds * 1000);
      await this.stopAll();
      await this.thaw();
      // Requests a frozen node still held, or a killed worker's last one, land within the margin.
      await sleep(UNKNOWN_MARGIN_MS);
      appendEvent(this.historyFile, { type: 'phase', phase: 'quiescent', time: now() });
      const final = await this.spawn(-1, 'final');
      await Promise.race([final.exited, sleep(180_000)]);
    } finally {
      await this.thaw();
      for (const w of this.workers.values()) w.child.kill('SIGKILL');
    }
    const summary = checkHistory(readHistory(this.historyFile), { unknownMarginMs: UNKNOWN_MARGIN_MS });
    await this.cleanUp();
    return { summary, durationMs: Date.now() - began };
  }

  private async migrate(): Promise<void> {
    const client = createClient({}, { ...process.env, CASSANDRA_CONTACT_POINTS: this.target });
    try {
      await new MigrationRunner({ client, keyspace: this.keyspace }).up();
    } finally {
      await client.shutdown();
    }
  }

  private async cleanUp(): Promise<void> {
    if (!this.args.keepKeyspace) {
      const client = createClient({}, { ...process.env, CASSANDRA_CONTACT_POINTS: this.target });
      await client
        .execute(`DROP KEYSPACE IF EXISTS ${this.keyspace}`)
        .catch((error: unknown) => log(`could not drop ${this.keyspace}: ${String(error)}`))
        .finally(() => client.shutdown());
    }
    if (this.startedNode && process.env.KEEP_RELIABILITY_NODES !== '1') await stopNode(CONSISTENCY_NODE);
  }

  /** Forks a worker into `slot` (slot 0 carries the clock skew) and waits until it is connected. */
  private async spawn(slot: number, mode: WorkerConfig['mode'] = 'run'): Promise<RunningWorker> {
    const id = mode === 'final' ? 'final' : `w${this.nextWorker++}`;
    const skewMs = slot === 0 ? this.args.skewMs : 0;
    const config: WorkerConfig = {
      historyFile: this.historyFile,
      keyspace: this.keyspace,
      worker: id,
      seed: this.seed,
      skewMs,
      sessions: SESSIONS,
      userId: USER_ID,
      mode,
      removals: this.args.removals,
      bucketSpanMs: 60_000,
    };
    const child = fork(join(__dirname, 'worker.ts'), [JSON.stringify(config)], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: this.env(),
      // Worker output goes to stderr: stdout stays one clean JSON object with --json.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const worker: RunningWorker = { id, slot, child, exited };
    if (mode === 'run') this.workers.set(slot, worker);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${id} not ready after 90 s`)), 90_000);
      child.on('message', (message: WorkerToParent) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`worker ${id} exited before it was ready (code ${child.exitCode})`));
      });
    });
    appendEvent(this.historyFile, { type: 'fault', fault: 'spawn', worker: id, skewMs, time: now() });
    return worker;
  }

  private async runFaults(schedule: readonly ScheduledFault[], deadline: number): Promise<void> {
    const started = Date.now();
    for (const fault of schedule) {
      const wait = started + fault.at - Date.now();
      if (wait > 0) await sleep(wait);
      if (Date.now() >= deadline) break;
      if (fault.kind === 'kill') {
        const victim = this.workers.get(fault.slot);
        if (!victim) continue;
        victim.child.kill('SIGKILL');
        await victim.exited;
        appendEvent(this.historyFile, { type: 'fault', fault: 'kill', worker: victim.id, time: now() });
        log(`killed worker ${victim.id} (kill -9)`);
        this.workers.delete(fault.slot);
        // In the background: a replacement takes seconds to load (ts-node), the schedule goes on meanwhile.
        this.respawns.push(
          sleep(fault.respawnAfterMs)
            .then(() => this.spawn(fault.slot))
            .catch((error: unknown) => log(`replacement for slot ${fault.slot} failed: ${String(error)}`)),
        );
      } else if (this.args.clusterNode !== undefined) {
        const n = String(this.args.clusterNode);
        await runScript('cluster.sh', ['kill9', n]);
        appendEvent(this.historyFile, { type: 'fault', fault: 'node-kill', node: `cluster${n}`, time: now() });
        log(`killed cluster node ${n} (kill -9) for ${fault.durationMs} ms, then restarting it`);
        await sleep(fault.durationMs);
        await runScript('cluster.sh', ['start-node', n]);
        appendEvent(this.historyFile, { type: 'fault', fault: 'node-restart', node: `cluster${n}`, time: now() });
        log(`restarted cluster node ${n}`);
      } else if (this.faultNode) {
        await freezeNode(this.faultNode);
        this.frozen = true;
        appendEvent(this.historyFile, { type: 'fault', fault: 'freeze', node: this.faultNode.name, time: now() });
        log(`froze node ${this.faultNode.name} for ${fault.durationMs} ms`);
        await sleep(fault.durationMs);
        await this.thaw();
      }
    }
    const rest = deadline - Date.now();
    if (rest > 0) await sleep(rest);
  }

  /** Synchronous thaw for signal handlers, where nothing asynchronous runs any more. */
  thawNow(): void {
    if (!this.frozen || !this.faultNode) return;
    spawnSync('bash', [join(__dirname, '..', '..', 'scripts', 'cassandra', 'signal.sh'), 'CONT'], {
      env: {
        ...process.env,
        LOCAL_CASSANDRA_NAME: this.faultNode.name,
        LOCAL_CASSANDRA_ADDRESS: this.faultNode.address,
      },
      stdio: 'ignore',
    });
    this.frozen = false;
  }

  private async thaw(): Promise<void> {
    if (!this.frozen || !this.faultNode) return;
    await thawNode(this.faultNode);
    this.frozen = false;
    appendEvent(this.historyFile, { type: 'fault', fault: 'thaw', node: this.faultNode.name, time: now() });
  }

  /** Asks every worker to stop after its current operation; one that does not in time is killed. */
  private async stopAll(): Promise<void> {
    await Promise.all(this.respawns);
    await Promise.all(
      [...this.workers.values()].map(async (w) => {
        if (w.child.connected) w.child.send({ type: 'stop' });
        const stopped = await Promise.race([w.exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
        if (!stopped) {
          w.child.kill('SIGKILL');
          await w.exited;
          appendEvent(this.historyFile, { type: 'fault', fault: 'kill', worker: w.id, time: now() });
        }
      }),
    );
    this.workers.clear();
  }

  report(summary: CheckSummary, durationMs: number): string {
    if (this.args.json) {
      return JSON.stringify({
        seed: this.seed,
        operations: summary.operations,
        acknowledged: summary.acknowledged,
        acknowledgedMessages: summary.acknowledgedMessages,
        reads: summary.reads,
        faults: summary.faults,
        violations: summary.violations,
        historyFile: this.historyFile,
        keyspace: this.keyspace,
        durationMs,
      });
    }
    return humanReport(this.seed, this.historyFile, summary, durationMs);
  }
}

function humanReport(seed: number, historyFile: string, summary: CheckSummary, durationMs: number): string {
  const lines = [
    `consistency check, seed ${seed} (${(durationMs / 1000).toFixed(0)} s)`,
    `  ${summary.operations} operations, ${summary.acknowledged} acknowledged (${summary.acknowledgedMessages} messages), ` +
      `${summary.reads} reads, ${summary.faults} faults`,
    `  history: ${historyFile}`,
  ];
  if (summary.violations.length === 0) {
    lines.push('  no violations');
    return lines.join('\n');
  }
  const byKind = new Map<string, Violation[]>();
  for (const v of summary.violations) byKind.set(v.kind, [...(byKind.get(v.kind) ?? []), v]);
  lines.push(`  ${summary.violations.length} violations:`);
  for (const [kind, list] of byKind) {
    lines.push(`  ${kind}: ${list.length}`);
    for (const v of list.slice(0, 5)) {
      const what = v.token !== undefined ? ` message ${v.token}${v.id ? ` (${v.id})` : ''}` : '';
      lines.push(`    ${v.session}${what}, seen by ${v.op} (${v.occurrences}x): ${v.detail}`);
      if (v.related.length > 0) lines.push(`      related: ${v.related.join(', ')}`);
    }
  }
  lines.push(`  replay the schedule with --seed ${seed}`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  let args: CheckArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const run = new Run(args);
  // Interrupted: never leave the node frozen (workers exit on their own when the IPC channel closes).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      run.thawNow();
      process.exit(2);
    });
  }
  const { summary, durationMs } = await run.execute();
  process.stdout.write(`${run.report(summary, durationMs)}\n`);
  return summary.violations.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `[check] harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);

/** Runs one of scripts/cassandra/*.sh and resolves when it exits 0. */
function runScript(name: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(__dirname, '..', '..', 'scripts', 'cassandra', name), ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} ${args.join(' ')} exited ${String(code)}`)),
    );
  });
}
