import type { Latency } from '../results-model';
import { percentile, sortedCopy } from './stats';

export function latencyOf(samplesMs: readonly number[]): Latency {
  const sorted = sortedCopy(samplesMs);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, samples: sorted.length };
}
