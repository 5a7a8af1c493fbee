// LangGraph checkpointer benchmark: put + getTuple(latest) latency on a thread with 10 and with
// 10,000 checkpoints, CassandraSaver beside LangGraph's MemorySaver (the in-process floor).
// Run: npm run bench:langgraph [-- --sizes 10,10000 --rounds 300 --out bench/results/langgraph]
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import {
  type BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  emptyCheckpoint,
  MemorySaver,
  uuid6,
} from '@langchain/langgraph-checkpoint';
import { createClient } from '../src/config';
import { CassandraSaver } from '../src/langgraph';
import { MigrationRunner } from '../src/migrations';
import { benchKeyspaceName, createKeyspace, dropKeyspace } from './support/keyspaces';
import { currentLoad, machineInfo, packageVersion } from './support/machine';
import { latencyOf } from './support/latency';
import { timed } from './support/stats';

interface Args {
  readonly sizes: number[];
  readonly rounds: number;
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    sizes: (value('sizes') ?? '10,10000').split(',').map(Number),
    rounds: Number(value('rounds') ?? 300),
    out: value('out') ?? join(__dirname, 'results', 'langgraph'),
  };
}

/** A chat-shaped state: the last 10 messages (~2 KB serialised) change each step; a system prompt never does. */
function stepValues(step: number) {
  const messages = [];
  for (let i = Math.max(0, step - 10); i < step; i += 1) {
    messages.push(
      i % 2 === 0
        ? new HumanMessage(`question ${i}: ${'x'.repeat(80)}`)
        : new AIMessage(`answer ${i}: ${'y'.repeat(120)}`),
    );
  }
  return { messages, system: 'You are a helpful assistant.' };
}

class Thread {
  private step = 0;
  private parent?: string;
  private systemVersion?: number;

  constructor(
    readonly saver: BaseCheckpointSaver,
    readonly threadId: string,
  ) {}

  /** Saves the next checkpoint (the thread's parent chain as a graph makes it). */
  async put(): Promise<void> {
    await this.putStep(this.step++, uuid6(this.step), this.parent);
  }

  /** `count` checkpoints, up to 32 saves in flight (ids drawn in order first, so the chain is the same). */
  async prefill(count: number): Promise<void> {
    const steps = Array.from({ length: count }, (_, i) => ({ step: this.step + i, id: uuid6(this.step + i) }));
    for (let i = 0; i < steps.length; i += 32) {
      await Promise.all(
        steps
          .slice(i, i + 32)
          .map((s, j) => this.putStep(s.step, s.id, i + j === 0 ? this.parent : steps[i + j - 1]?.id)),
      );
    }
    this.step += count;
    this.parent = steps[steps.length - 1]?.id ?? this.parent;
  }

  private async putStep(step: number, id: string, parent: string | undefined): Promise<void> {
    const checkpoint: Checkpoint = { ...emptyCheckpoint(), id };
    const messagesVersion = this.saver.getNextVersion(step === 0 ? undefined : step);
    this.systemVersion ??= this.saver.getNextVersion(undefined);
    checkpoint.channel_values = stepValues(step);
    checkpoint.channel_versions = { messages: messagesVersion, system: this.systemVersion };
    const newVersions: ChannelVersions =
      step === 0 ? { ...checkpoint.channel_versions } : { messages: messagesVersion };
    await this.saver.put(
      { configurable: { thread_id: this.threadId, checkpoint_ns: '', checkpoint_id: parent } },
      checkpoint,
      { source: 'loop', step, parents: {} },
      newVersions,
    );
    this.parent = id;
  }

  async latest(): Promise<void> {
    const tuple = await this.saver.getTuple({ configurable: { thread_id: this.threadId } });
    if (tuple?.checkpoint.id !== this.parent)
      throw new Error(`${this.threadId}: getTuple did not return the latest checkpoint`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const client = createClient();
  const keyspace = benchKeyspaceName('langgraph', 'savers');
  const machine = await machineInfo(client);
  await createKeyspace(client, keyspace);
  await new MigrationRunner({ client, keyspace }).up();
  try {
    const contenders = { cassandra: new CassandraSaver({ client, keyspace }), memory: new MemorySaver() };
    const threads: Array<{ contender: string; size: number; thread: Thread }> = [];
    for (const [contender, saver] of Object.entries(contenders)) {
      for (const size of args.sizes) {
        const thread = new Thread(saver, `${contender}-${size}`);
        const started = Date.now();
        await thread.prefill(size);
        process.stderr.write(`prefilled ${contender} with ${size} checkpoints in ${Date.now() - started} ms\n`);
        threads.push({ contender, size, thread });
      }
    }
    const samples = new Map<string, { put: number[]; getTuple: number[] }>();
    for (const t of threads) samples.set(`${t.contender}/${t.size}`, { put: [], getTuple: [] });
    // Round by round, every thread in turn: machine drift hits all of them alike.
    for (let round = 0; round < args.rounds; round += 1) {
      for (const t of threads) {
        const s = samples.get(`${t.contender}/${t.size}`)!;
        s.put.push((await timed(() => t.thread.put())).ms);
        s.getTuple.push((await timed(() => t.thread.latest())).ms);
      }
    }
    const results = threads.map((t) => {
      const s = samples.get(`${t.contender}/${t.size}`)!;
      return { contender: t.contender, checkpoints: t.size, put: latencyOf(s.put), getTuple: latencyOf(s.getTuple) };
    });
    const report = {
      date: new Date().toISOString(),
      args,
      machine: {
        ...machine,
        packages: {
          ...machine.packages,
          '@langchain/langgraph-checkpoint': packageVersion('@langchain/langgraph-checkpoint'),
        },
        loadAverage: { ...machine.loadAverage, end: currentLoad() },
      },
      results,
    };
    writeFileSync(`${args.out}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${args.out}.md`, markdown(report));
    process.stdout.write(markdown(report));
  } finally {
    await dropKeyspace(client, keyspace).catch(() => undefined);
    await client.shutdown();
  }
}

type Report = {
  date: string;
  args: Args;
  machine: {
    cores: number;
    memoryGiB: number;
    node: string;
    cassandra: string;
    loadAverage: { start: number; end?: number };
  };
  results: Array<{
    contender: string;
    checkpoints: number;
    put: { p50: number; p99: number };
    getTuple: { p50: number; p99: number };
  }>;
};

function markdown(report: Report): string {
  const ms = (v: number) => `${v.toFixed(v < 1 ? 3 : 2)} ms`;
  const lines = [
    `# LangGraph checkpointer: put + getTuple(latest) vs thread length`,
    '',
    `Run ${report.date.slice(0, 10)}: ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, Cassandra ${report.machine.cassandra}, ` +
      `load average ${report.machine.loadAverage.start}–${report.machine.loadAverage.end ?? '?'}; ${report.args.rounds} rounds of one put then one getTuple per thread, threads interleaved.`,
    '',
    '| saver | checkpoints in the thread | put p50 | put p99 | getTuple p50 | getTuple p99 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.results.map(
      (r) =>
        `| ${r.contender === 'cassandra' ? 'CassandraSaver' : 'MemorySaver'} | ${r.checkpoints.toLocaleString('en-US')} | ${ms(r.put.p50)} | ${ms(r.put.p99)} | ${ms(r.getTuple.p50)} | ${ms(r.getTuple.p99)} |`,
    ),
    '',
  ];
  for (const contender of ['cassandra', 'memory']) {
    const rows = report.results.filter((r) => r.contender === contender).sort((a, b) => a.checkpoints - b.checkpoints);
    const small = rows[0];
    const large = rows[rows.length - 1];
    if (small === undefined || large === undefined || small === large) continue;
    lines.push(
      `- ${contender === 'cassandra' ? 'CassandraSaver' : 'MemorySaver'}: p50 at ${large.checkpoints.toLocaleString('en-US')} / at ${small.checkpoints.toLocaleString('en-US')} checkpoints: ` +
        `put ${(large.put.p50 / small.put.p50).toFixed(2)}x, getTuple ${(large.getTuple.p50 / small.getTuple.p50).toFixed(2)}x`,
    );
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
