import type { WriteTimestamp } from '../mapping';

/**
 * The write timestamp of a delete, and the wait that makes it safe under clock skew ("commit wait").
 *
 * Cassandra orders a delete and a write by their timestamps, which come from each instance's clock.
 * With clocks at most D apart (the tolerance):
 * - the delete is stamped D ahead of this clock, so every write acknowledged before the delete
 *   started (stamped at most D ahead of this clock) is covered;
 * - the delete resolves only once this clock has passed its stamp by D, so every write started after
 *   it resolves is stamped later than the delete and survives.
 * Writes concurrent with the delete may go either way, as with any concurrent operations.
 */
export interface DeletionStamp {
  /** Microseconds since the epoch, for `USING TIMESTAMP`. */
  readonly timestamp: WriteTimestamp;
  /** Resolves once the stamp is safely in the past on every clock within the tolerance. */
  settle(): Promise<void>;
}

export function deletionStamp(toleranceMs: number, now: () => number = Date.now): DeletionStamp {
  const stampMs = now() + toleranceMs;
  // The last microsecond of that millisecond: the driver numbers writes within one ms by microseconds.
  const timestamp = stampMs * 1000 + 999;
  const safeAfterMs = stampMs + toleranceMs + 1;
  return {
    timestamp,
    settle: async () => {
      const wait = safeAfterMs - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    },
  };
}
