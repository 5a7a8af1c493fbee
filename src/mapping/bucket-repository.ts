import { mapping } from 'cassandra-driver';
import { MAX_BATCH_ITEMS } from './batch-limits';
import type { ChatMapper } from './chat-mapper';
import { MapperRepository } from './mapper-repository';
import { withDriverErrors } from '../driver';
import type { WriteTimestamp } from './message-repository';
import { pageStateOf, withPageState } from './page-state';

const { q } = mapping;

/** One page of a session's bucket index: bucket starts in the order asked for. */
export interface BucketPage {
  readonly buckets: number[];
  /** Driver paging state of the next page, absent when the index is exhausted. */
  readonly pageState?: string;
}

/** How long the index entry of a write with a TTL must live (see {@link BucketRepository.indexItem}). */
export interface IndexExpiry {
  /** The slot the entry is filed under: its absolute expiry, rounded up, in ms since the epoch. */
  readonly slot: number;
  readonly ttlSeconds: number;
}

/**
 * `chat_message_buckets`: which time buckets a session has messages in (newest first), and the
 * session's bucket span, a static column set once with a lightweight transaction.
 */
export class BucketRepository extends MapperRepository {
  private readonly claimSpanQuery: (doc: { sessionId: string; spanMs: number }) => Promise<mapping.Result<unknown>>;
  private readonly removeSpanQuery: (
    doc: { sessionId: string },
    options: mapping.MappingExecutionOptions,
  ) => Promise<mapping.Result<unknown>>;

  constructor(models: ChatMapper) {
    super(models, 'chat_message_buckets');
    const ks = models.keyspace;
    // Conditional update of a static column: the first writer's span wins, cluster-wide. Safe to
    // re-send (so marked idempotent: the driver may retry it on another node when its coordinator
    // dies): if a lost attempt applied, the retry is "not applied" and claimSpan reads the span back.
    this.claimSpanQuery = models.buckets.mapWithQuery(
      `UPDATE ${ks}.chat_message_buckets SET bucket_span_ms = ? WHERE session_id = ? IF bucket_span_ms = null`,
      (doc: { sessionId: string; spanMs: number }) => [doc.spanMs, doc.sessionId],
      this.options({ isIdempotent: true }),
    );
    // The static column alone: bucket rows that concurrent writers add meanwhile stay.
    this.removeSpanQuery = models.buckets.mapWithQuery(
      `DELETE bucket_span_ms FROM ${ks}.chat_message_buckets WHERE session_id = ?`,
      (doc: { sessionId: string }) => [doc.sessionId],
    );
  }

  /** The session's span, if one was chosen. */
  async getSpan(sessionId: string): Promise<number | undefined> {
    const row = await withDriverErrors(this.context('read bucket span'), () =>
      this.models.buckets.find({ sessionId }, { fields: ['sessionId', 'bucketSpanMs'], limit: 1 }, this.options()),
    );
    const span = row.first()?.bucketSpanMs;
    return span === undefined || span === null ? undefined : span;
  }

  /** Sets the span unless one exists; returns the span in force (ours or the earlier writer's). */
  async claimSpan(sessionId: string, spanMs: number): Promise<number> {
    const result = await withDriverErrors(this.context('choose bucket span'), () =>
      this.claimSpanQuery({ sessionId, spanMs }),
    );
    if (result.wasApplied()) return spanMs;
    const existing = await this.getSpan(sessionId);
    return existing ?? spanMs;
  }

  /**
   * The batch item that records `bucket` for the messages written in the same batch.
   * - Without TTL: an INSERT, whose row marker never expires.
   * - With a TTL: an UPDATE that adds one element to `expiry_slots` with the entry's own TTL, and
   *   never touches the row marker, so it cannot shorten the life of a permanent entry.
   */
  indexItem(sessionId: string, bucket: number, expiry?: IndexExpiry): mapping.ModelBatchItem {
    if (expiry === undefined) return this.models.buckets.batching.insert({ sessionId, bucket });
    return this.models.buckets.batching.update(
      { sessionId, bucket, expirySlots: q.append([expiry.slot]) },
      { ttl: expiry.ttlSeconds },
    );
  }

  /**
   * One page of the session's buckets in the order asked for, optionally from `start` on (inclusive,
   * in that order: asc from it up, desc from it down). Readers page lazily: "last N" reads only as
   * many index rows as it needs buckets, however long the session.
   */
  async page(
    sessionId: string,
    order: 'asc' | 'desc',
    fetchSize: number,
    pageState?: string,
    start?: number,
  ): Promise<BucketPage> {
    const doc: Record<string, unknown> = { sessionId };
    if (start !== undefined) doc.bucket = order === 'asc' ? q.gte(start) : q.lte(start);
    const result = await withDriverErrors(this.context('list buckets'), () =>
      this.models.buckets.find(
        doc,
        { fields: ['bucket'], orderBy: { bucket: order } },
        withPageState(this.options({ fetchSize }), pageState),
      ),
    );
    const buckets: number[] = [];
    for (const row of result.toArray()) {
      // A session with a span but no bucket yet has one row: the static column alone.
      if (row.bucket !== undefined && row.bucket !== null) buckets.push(row.bucket);
    }
    return { buckets, pageState: pageStateOf(result) };
  }

  /**
   * Deletes the index rows of `buckets` at `timestamp`, as one single-partition batch (one atomic
   * mutation). Callers delete the buckets' messages at the same timestamp first.
   */
  async removeRows(sessionId: string, buckets: readonly number[], timestamp: WriteTimestamp): Promise<void> {
    // Chunks keep each batch far below Cassandra's batch size limit (50 KiB by default).
    for (let i = 0; i < buckets.length; i += MAX_BATCH_ITEMS) {
      const items = buckets
        .slice(i, i + MAX_BATCH_ITEMS)
        .map((bucket) => this.models.buckets.batching.remove({ sessionId, bucket }));
      await withDriverErrors(this.context('forget buckets'), () =>
        this.models.mapper.batch(items, this.options({ isIdempotent: true, logged: false, timestamp })),
      );
    }
  }

  /** Forgets the session's span (a deleted session), at `timestamp`. */
  async removeSpan(sessionId: string, timestamp: WriteTimestamp): Promise<void> {
    await withDriverErrors(this.context('forget bucket span'), () =>
      this.removeSpanQuery({ sessionId }, this.options({ isIdempotent: true, timestamp })),
    );
  }
}
