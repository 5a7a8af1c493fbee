import type { SliceSpread } from '../results-model';

/**
 * A slice ratio range wider than this fraction of its median makes a ratio "noisy": the machine's
 * load moved between slices more than the contenders differ, so one run's value is not a finding.
 */
export const NOISY_SPREAD = 0.35;

/**
 * The slice-by-slice ratios a[i] / b[i] of two contenders measured in interleaved slices (adjacent
 * slices share the machine's state of the moment): their median and range.
 */
export function sliceSpread(
  a: readonly number[] | undefined,
  b: readonly number[] | undefined,
): SliceSpread | undefined {
  if (!a || !b || a.length === 0 || a.length !== b.length) return undefined;
  const ratios = a.map((value, i) => value / b[i]).sort((p, q) => p - q);
  const median = ratios[Math.ceil(ratios.length / 2) - 1];
  const min = ratios[0];
  const max = ratios[ratios.length - 1];
  return { min, median, max, slices: ratios.length, noisy: (max - min) / median > NOISY_SPREAD };
}
