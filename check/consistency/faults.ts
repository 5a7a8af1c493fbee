/** The fault schedule of a run: fixed by the seed, so a failing seed replays the same faults. */
import { Prng } from './prng';

export type ScheduledFault =
  | { readonly at: number; readonly kind: 'kill'; readonly slot: number; readonly respawnAfterMs: number }
  | { readonly at: number; readonly kind: 'freeze'; readonly durationMs: number };

/**
 * Faults every 6-12 s from about 4 s in, kills and freezes alternating (so even a 15 s run gets
 * one of each), none in the last 3 s (a freeze ends before the quiescent phase begins).
 */
export function faultSchedule(seed: number, seconds: number, workers: number, nodeFaults: boolean): ScheduledFault[] {
  const prng = Prng.derive(seed, 'faults');
  const schedule: ScheduledFault[] = [];
  const endMs = seconds * 1000 - 3_000;
  let at = prng.int(3_500, 5_000);
  let freezeNext = nodeFaults && prng.chance(0.5);
  while (at < endMs) {
    if (freezeNext) {
      const durationMs = Math.min(prng.int(3_000, 6_000), endMs - at);
      if (durationMs >= 2_500) schedule.push({ at, kind: 'freeze', durationMs });
      at += durationMs;
    } else {
      schedule.push({ at, kind: 'kill', slot: prng.int(0, workers - 1), respawnAfterMs: prng.int(300, 1_500) });
    }
    freezeNext = nodeFaults && !freezeNext;
    at += prng.int(3_000, 7_000);
  }
  return schedule;
}
