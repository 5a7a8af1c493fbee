import type { BenchConfig } from './config';
import type { ContenderName } from './contenders/contender';
import { NOISY_SPREAD, sliceSpread } from './support/spread';
import { CHAT_CONTEXT } from './workloads/chat-turn';
import {
  isFailure,
  type BenchResults,
  type ChatTurnResult,
  type SliceSpread,
  type LastNResult,
  type MemoryResult,
  type Outcome,
  type Ratio,
  type TargetCheck,
} from './results-model';

type Workloads = BenchResults['workloads'];

const LABELS: Record<ContenderName, string> = {
  raw: 'raw driver',
  ours: 'ours (ChatHistory)',
  langchain: 'LangChain.js',
};

function ok<T extends object>(outcome: Outcome<T> | undefined): T | undefined {
  return outcome === undefined || isFailure(outcome) ? undefined : outcome;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const x = (n: number | null): string =>
  n === null || !Number.isFinite(n) ? 'n/a' : `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}x`;
const ratio = (a: number | undefined, b: number | undefined): number | null =>
  a === undefined || b === undefined || b === 0 ? null : a / b;

/**
 * RSS grows in steps of V8 heap pages; a growth under 1 MiB is within the measurement's resolution,
 * so a memory ratio never divides by less than that.
 */
const MEMORY_RESOLUTION_MIB = 1;
const withResolution = (mib: number | undefined): number | undefined =>
  mib === undefined ? undefined : Math.max(mib, MEMORY_RESOLUTION_MIB);

/** The size a "10,000-message session" figure comes from: the configured size closest to it. */
function closestSize(sizes: readonly number[], wanted: number): number | undefined {
  return [...sizes].sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted))[0];
}

function lastCell(w: Workloads, name: ContenderName, size: number | undefined): LastNResult | undefined {
  return ok(w.last?.[name])?.find((row) => row.size === size);
}

function memoryCell(w: Workloads, name: ContenderName, size: number): MemoryResult | undefined {
  return ok(w.memory?.[name])?.find((row) => row.size === size);
}

/** Median of slice-by-slice throughput ratios: adjacent slices share the machine's state of the moment. */
function pairedSliceRatio(w: Workloads, a: ContenderName, b: ContenderName): number | null {
  const sa = ok(w.append?.[a])?.sliceMessagesPerSecond;
  const sb = ok(w.append?.[b])?.sliceMessagesPerSecond;
  if (!sa || !sb || sa.length === 0 || sa.length !== sb.length) return null;
  const ratios = sa.map((value, i) => value / sb[i]).sort((p, q) => p - q);
  return ratios[Math.ceil(ratios.length / 2) - 1];
}

export function computeRatios(config: BenchConfig, w: Workloads): Ratio[] {
  const sizes = config.last.sizes;
  const small = Math.min(...sizes);
  const large = Math.max(...sizes);
  const mid = closestSize(sizes, 10_000);
  const append = (n: ContenderName): number | undefined => ok(w.append?.[n])?.messagesPerSecond;
  const p50 = (n: ContenderName, size: number | undefined): number | undefined => lastCell(w, n, size)?.latencyMs.p50;
  const slices = (n: ContenderName): readonly number[] | undefined => ok(w.append?.[n])?.sliceMessagesPerSecond;
  const cpu = (n: ContenderName): number | undefined => ok(w.append?.[n])?.clientCpuMicrosPerMessage;
  const sliceCpu = (n: ContenderName): readonly number[] | undefined =>
    ok(w.append?.[n])?.sliceClientCpuMicrosPerMessage;
  const chat = (n: ContenderName): ChatTurnResult | undefined => ok(w.chat?.[n]);
  const ratios: Ratio[] = [
    {
      name: 'ours / raw append throughput',
      value: ratio(append('ours'), append('raw')),
      spread: sliceSpread(slices('ours'), slices('raw')),
    },
    { name: 'ours / raw append throughput, median of the per-slice ratios', value: pairedSliceRatio(w, 'ours', 'raw') },
    {
      name: 'ours / raw client CPU per appended message',
      value: ratio(cpu('ours'), cpu('raw')),
      spread: sliceSpread(sliceCpu('ours'), sliceCpu('raw')),
    },
    {
      name: 'ours / LangChain.js append throughput',
      value: ratio(append('ours'), append('langchain')),
      spread: sliceSpread(slices('ours'), slices('langchain')),
    },
    {
      name: 'ours / raw chat-turn throughput',
      value: ratio(chat('ours')?.turnsPerSecond, chat('raw')?.turnsPerSecond),
      spread: sliceSpread(chat('ours')?.sliceTurnsPerSecond, chat('raw')?.sliceTurnsPerSecond),
    },
    {
      name: 'ours / LangChain.js chat-turn throughput',
      value: ratio(chat('ours')?.turnsPerSecond, chat('langchain')?.turnsPerSecond),
      spread: sliceSpread(chat('ours')?.sliceTurnsPerSecond, chat('langchain')?.sliceTurnsPerSecond),
    },
    { name: 'raw / LangChain.js append throughput', value: ratio(append('raw'), append('langchain')) },
    {
      name: `LangChain.js / ours last-${config.last.count} p50 latency at ${int(mid ?? 0)} messages`,
      value: ratio(p50('langchain', mid), p50('ours', mid)),
    },
    {
      name: `LangChain.js / raw last-${config.last.count} p50 latency at ${int(mid ?? 0)} messages`,
      value: ratio(p50('langchain', mid), p50('raw', mid)),
    },
  ];
  for (const n of ['ours', 'raw', 'langchain'] as const) {
    ratios.push({
      name: `${LABELS[n]}: last-${config.last.count} p50 at ${int(large)} / at ${int(small)} messages`,
      value: ratio(p50(n, large), p50(n, small)),
    });
  }
  ratios.push({ name: 'ours / raw full-read time', value: ratio(ok(w.fullRead?.ours)?.ms, ok(w.fullRead?.raw)?.ms) });
  for (const n of ['ours', 'raw', 'langchain'] as const) {
    const b = ok(w.batch?.[n]);
    ratios.push({
      name: `${LABELS[n]}: ${config.batch.size} single adds / one addMessages(${config.batch.size}) time`,
      value: ratio(b?.singleAddsMs.p50, b?.addManyMs.p50),
    });
  }
  for (const n of ['ours', 'raw', 'langchain'] as const) {
    ratios.push({
      name: `${LABELS[n]}: peak RSS growth iterating ${int(config.memory.large)} / ${int(config.memory.small)} messages`,
      value: ratio(
        memoryCell(w, n, config.memory.large)?.peakRssGrowthMiB,
        withResolution(memoryCell(w, n, config.memory.small)?.peakRssGrowthMiB),
      ),
    });
  }
  return ratios;
}

export function checkTargets(config: BenchConfig, w: Workloads, ratios: readonly Ratio[]): TargetCheck[] {
  const find = (prefix: string): number | null => ratios.find((r) => r.name.startsWith(prefix))?.value ?? null;
  const atLeast = (v: number | null, goal: number): boolean | null => (v === null ? null : v >= goal);
  const atMost = (v: number | null, goal: number): boolean | null => (v === null ? null : v <= goal);
  const sizes = config.last.sizes;
  const mid = closestSize(sizes, 10_000);
  const oursLastRatio = find('ours (ChatHistory): last-');
  const oursMemRatio = find('ours (ChatHistory): peak RSS');
  const oursBatch = ok(w.batch?.ours);
  const oursTransform = ok(w.transform?.ours)?.microsPerMessage;
  const spreadOf = (prefix: string): string => {
    const spread = ratios.find((r) => r.name.startsWith(prefix))?.spread;
    return spread ? ` (slices ${x(spread.min)}–${x(spread.max)}${spread.noisy ? ', noisy' : ''})` : '';
  };
  const appendVsRaw = find('ours / raw append');
  const cpuVsRaw = find('ours / raw client CPU');
  const fullRead = find('ours / raw full-read');
  const chatVsRaw = find('ours / raw chat-turn');
  const oursChat = ok(w.chat?.ours);
  const appendVsLc = find('ours / LangChain.js append');
  const lcVsOurs = find('LangChain.js / ours last-');
  return [
    {
      name: 'append throughput vs raw',
      target: 'ours / raw ≥ 0.90',
      measured: x(appendVsRaw) + spreadOf('ours / raw append throughput'),
      met: atLeast(appendVsRaw, 0.9),
    },
    {
      name: 'client CPU per appended message vs raw',
      target: 'ours / raw ≤ 1.15',
      measured: x(cpuVsRaw) + spreadOf('ours / raw client CPU'),
      met: atMost(cpuVsRaw, 1.15),
    },
    {
      name: 'append throughput vs LangChain.js',
      target: 'ours / LangChain.js ≥ 3x',
      measured: x(appendVsLc) + spreadOf('ours / LangChain.js append'),
      met: atLeast(appendVsLc, 3),
    },
    {
      name: `full read of ${int(config.fullRead.messages)} messages vs raw`,
      target: 'ours / raw time ≤ 1.15',
      measured: x(fullRead),
      met: atMost(fullRead, 1.15),
    },
    {
      name: 'chat-turn throughput vs raw, every context right',
      target: 'ours / raw turns/s ≥ 0.90, 0 errors',
      measured: oursChat ? `${x(chatVsRaw)}${spreadOf('ours / raw chat-turn')}, ${oursChat.errors} errors` : 'n/a',
      met: oursChat === undefined || chatVsRaw === null ? null : chatVsRaw >= 0.9 && oursChat.errors === 0,
    },
    {
      name: `last-${config.last.count} latency does not grow with the session`,
      target: `p50 at ${int(Math.max(...sizes))} ≤ 1.5x p50 at ${int(Math.min(...sizes))}`,
      measured: x(oursLastRatio),
      met: atMost(oursLastRatio, 1.5),
    },
    {
      name: `last-${config.last.count} latency vs LangChain.js`,
      target: `LangChain.js / ours p50 at ${int(mid ?? 0)} ≥ 10x`,
      measured: x(lcVsOurs),
      met: atLeast(lcVsOurs, 10),
    },
    {
      name: `addMessages(${config.batch.size}) round trips`,
      target: '1 request',
      measured: oursBatch
        ? `median ${oursBatch.addManyRoundTrips.median}, max ${oursBatch.addManyRoundTrips.max}`
        : 'n/a',
      met: oursBatch ? oursBatch.addManyRoundTrips.median === 1 : null,
      note:
        oursBatch && oursBatch.addManyRoundTrips.max > 1
          ? 'the max includes the throttled session-activity refresh'
          : undefined,
    },
    {
      name: 'validation + transform per message',
      target: '≤ 8 µs',
      measured: oursTransform === undefined ? 'n/a' : `${oursTransform.toFixed(2)} µs`,
      met: oursTransform === undefined ? null : oursTransform <= 8,
    },
    {
      name: 'memory while iterating',
      target: `${int(config.memory.large)} messages ≤ 2x ${int(config.memory.small)} messages`,
      measured: x(oursMemRatio),
      met: atMost(oursMemRatio, 2),
    },
  ];
}

function renderChatTurn(c: BenchConfig, chat: NonNullable<Workloads['chat']>, names: readonly ContenderName[]): string {
  const title =
    `## Chat turn: ${int(c.chat.sessions)} sessions, ${c.chat.concurrency} turns in flight, ${c.chat.turns} timed turns per session ` +
    `(each: last ${CHAT_CONTEXT} messages, then addMessages([user, assistant]))`;
  const rows = names.flatMap((n) => {
    const o = chat[n];
    if (o === undefined) return [];
    if (isFailure(o)) return [failureRow(n, o.error, 7)];
    const rates = [...o.sliceTurnsPerSecond].sort((a, b) => a - b);
    return [
      [
        LABELS[n],
        int(o.sessions),
        int(o.turnsPerSecond),
        `${int(rates[0] ?? 0)} / ${int(rates[Math.ceil(rates.length / 2) - 1] ?? 0)} / ${int(rates[rates.length - 1] ?? 0)}`,
        ms(o.latencyMs.p50),
        ms(o.latencyMs.p99),
        o.errors === 0 ? `0 of ${int(o.turns)}` : `**${int(o.errors)}** of ${int(o.turns)}`,
      ],
    ];
  });
  const note =
    'LangChain.js opens one driver client per history, so it runs over at most 64 sessions (held open) with the same turns in flight.';
  return [
    title,
    note,
    table(
      ['contender', 'sessions', 'turns/s', 'slices: min / median / max', 'p50 ms', 'p99 ms', 'wrong or failed'],
      rows,
    ),
  ].join('\n\n');
}

/** The README shows the full run's charts (rendered by bench/charts.mjs beside latest.json). */
function charts(r: BenchResults): string {
  const base = r.config.out.json.replace(/\.json$/, '');
  const images: string[] = [];
  if (r.workloads.append) images.push(`![Append throughput per contender](${base}.append.svg)`);
  if (r.workloads.last)
    images.push(`![Last-${r.config.last.count} latency against session size](${base}.last-latency.svg)`);
  if (r.workloads.chat) images.push(`![Chat-turn latency percentiles](${base}.chat-turn.svg)`);
  return images.join('\n\n');
}

function spreadText(spread: SliceSpread | undefined): string {
  if (!spread) return '';
  return `${x(spread.min)} / ${x(spread.median)} / ${x(spread.max)} (${spread.slices})${spread.noisy ? ', **noisy**' : ''}`;
}

/** Correctness problems and failures, stated plainly. */
export function collectFindings(config: BenchConfig, w: Workloads): string[] {
  const findings: string[] = [];
  const each = <T extends object>(
    map: Partial<Record<ContenderName, Outcome<T>>> | undefined,
    workload: string,
    check: (name: ContenderName, value: T) => void,
  ): void => {
    for (const [name, outcome] of Object.entries(map ?? {}) as [ContenderName, Outcome<T>][]) {
      if (isFailure(outcome)) findings.push(`${LABELS[name]} failed in ${workload}: ${outcome.error}`);
      else check(name, outcome);
    }
  };
  each(w.append, 'append', (name, r) => {
    if (r.stored < r.sent) {
      findings.push(
        `${LABELS[name]} lost ${int(r.sent - r.stored)} of ${int(r.sent)} appended messages` +
          (name === 'langchain'
            ? ' (its clustering key is a millisecond timestamp: two messages in one ms overwrite each other)'
            : ''),
      );
    }
  });
  each(w.batch, 'batch append', (name, r) => {
    if (r.stored < r.sent) {
      findings.push(
        `${LABELS[name]} kept ${int(r.stored)} of ${int(r.sent)} messages in the batch-append sessions` +
          (name === 'langchain' ? ' (sequential adds landing in the same millisecond overwrite each other)' : ''),
      );
    }
  });
  each(w.last, 'last-N', (name, rows) => {
    for (const row of rows) {
      if (!row.correct) {
        findings.push(
          `${LABELS[name]} last-${config.last.count} on a ${int(row.size)}-message session is wrong: ${row.detail}`,
        );
      }
    }
  });
  each(w.fullRead, 'full read', (name, r) => {
    if (!r.complete)
      findings.push(`${LABELS[name]} full read of ${int(r.expected)} messages is incomplete: ${r.detail}`);
  });
  each(w.clear, 'clear', (name, r) => {
    if (!r.emptyAfter) findings.push(`${LABELS[name]} clear left messages behind`);
  });
  each(w.transform, 'validation + transform', () => undefined);
  each(w.chat, 'chat-turn', (name, r) => {
    if (r.errors > 0)
      findings.push(
        `${LABELS[name]} chat-turn: ${int(r.errors)} of ${int(r.turns)} turns wrong or failed (first: ${r.firstError ?? 'n/a'})`,
      );
  });
  each(w.memory, 'memory', (name, rows) => {
    for (const row of rows) {
      if (row.iterated !== row.size) {
        findings.push(`${LABELS[name]} iterated ${int(row.iterated)} of ${int(row.size)} messages`);
      }
    }
  });
  return findings;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function failureRow(name: ContenderName, error: string, width: number): string[] {
  return [LABELS[name], `**failed**: ${error.replace(/\|/g, '\\|')}`, ...Array.from({ length: width - 2 }, () => '')];
}

export function renderMarkdown(r: BenchResults): string {
  const c = r.config;
  const w = r.workloads;
  const names = r.contenders.map((k) => k.name);
  const parts: string[] = [];
  const m = r.machine;
  parts.push(`# Benchmark results (${r.mode} run)`);
  parts.push(
    [
      `Run ${r.startedAt} (${int(r.durationSeconds)} s of benchmarking, seeding included).`,
      `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ` +
        `Cassandra ${m.cassandra} at ${m.contactPoints}; load average ${m.loadAverage.start} at the start, ` +
        `${m.loadAverage.end ?? 'n/a'} at the end.`,
      `Contenders: ${r.contenders.map((k) => `${k.label} (${k.version})`).join(', ')}.`,
      `Every workload runs in fresh keyspaces (one per contender); contenders are interleaved round by round.`,
    ].join('  \n'),
  );

  parts.push('## Targets');
  parts.push(
    table(
      ['target', 'goal', 'measured', 'met'],
      r.targets.map((t) => [
        t.name,
        t.target,
        t.measured + (t.note ? ` (${t.note})` : ''),
        t.met === null ? 'n/a' : t.met ? 'yes' : '**no**',
      ]),
    ),
  );

  if (w.append) {
    parts.push(
      `## Append: ${c.append.sessions} sessions in parallel × ${c.append.messagesPerSession} messages, ${c.contentBytes} B each ` +
        (c.append.rounds > 1
          ? `(${c.append.rounds} rounds of fresh sessions, ${c.append.slices} interleaved slices each)`
          : `(in ${c.append.slices} interleaved slices)`),
    );
    const raw = ok(w.append.raw)?.messagesPerSecond;
    parts.push(
      table(
        [
          'contender',
          'messages/s',
          'vs raw',
          'slices: min / median / max',
          'requests/message',
          'client CPU µs/message',
          'stored / sent',
        ],
        names.flatMap((n) => {
          const o = w.append?.[n];
          if (o === undefined) return [];
          if (isFailure(o)) return [failureRow(n, o.error, 7)];
          const spread = `${int(Math.min(...o.sliceMessagesPerSecond))} / ${int(o.medianSliceMessagesPerSecond)} / ${int(Math.max(...o.sliceMessagesPerSecond))}`;
          return [
            [
              LABELS[n],
              int(o.messagesPerSecond),
              x(ratio(o.messagesPerSecond, raw)),
              spread,
              o.roundTripsPerMessage.toFixed(2),
              int(o.clientCpuMicrosPerMessage),
              `${int(o.stored)} / ${int(o.sent)}`,
            ],
          ];
        }),
      ),
    );
  }

  if (w.batch) {
    const s = c.batch.size;
    parts.push(
      `## Batch append: addMessages(${s}) vs ${s} single adds (one call at a time, ${c.batch.repetitions} repetitions)`,
    );
    parts.push(
      table(
        [
          'contender',
          `addMessages(${s}) p50 ms`,
          'requests per call',
          `${s} single adds p50 ms`,
          'requests',
          'speed-up',
          'stored / sent',
        ],
        names.flatMap((n) => {
          const o = w.batch?.[n];
          if (o === undefined) return [];
          if (isFailure(o)) return [failureRow(n, o.error, 7)];
          return [
            [
              LABELS[n],
              ms(o.addManyMs.p50),
              `${o.addManyRoundTrips.median} (max ${o.addManyRoundTrips.max})`,
              ms(o.singleAddsMs.p50),
              `${o.singleAddsRoundTrips.median} (max ${o.singleAddsRoundTrips.max})`,
              x(ratio(o.singleAddsMs.p50, o.addManyMs.p50)),
              `${int(o.stored)} / ${int(o.sent)}`,
            ],
          ];
        }),
      ),
    );
  }

  if (w.last) {
    parts.push(
      `## Last-${c.last.count} read latency (${c.last.queries} queries per cell after ${c.last.warmup} warm-up)`,
    );
    parts.push(
      table(
        ['contender', 'session size', 'p50 ms', 'p99 ms', 'requests/query', `newest ${c.last.count} returned?`],
        names.flatMap((n) => {
          const o = w.last?.[n];
          if (o === undefined) return [];
          if (isFailure(o)) return [failureRow(n, o.error, 6)];
          return o.map((row) => [
            LABELS[n],
            int(row.size),
            ms(row.latencyMs.p50),
            ms(row.latencyMs.p99),
            row.roundTripsPerQuery.toFixed(1),
            row.correct ? 'yes' : `**no**: ${row.detail}`,
          ]);
        }),
      ),
    );
  }

  if (w.fullRead) {
    parts.push(`## Full read of a ${int(c.fullRead.messages)}-message session (median of ${c.fullRead.repetitions})`);
    parts.push(
      table(
        ['contender', 'time ms', 'messages/s', 'returned', 'all back, in order?', 'requests'],
        names.flatMap((n) => {
          const o = w.fullRead?.[n];
          if (o === undefined) return [];
          if (isFailure(o)) return [failureRow(n, o.error, 6)];
          return [
            [
              LABELS[n],
              ms(o.ms),
              int((o.returned / o.ms) * 1000),
              `${int(o.returned)} of ${int(o.expected)}`,
              o.complete ? 'yes' : `**no**: ${o.detail}`,
              String(o.roundTrips),
            ],
          ];
        }),
      ),
    );
  }

  if (w.clear) {
    parts.push(`## Clear of a ${int(c.clear.messages)}-message session (median of ${c.clear.repetitions})`);
    parts.push(
      table(
        ['contender', 'time ms', 'requests', 'empty after?'],
        names.flatMap((n) => {
          const o = w.clear?.[n];
          if (o === undefined) return [];
          if (isFailure(o)) return [failureRow(n, o.error, 4)];
          return [[LABELS[n], ms(o.ms), String(o.roundTrips), o.emptyAfter ? 'yes' : '**no**']];
        }),
      ),
    );
  }

  if (w.transform) {
    parts.push(
      `## Validation + transform per message, no network (${int(c.transform.messages)} messages, median of ${c.transform.repetitions})`,
    );
    parts.push(
      table(
        ['contender', 'µs/message'],
        names.flatMap((n) => {
          const o = w.transform?.[n];
          if (o === undefined) return [];
          if (isFailure(o)) return [failureRow(n, o.error, 2)];
          return [[LABELS[n], o.microsPerMessage.toFixed(2)]];
        }),
      ),
    );
  }

  if (w.chat) {
    parts.push(renderChatTurn(c, w.chat, names));
  }

  if (w.memory) {
    const { small, large } = c.memory;
    parts.push(
      `## Memory: peak RSS growth while iterating (fresh process per case, median of ${c.memory.repetitions}; ` +
        `ratios divide by at least ${MEMORY_RESOLUTION_MIB} MiB)`,
    );
    parts.push(
      table(
        ['contender', `${int(small)} messages`, `${int(large)} messages`, 'ratio', 'iterated'],
        names.flatMap((n) => {
          const o = w.memory?.[n];
          if (o === undefined) return [];
          if (isFailure(o)) return [failureRow(n, o.error, 5)];
          const a = o.find((row) => row.size === small);
          const b = o.find((row) => row.size === large);
          const mib = (v: MemoryResult | undefined): string => (v ? `${v.peakRssGrowthMiB.toFixed(1)} MiB` : 'n/a');
          return [
            [
              LABELS[n],
              mib(a),
              mib(b),
              x(ratio(b?.peakRssGrowthMiB, withResolution(a?.peakRssGrowthMiB))),
              o.map((row) => `${int(row.iterated)} of ${int(row.size)}`).join(', '),
            ],
          ];
        }),
      ),
    );
  }

  parts.push('## Ratios');
  parts.push(
    `Throughput ratios measured in interleaved slices also give the range of their slice-by-slice ratios; "noisy" marks a range wider than ${Math.round(NOISY_SPREAD * 100)} % of its median (one run's value is then no finding).`,
  );
  parts.push(
    table(
      ['ratio', 'value', 'slices: min / median / max'],
      r.ratios.map((q) => [q.name, x(q.value), spreadText(q.spread)]),
    ),
  );

  parts.push('## Findings');
  parts.push(
    r.findings.length === 0
      ? 'None: every contender returned what was asked.'
      : r.findings.map((f) => `- ${f}`).join('\n'),
  );
  return `${parts.join('\n\n')}\n`;
}

/** One compact table, metric by contender, for the root README's Performance section. */
export function renderSummary(r: BenchResults): string {
  const c = r.config;
  const w = r.workloads;
  const names = r.contenders.map((k) => k.name);
  const cell = (value: string | undefined): string => value ?? 'n/a';
  const row = (metric: string, pick: (n: ContenderName) => string | undefined): string[] => [
    metric,
    ...names.map((n) => cell(pick(n))),
  ];
  const lastP50 = (n: ContenderName, size: number): string | undefined => {
    const cellResult = lastCell(w, n, size);
    if (!cellResult) return undefined;
    return `${ms(cellResult.latencyMs.p50)} ms${cellResult.correct ? '' : ' (wrong messages)'}`;
  };
  const rows: string[][] = [
    row(`append, ${c.append.sessions} sessions × ${c.append.messagesPerSession} (messages/s)`, (n) => {
      const a = ok(w.append?.[n]);
      return a && int(a.messagesPerSecond);
    }),
    row(`addMessages(${c.batch.size}): p50, requests`, (n) => {
      const b = ok(w.batch?.[n]);
      return b && `${ms(b.addManyMs.p50)} ms, ${b.addManyRoundTrips.median}`;
    }),
    ...c.last.sizes.map((size) =>
      row(`last-${c.last.count} p50, ${int(size)}-message session`, (n) => lastP50(n, size)),
    ),
    row(`full read of ${int(c.fullRead.messages)}: time, returned`, (n) => {
      const f = ok(w.fullRead?.[n]);
      return f && `${ms(f.ms)} ms, ${int(f.returned)}`;
    }),
    row(`clear of ${int(c.clear.messages)} (ms)`, (n) => {
      const k = ok(w.clear?.[n]);
      return k && ms(k.ms);
    }),
    row(`chat-turn, ${int(c.chat.sessions)} sessions: turns/s, p50 / p99`, (n) => {
      const t = ok(w.chat?.[n]);
      return (
        t &&
        `${int(t.turnsPerSecond)}, ${ms(t.latencyMs.p50)} / ${ms(t.latencyMs.p99)} ms${t.errors > 0 ? ` (${int(t.errors)} errors)` : ''}`
      );
    }),
    row('client CPU per appended message (µs)', (n) => {
      const a = ok(w.append?.[n]);
      return a && int(a.clientCpuMicrosPerMessage);
    }),
    row('validation + transform (µs/message)', (n) => {
      const t = ok(w.transform?.[n]);
      return t && t.microsPerMessage.toFixed(1);
    }),
    row(`peak RSS growth iterating ${int(c.memory.small)} / ${int(c.memory.large)}`, (n) => {
      const a = memoryCell(w, n, c.memory.small);
      const b = memoryCell(w, n, c.memory.large);
      return a && b && `${a.peakRssGrowthMiB.toFixed(1)} / ${b.peakRssGrowthMiB.toFixed(1)} MiB`;
    }),
  ];
  const m = r.machine;
  return [
    `Latest full run (${r.startedAt.slice(0, 10)}): ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ` +
      `Cassandra ${m.cassandra}, load average ${m.loadAverage.start}–${m.loadAverage.end ?? 'n/a'} ` +
      `(details and method: \`bench/results/latest.md\`, \`bench/README.md\`).`,
    table(['metric', ...names.map((n) => LABELS[n])], rows),
    table(
      ['target', 'goal', 'measured', 'met'],
      r.targets.map((t) => [t.name, t.target, t.measured, t.met === null ? 'n/a' : t.met ? 'yes' : '**no**']),
    ),
    r.findings.length === 0 ? '' : `Findings:\n\n${r.findings.map((f) => `- ${f}`).join('\n')}`,
    charts(r),
  ]
    .filter((part) => part.length > 0)
    .join('\n\n');
}
