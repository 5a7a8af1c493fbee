import { inGroups, walkBuckets } from './bucket-walk';
import { bucketOfId } from './bucket-span';
import { type DeletionStamp, deletionStamp } from './deletion-stamp';
import { BUCKET_FAN_OUT, mapLimited } from './fan-out';
import type { StoreDependencies } from './store-dependencies';
import type { MessageReader } from './message-reader';

/** Buckets whose messages and index rows are deleted per round of requests. */
const BUCKETS_PER_ROUND = 100;

/**
 * The delete paths of one session. They keep the findability invariant (src/history/README.md):
 * an index row is deleted only after its bucket's messages were deleted with the same timestamp, and
 * only for buckets this call saw, so a message written meanwhile with a later timestamp keeps both its
 * row and its index row. Every delete carries a {@link DeletionStamp} and resolves after its settle.
 */
export class MessageRemover {
  constructor(
    private readonly sessionId: string,
    private readonly deps: StoreDependencies,
    private readonly reader: MessageReader,
  ) {}

  stamp(): DeletionStamp {
    return deletionStamp(this.deps.settings.clockSkewToleranceMs);
  }

  /** One row tombstone; the index row stays (an index row may point at an empty partition). */
  async deleteMessage(id: string): Promise<void> {
    await this.deps.ready();
    // The span the message was filed under: the session's, chosen once. Never claimed here: deleting
    // from a session nobody wrote must not write anything.
    const cached = await this.deps.cache.peek(this.sessionId);
    const spanMs =
      cached?.spanMs ?? (await this.deps.buckets.getSpan(this.sessionId)) ?? this.deps.settings.defaultSpanMs;
    const stamp = this.stamp();
    await this.deps.messages.remove({ sessionId: this.sessionId, bucket: bucketOfId(id, spanMs), id }, stamp.timestamp);
    await stamp.settle();
  }

  /**
   * Keeps the newest `keepLast`: one range tombstone in the bucket where the cut falls, and one
   * partition tombstone per older bucket (then their index rows), so reads never wade through row
   * tombstones.
   */
  async trim(keepLast: number): Promise<void> {
    const kept = await this.reader.newest(keepLast, undefined);
    if (kept.length < keepLast) return;
    const oldestKept = kept[0];
    const stamp = this.stamp();
    await this.deps.messages.removeOlderThan(
      { sessionId: this.sessionId, bucket: oldestKept.bucket },
      oldestKept.id,
      stamp.timestamp,
    );
    await this.removeBuckets(oldestKept.bucket - 1, stamp);
    await stamp.settle();
  }

  /** Deletes every message: one partition tombstone per bucket, then the index rows. */
  async clear(): Promise<void> {
    await this.deps.ready();
    const stamp = this.stamp();
    await this.removeBuckets(undefined, stamp);
    await stamp.settle();
  }

  /**
   * Deletes the messages and index rows of every bucket from `start` down (all when undefined), at
   * the stamp's timestamp. A few requests at a time, whatever the number of buckets.
   */
  async removeBuckets(start: number | undefined, stamp: DeletionStamp): Promise<void> {
    const walk = walkBuckets(this.deps, this.sessionId, 'desc', { start, pageSize: BUCKETS_PER_ROUND });
    for await (const group of inGroups(walk, BUCKETS_PER_ROUND)) {
      await mapLimited(group, BUCKET_FAN_OUT, (bucket) =>
        this.deps.messages.removePartition({ sessionId: this.sessionId, bucket }, stamp.timestamp),
      );
      // Only now: an index row must never be gone while its messages may still be there.
      await this.deps.buckets.removeRows(this.sessionId, group, stamp.timestamp);
    }
  }
}
