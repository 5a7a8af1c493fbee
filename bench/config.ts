import { join } from 'node:path';
import { CONTENDER_NAMES, type ContenderName } from './contenders/contender';

export const WORKLOAD_NAMES = [
  'append',
  'batch',
  'last',
  'full-read',
  'clear',
  'transform',
  'memory',
  'chat-turn',
] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** Every size the benchmark uses. Each one is a flag (`--append-sessions=64`) or an environment
 * variable (`BENCH_APPEND_SESSIONS=64`); flags win. */
export interface BenchConfig {
  readonly mode: 'full' | 'quick';
  readonly contenders: readonly ContenderName[];
  readonly workloads: readonly WorkloadName[];
  readonly contentBytes: number;
  readonly bucketSpanMs: number;
  /** Time between two seeded messages (seeded sessions end "now"). */
  readonly seedIntervalMs: number;
  readonly append: {
    readonly sessions: number;
    readonly messagesPerSession: number;
    readonly slices: number;
    /** Times the whole append (fresh sessions each time) is repeated: more slices, same shape. */
    readonly rounds: number;
  };
  readonly batch: { readonly size: number; readonly repetitions: number };
  readonly last: {
    readonly count: number;
    readonly sizes: readonly number[];
    readonly queries: number;
    readonly warmup: number;
  };
  readonly fullRead: { readonly messages: number; readonly repetitions: number };
  readonly clear: { readonly messages: number; readonly repetitions: number };
  readonly transform: { readonly messages: number; readonly repetitions: number };
  readonly memory: { readonly small: number; readonly large: number; readonly repetitions: number };
  /** chat-turn: sessions, seeded messages per session, timed turns per session, turns in flight. */
  readonly chat: {
    readonly sessions: number;
    readonly history: number;
    readonly turns: number;
    readonly concurrency: number;
  };
  /** Where the markdown and JSON results go (`--quick` writes git-ignored `*.tmp` files). */
  readonly out: { readonly markdown: string; readonly json: string };
  /** Keep the benchmark keyspaces instead of dropping them (for inspection). */
  readonly keepKeyspaces: boolean;
}

const RESULTS_DIR = join(__dirname, 'results');

interface Defaults {
  readonly [flag: string]: string;
}

const FULL: Defaults = {
  'content-bytes': '500',
  'bucket-span-ms': String(24 * 3_600_000),
  'seed-interval-ms': '1000',
  'append-sessions': '64',
  'append-messages': '200',
  'append-slices': '10',
  'append-rounds': '5',
  'batch-size': '50',
  'batch-repetitions': '30',
  'last-count': '50',
  'last-sizes': '100,10000,100000',
  'last-queries': '200',
  'last-warmup': '20',
  'full-read-messages': '12000',
  'full-read-repetitions': '5',
  'clear-messages': '10000',
  'clear-repetitions': '5',
  'transform-messages': '20000',
  'transform-repetitions': '7',
  'memory-small': '1000',
  'memory-large': '100000',
  'memory-repetitions': '3',
  'chat-sessions': '1000',
  'chat-history': '24',
  'chat-turns': '6',
  'chat-concurrency': '64',
};

/** `--quick`: the same workloads, small enough for well under a minute of measuring. */
const QUICK: Defaults = {
  ...FULL,
  // As many sessions in flight as the full run (a handful makes the client's share of the CPU, and
  // so the ratios, unlike the full run's), fewer messages each.
  'append-messages': '40',
  'append-slices': '8',
  'append-rounds': '1',
  'batch-repetitions': '8',
  'last-sizes': '100,1000,10000',
  'last-queries': '30',
  'last-warmup': '5',
  'full-read-messages': '6000',
  'full-read-repetitions': '2',
  'clear-messages': '2000',
  'clear-repetitions': '1',
  'transform-messages': '5000',
  'transform-repetitions': '3',
  'memory-small': '1000',
  'memory-large': '10000',
  'memory-repetitions': '1',
  'chat-sessions': '200',
  'chat-turns': '4',
};

function outFiles(prefix: string | undefined, quick: boolean): BenchConfig['out'] {
  if (prefix !== undefined) return { markdown: `${prefix}.md`, json: `${prefix}.json` };
  if (quick) return { markdown: join(RESULTS_DIR, 'quick.md.tmp'), json: join(RESULTS_DIR, 'quick.json.tmp') };
  return { markdown: join(RESULTS_DIR, 'latest.md'), json: join(RESULTS_DIR, 'latest.json') };
}

export class UsageError extends Error {}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const [, name, inline] = match;
    if (!(name in FULL) && !['quick', 'only', 'workloads', 'out', 'keep-keyspaces', 'help'].includes(name)) {
      throw new UsageError(`unknown flag --${name}`);
    }
    if (inline !== undefined) flags.set(name, inline);
    else if (['quick', 'keep-keyspaces', 'help'].includes(name)) flags.set(name, 'true');
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new UsageError(`--${name} needs a value`);
  }
  return flags;
}

function positiveInt(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name} must be a positive integer, got ${raw}`);
  return value;
}

function list<T extends string>(name: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new UsageError(`--${name}: unknown ${JSON.stringify(item)} (choose from ${allowed.join(', ')})`);
    }
  }
  if (items.length === 0) throw new UsageError(`--${name} names nothing`);
  return items as T[];
}

export const USAGE = `Usage: ts-node --transpile-only bench/run.ts [--quick] [--only raw,ours,langchain]
       [--workloads ${WORKLOAD_NAMES.join(',')}] [--out PREFIX] [--keep-keyspaces] [--<size>=N ...]
Sizes (flag or BENCH_<NAME> environment variable), full defaults:
${Object.entries(FULL)
  .map(([k, v]) => `  --${k}=${v}`)
  .join('\n')}`;

export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchConfig | 'help' {
  const flags = parseFlags(argv);
  if (flags.has('help')) return 'help';
  const quick = flags.get('quick') === 'true' || env.BENCH_QUICK === '1';
  const defaults = quick ? QUICK : FULL;
  const get = (name: string): string =>
    flags.get(name) ?? env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? defaults[name];
  const int = (name: string): number => positiveInt(name, get(name));
  const onlyRaw = flags.get('only') ?? env.BENCH_ONLY;
  const workloadsRaw = flags.get('workloads') ?? env.BENCH_WORKLOADS;
  return {
    mode: quick ? 'quick' : 'full',
    contenders: onlyRaw ? list('only', onlyRaw, CONTENDER_NAMES) : [...CONTENDER_NAMES],
    workloads: workloadsRaw ? list('workloads', workloadsRaw, WORKLOAD_NAMES) : [...WORKLOAD_NAMES],
    contentBytes: int('content-bytes'),
    bucketSpanMs: int('bucket-span-ms'),
    seedIntervalMs: int('seed-interval-ms'),
    chat: {
      sessions: int('chat-sessions'),
      history: int('chat-history'),
      turns: int('chat-turns'),
      concurrency: int('chat-concurrency'),
    },
    append: {
      sessions: int('append-sessions'),
      messagesPerSession: int('append-messages'),
      slices: int('append-slices'),
      rounds: int('append-rounds'),
    },
    batch: { size: int('batch-size'), repetitions: int('batch-repetitions') },
    last: {
      count: int('last-count'),
      sizes: get('last-sizes')
        .split(',')
        .map((s) => positiveInt('last-sizes', s.trim())),
      queries: int('last-queries'),
      warmup: int('last-warmup'),
    },
    fullRead: { messages: int('full-read-messages'), repetitions: int('full-read-repetitions') },
    clear: { messages: int('clear-messages'), repetitions: int('clear-repetitions') },
    transform: { messages: int('transform-messages'), repetitions: int('transform-repetitions') },
    memory: { small: int('memory-small'), large: int('memory-large'), repetitions: int('memory-repetitions') },
    out: outFiles(flags.get('out') ?? env.BENCH_OUT, quick),
    keepKeyspaces: flags.get('keep-keyspaces') === 'true' || env.BENCH_KEEP_KEYSPACES === '1',
  };
}
