import type { mapping } from 'cassandra-driver';
import { type ChatMapper, mapperOptions } from './chat-mapper';
import { withDriverErrors } from './driver-errors';
import { pageStateOf, withPageState } from './page-state';

/** Where a session's messages are: its bucket span (absent before its first write) and buckets. */
export interface BucketLayout {
  readonly spanMs?: number;
  readonly buckets: number[];
}

/**
 * `chat_message_buckets`: which time buckets a session has messages in (newest first), and the
 * session's bucket span, a static column set once with a lightweight transaction.
 */
export class BucketRepository {
  private readonly claimSpanQuery: (doc: { sessionId: string; spanMs: number }) => Promise<mapping.Result<unknown>>;
  private readonly removeOlderQuery: (doc: { sessionId: string; bucket: number }) => Promise<mapping.Result<unknown>>;
  private readonly removeAllQuery: (doc: { sessionId: string }) => Promise<mapping.Result<unknown>>;

  constructor(private readonly m: ChatMapper) {
    const ks = m.keyspace;
    // Conditional update of a static column: the first writer's span wins, cluster-wide.
    this.claimSpanQuery = m.buckets.mapWithQuery(
      `UPDATE ${ks}.chat_message_buckets SET bucket_span_ms = ? WHERE session_id = ? IF bucket_span_ms = null`,
      (doc: { sessionId: string; spanMs: number }) => [doc.spanMs, doc.sessionId],
      this.options(),
    );
    this.removeOlderQuery = m.buckets.mapWithQuery(
      `DELETE FROM ${ks}.chat_message_buckets WHERE session_id = ? AND bucket < ?`,
      (doc: { sessionId: string; bucket: number }) => [doc.sessionId, doc.bucket],
      this.options({ isIdempotent: true }),
    );
    this.removeAllQuery = m.buckets.mapWithQuery(
      `DELETE FROM ${ks}.chat_message_buckets WHERE session_id = ?`,
      (doc: { sessionId: string }) => [doc.sessionId],
      this.options({ isIdempotent: true }),
    );
  }

  private options(extra: mapping.MappingExecutionOptions = {}): mapping.MappingExecutionOptions {
    return mapperOptions(this.m, extra);
  }

  private context(operation: string) {
    return { operation, keyspace: this.m.keyspace, table: 'chat_message_buckets' };
  }

  /** The session's span, if one was chosen. */
  async getSpan(sessionId: string): Promise<number | undefined> {
    const row = await withDriverErrors(this.context('read bucket span'), () =>
      this.m.buckets.find({ sessionId }, { fields: ['sessionId', 'bucketSpanMs'], limit: 1 }, this.options()),
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

  async mark(sessionId: string, bucket: number, ttlSeconds?: number): Promise<void> {
    await withDriverErrors(this.context('record bucket'), () =>
      this.m.buckets.insert(
        { sessionId, bucket },
        ttlSeconds ? { ttl: ttlSeconds } : undefined,
        this.options({ isIdempotent: true }),
      ),
    );
  }

  /**
   * The session's span and every bucket, in the order asked for, in one query (the static span comes
   * with each row). Pages through the buckets: a session may be years long.
   */
  async layout(sessionId: string, order: 'asc' | 'desc' = 'desc'): Promise<BucketLayout> {
    const buckets: number[] = [];
    let spanMs: number | undefined;
    let pageState: string | undefined;
    do {
      const page = await withDriverErrors(this.context('list buckets'), () =>
        this.m.buckets.find(
          { sessionId },
          { fields: ['bucket', 'bucketSpanMs'], orderBy: { bucket: order } },
          withPageState(this.options({ fetchSize: 1000 }), pageState),
        ),
      );
      for (const row of page.toArray()) {
        if (row.bucketSpanMs !== undefined && row.bucketSpanMs !== null) spanMs = row.bucketSpanMs;
        // A session with a span but no bucket yet has one row: the static column alone.
        if (row.bucket !== undefined && row.bucket !== null) buckets.push(row.bucket);
      }
      pageState = pageStateOf(page);
    } while (pageState !== undefined);
    return { spanMs, buckets };
  }

  /** One range tombstone for the bucket rows older than `bucket`; the static span stays. */
  async removeOlderThan(sessionId: string, bucket: number): Promise<void> {
    await withDriverErrors(this.context('forget buckets'), () => this.removeOlderQuery({ sessionId, bucket }));
  }

  /** One partition tombstone: the bucket rows and the span. */
  async removeAll(sessionId: string): Promise<void> {
    await withDriverErrors(this.context('forget buckets'), () => this.removeAllQuery({ sessionId }));
  }
}
