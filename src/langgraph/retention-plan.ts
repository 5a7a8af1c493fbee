import type { CheckpointRecord } from '../entities';
import type { BlobKey } from '../mapping';
import { compareVersionKeys } from './channel-version';

/** What trimming a partition to its newest N checkpoints deletes. */
export interface RetentionPlan {
  /** Checkpoints (and their writes) at or before this id go. */
  readonly cutoff: string;
  /** Per channel, the lowest version a kept checkpoint reads: the channel's values below it go. */
  readonly lowestKept: readonly BlobKey[];
}

/**
 * Plans the trim from the partition's newest `keepLast + 1` rows (newest first): nothing when there
 * are no more than `keepLast`. Channel values are kept from the lowest version any kept checkpoint
 * reads, so a value written long ago and still current (an unchanged channel) survives.
 */
export function planRetention(
  newest: readonly Pick<CheckpointRecord, 'checkpointId' | 'channelVersions'>[],
  keepLast: number,
): RetentionPlan | undefined {
  const oldestDropped = newest[keepLast];
  if (oldestDropped === undefined) return undefined;
  const lowest = new Map<string, string>();
  for (const row of newest.slice(0, keepLast)) {
    for (const [channel, key] of Object.entries(row.channelVersions ?? {})) {
      const current = lowest.get(channel);
      if (current === undefined || compareVersionKeys(key, current) < 0) lowest.set(channel, key);
    }
  }
  return {
    cutoff: oldestDropped.checkpointId,
    lowestKept: [...lowest].map(([channel, versionKey]) => ({ channel, versionKey })),
  };
}
