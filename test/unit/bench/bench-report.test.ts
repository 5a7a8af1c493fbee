import { loadConfig, type BenchConfig } from '../../../bench/config';
import { checkTargets, collectFindings, computeRatios, renderMarkdown } from '../../../bench/report';
import type { BenchResults, LastNResult, MemoryResult } from '../../../bench/results-model';

const config = loadConfig([], {}) as BenchConfig;

const latency = (p50: number) => ({ p50, p99: p50 * 2, mean: p50, samples: 200 });
const last = (size: number, p50: number, correct = true): LastNResult => ({
  size,
  latencyMs: latency(p50),
  roundTripsPerQuery: 2,
  correct,
  detail: correct ? '50 of 50, in order' : '50 returned, 0 of the 50 expected (indexes 4950..4999)',
});
const memory = (size: number, mib: number, iterated = size): MemoryResult => ({
  size,
  iterated,
  peakRssGrowthMiB: mib,
  peakHeapGrowthMiB: mib,
  samplesMiB: [mib],
});
const append = (rate: number, stored = 12_800) => ({
  messagesPerSecond: rate,
  sliceMessagesPerSecond: [rate, rate],
  medianSliceMessagesPerSecond: rate,
  roundTripsPerMessage: 1,
  clientCpuMicrosPerMessage: 50,
  sent: 12_800,
  stored,
});

const workloads: BenchResults['workloads'] = {
  append: { raw: append(10_000), ours: append(9_500), langchain: append(3_000, 12_790) },
  last: {
    raw: [last(100, 1), last(10_000, 1), last(100_000, 1)],
    ours: [last(100, 2), last(10_000, 2), last(100_000, 2.5)],
    langchain: [last(100, 2), last(10_000, 60, false), last(100_000, 60, false)],
  },
  transform: { ours: { microsPerMessage: 6 } },
  memory: {
    ours: [memory(1_000, 0.2), memory(100_000, 1.5)],
    langchain: [memory(1_000, 0.3), memory(100_000, 6, 5_000)],
  },
  clear: { ours: { error: 'QueryError: boom' } },
};

describe('bench report', () => {
  const ratios = computeRatios(config, workloads);
  const targets = checkTargets(config, workloads, ratios);
  const byName = (prefix: string) => targets.find((t) => t.name.startsWith(prefix));

  it('computes the issue ratios from the measurements', () => {
    const value = (prefix: string) => ratios.find((r) => r.name.startsWith(prefix))?.value;
    expect(value('ours / raw append throughput')).toBeCloseTo(0.95);
    expect(value('ours / LangChain.js append')).toBeCloseTo(9_500 / 3_000);
    expect(value('LangChain.js / ours last-50 p50 latency at 10,000')).toBeCloseTo(30);
    expect(value('ours (ChatHistory): last-50 p50 at 100,000 / at 100')).toBeCloseTo(1.25);
  });

  it('divides memory growth by at least 1 MiB', () => {
    expect(ratios.find((r) => r.name.startsWith('ours (ChatHistory): peak RSS'))?.value).toBeCloseTo(1.5);
  });

  it('marks targets met, missed, or not evaluable', () => {
    expect(byName('append throughput vs raw')?.met).toBe(true);
    expect(byName('append throughput vs LangChain.js')?.met).toBe(true);
    expect(byName('last-50 latency does not grow')?.met).toBe(true);
    expect(byName('validation + transform')?.met).toBe(true);
    expect(byName('memory while iterating')?.met).toBe(true);
    expect(byName('addMessages(50) round trips')?.met).toBeNull();
  });

  it('misses the validation + transform target above 8 µs per message', () => {
    const slow = { ...workloads, transform: { ours: { microsPerMessage: 8.5 } } };
    const missed = checkTargets(config, slow, computeRatios(config, slow));
    expect(missed.find((t) => t.name.startsWith('validation + transform'))?.met).toBe(false);
  });

  it('turns wrong answers, lost messages and failures into findings', () => {
    const findings = collectFindings(config, workloads);
    expect(findings).toContain(
      'LangChain.js lost 10 of 12,800 appended messages (its clustering key is a millisecond timestamp: two messages in one ms overwrite each other)',
    );
    expect(findings.some((f) => f.startsWith('LangChain.js last-50 on a 10,000-message session is wrong'))).toBe(true);
    expect(findings).toContain('LangChain.js iterated 5,000 of 100,000 messages');
    expect(findings).toContain('ours (ChatHistory) failed in clear: QueryError: boom');
  });

  it('renders a failed contender as a row, not a crash', () => {
    const markdown = renderMarkdown({
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
      durationSeconds: 60,
      mode: 'full',
      config,
      machine: {
        cores: 2,
        cpuModel: 'test',
        memoryGiB: 24,
        os: 'linux',
        node: 'v20',
        cassandra: '5.0.9',
        contactPoints: '127.0.0.1',
        packages: {},
        loadAverage: { start: 1, end: 1 },
      },
      contenders: [
        { name: 'raw', label: 'raw driver', version: '1' },
        { name: 'ours', label: 'ours (ChatHistory)', version: '1' },
        { name: 'langchain', label: 'LangChain.js', version: '1' },
      ],
      workloads,
      ratios,
      targets,
      findings: collectFindings(config, workloads),
    });
    expect(markdown).toContain('| ours (ChatHistory) | **failed**: QueryError: boom |');
    expect(markdown).toContain('| LangChain.js | 10,000 | 60.0 | 120 | 2.0 | **no**: 50 returned');
  });
});
