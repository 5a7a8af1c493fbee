import { type ChatMessage, SESSION_ID_PATTERN, TIME_UUID_PATTERN, validateMessage, validateMessages } from '../entities';
import { MessageValidationError } from '../errors';
import { bucketOfId, bucketOfTime } from './bucket-span';
import { decodeCursor, encodeCursor } from './cursor';
import { type NewChatMessage, toStoredShape } from './new-message';

export type { NewChatMessage } from './new-message';
import type { BucketLayout } from '../mapping/bucket-repository';
import type { HistoryContext } from './history-context';
import type { SessionState } from './session-state-cache';

export interface GetMessagesOptions {
  /** Return only the newest `limit` messages (still in chronological order). */
  readonly limit?: number;
  /** Only messages strictly older than this message id (for paging backwards). */
  readonly before?: string;
}

export interface GetPageOptions {
  readonly pageSize?: number;
  /** The `nextCursor` of the previous page; absent for the first page. */
  readonly cursor?: string;
  /** `asc` (default): oldest first. `desc`: newest first. */
  readonly order?: 'asc' | 'desc';
}

export interface MessagePage {
  readonly messages: ChatMessage[];
  /** Absent when there is nothing more to read. */
  readonly nextCursor?: string;
}

export interface IterateOptions {
  readonly order?: 'asc' | 'desc';
  /** Rows fetched per round trip (default 500). */
  readonly pageSize?: number;
}

export interface ChatHistoryOptions {
  /** Every message written through this history expires after this many seconds. */
  readonly ttlSeconds?: number;
}

/** Largest batch: well under the 16 MiB mutation limit and the driver's request size, with 1 MiB messages. */
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** Buckets read at once when the newest one does not hold enough messages. */
const BUCKET_READ_PARALLELISM = 4;

/**
 * One session's messages. Cheap to create (`store.history(id)` per request is fine): the state worth
 * keeping (bucket span, recorded buckets) lives in the store's cache.
 */
export class ChatHistory {
  /** @internal Use `store.history(sessionId)`. */
  constructor(
    readonly sessionId: string,
    private readonly ctx: HistoryContext,
    private readonly options: ChatHistoryOptions = {},
  ) {
    // Refused here, before any statement: even a read would claim the session's bucket span.
    if (typeof sessionId !== 'string' || !SESSION_ID_PATTERN.test(sessionId)) {
      throw new MessageValidationError('ChatMessage', [
        {
          property: 'sessionId',
          constraints: { matches: `sessionId must match ${SESSION_ID_PATTERN.source} (1 to 128 characters)` },
        },
      ]);
    }
  }

  // ---- writes -------------------------------------------------------------------------------

  /** Validates and stores one message; returns it as stored (with its id and creation time). */
  async addMessage(message: NewChatMessage): Promise<ChatMessage> {
    await this.ctx.ready();
    const state = await this.state();
    const validated = validateMessage(toStoredShape(this.sessionId, message, state.spanMs), this.ctx.validationLimits);
    await this.write([validated], state);
    return validated;
  }

  async addUserMessage(content: string, extra: Omit<NewChatMessage, 'role' | 'content'> = {}): Promise<ChatMessage> {
    return this.addMessage({ ...extra, role: 'user', content });
  }

  async addAIMessage(content: string, extra: Omit<NewChatMessage, 'role' | 'content'> = {}): Promise<ChatMessage> {
    return this.addMessage({ ...extra, role: 'assistant', content });
  }

  async addSystemMessage(content: string, extra: Omit<NewChatMessage, 'role' | 'content'> = {}): Promise<ChatMessage> {
    return this.addMessage({ ...extra, role: 'system', content });
  }

  /**
   * Validates every message first (one bad message: MessageValidationError, nothing written), then
   * writes one single-partition batch per bucket chunk: atomic, one round trip for a usual call.
   * Messages without an id get increasing timeuuids, so they keep the order given.
   */
  async addMessages(messages: readonly NewChatMessage[]): Promise<ChatMessage[]> {
    if (!Array.isArray(messages)) {
      throw new MessageValidationError('ChatMessage', [
        { property: 'messages', constraints: { isArray: 'messages must be an array' } },
      ]);
    }
    if (messages.length === 0) return [];
    await this.ctx.ready();
    const state = await this.state();
    const plain = messages.map((m) => toStoredShape(this.sessionId, m, state.spanMs));
    const validated = validateMessages(plain, this.ctx.validationLimits);
    await this.write(validated, state);
    return validated;
  }

  private async write(messages: ChatMessage[], state: SessionState): Promise<void> {
    const ttl = this.options.ttlSeconds;
    const writes: Promise<void>[] = [];
    if (messages.length === 1) {
      // The common case, kept free of grouping work: it runs on every single append.
      writes.push(this.ctx.messages.insert(messages[0], ttl));
    } else {
      const byBucket = new Map<number, ChatMessage[]>();
      for (const m of messages) {
        const group = byBucket.get(m.bucket);
        if (group) group.push(m);
        else byBucket.set(m.bucket, [m]);
      }
      for (const group of byBucket.values()) {
        for (const chunk of chunkMessages(group)) {
          writes.push(chunk.length === 1 ? this.ctx.messages.insert(chunk[0], ttl) : this.ctx.messages.insertBatch(chunk, ttl));
        }
      }
    }
    for (const m of messages) {
      if (this.needsMarker(state, m.bucket)) writes.push(this.markBucket(state, m.bucket));
    }
    if (Date.now() - state.lastActivityWriteMs >= this.ctx.activityRefreshMs) writes.push(this.recordActivity(state));
    await (writes.length === 1 ? writes[0] : Promise.all(writes));
  }

  /** A bucket is recorded once per process, and again on every write under sliding TTL. */
  private needsMarker(state: SessionState, bucket: number): boolean {
    return !state.markedBuckets.has(bucket) || (this.ctx.slidingTtl && this.options.ttlSeconds !== undefined);
  }

  /**
   * Records the bucket in the session's bucket index. With a TTL the marker must outlive every
   * message of its bucket: it gets the message TTL plus the bucket span plus an hour of clock skew.
   */
  private async markBucket(state: SessionState, bucket: number): Promise<void> {
    state.markedBuckets.add(bucket);
    const ttl = this.options.ttlSeconds;
    const markerTtl = ttl ? ttl + Math.ceil(state.spanMs / 1000) + 3600 : undefined;
    try {
      await this.ctx.buckets.mark(this.sessionId, bucket, markerTtl);
    } catch (error) {
      // Not recorded after all: the next write (or the caller's retry) records it.
      state.markedBuckets.delete(bucket);
      throw error;
    }
  }

  /** Keeps the session's last-activity time (throttled); with sliding TTL also refreshes its TTL. */
  private async recordActivity(state: SessionState): Promise<void> {
    const now = Date.now();
    state.lastActivityWriteMs = now;
    const session = await this.ctx.sessions.get(this.sessionId);
    if (!session) return;
    session.lastActivityAt = new Date(now);
    const ttl = this.options.ttlSeconds;
    if (this.ctx.slidingTtl && ttl) await this.ctx.sessions.save(session, ttl);
    else await this.ctx.sessions.saveKeepingTtl(session);
  }

  private state(): Promise<SessionState> {
    return this.ctx.cache.get(this.sessionId, async () => {
      const existing = await this.ctx.buckets.getSpan(this.sessionId);
      const spanMs = existing ?? (await this.ctx.buckets.claimSpan(this.sessionId, this.ctx.defaultSpanMs));
      return { spanMs, markedBuckets: new Set<number>(), lastActivityWriteMs: 0 };
    });
  }

  /** The span in force (undefined before the session's first write) and its buckets, in one read. */
  private async layout(order: 'asc' | 'desc'): Promise<BucketLayout> {
    await this.ctx.ready();
    return this.ctx.buckets.layout(this.sessionId, order);
  }

  // ---- reads --------------------------------------------------------------------------------

  /**
   * Messages in chronological order. With `limit`, only the newest `limit` (read newest bucket first
   * with LIMIT, stopping as soon as there are enough); without, the whole session, paged.
   */
  async getMessages(options: GetMessagesOptions = {}): Promise<ChatMessage[]> {
    const { limit, before } = options;
    if (limit === undefined && before === undefined) {
      const all: ChatMessage[] = [];
      // Large pages: this call holds everything in memory anyway, so fewer round trips win.
    for await (const m of this.iterate({ pageSize: 5000 })) all.push(m);
      return all;
    }
    if (limit !== undefined) assertPositiveInt('limit', limit);
    if (before !== undefined) assertMessageId('before', before);
    const { spanMs, buckets: all } = await this.layout('desc');
    if (spanMs === undefined) return [];
    let buckets = all;
    const beforeBucket = before !== undefined ? bucketOfId(before, spanMs) : undefined;
    if (beforeBucket !== undefined) buckets = buckets.filter((b) => b <= beforeBucket);

    const wanted = limit ?? Number.POSITIVE_INFINITY;
    const newestFirst: ChatMessage[] = [];
    // The newest bucket alone usually suffices; otherwise older buckets are read a few at a time.
    for (let i = 0; i < buckets.length && newestFirst.length < wanted; ) {
      const width = i === 0 ? 1 : BUCKET_READ_PARALLELISM;
      const slice = buckets.slice(i, i + width);
      i += width;
      const remaining = wanted - newestFirst.length;
      const results = await Promise.all(
        slice.map((bucket) => {
          const partition = { sessionId: this.sessionId, bucket };
          const cutoff = bucket === beforeBucket ? before : undefined;
          return Number.isFinite(remaining)
            ? this.ctx.messages.findNewest(partition, remaining, cutoff)
            : this.readWholeBucket(partition, cutoff);
        }),
      );
      for (const rows of results) {
        for (const row of rows) {
          if (newestFirst.length >= wanted) break;
          newestFirst.push(row);
        }
      }
    }
    return newestFirst.reverse();
  }

  private async readWholeBucket(partition: { sessionId: string; bucket: number }, before?: string): Promise<ChatMessage[]> {
    const rows: ChatMessage[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.ctx.messages.page(partition, 'desc', 1000, pageState, before);
      rows.push(...page.items);
      pageState = page.pageState;
    } while (pageState !== undefined);
    return rows;
  }

  /** Streams every message of the session, one page per round trip: any length, bounded memory. */
  async *iterate(options: IterateOptions = {}): AsyncGenerator<ChatMessage, void, undefined> {
    const order = options.order ?? 'asc';
    const pageSize = options.pageSize ?? 1000;
    assertPositiveInt('pageSize', pageSize);
    const { buckets } = await this.layout(order);
    for (const bucket of buckets) {
      let pageState: string | undefined;
      do {
        const page = await this.ctx.messages.page({ sessionId: this.sessionId, bucket }, order, pageSize, pageState);
        yield* page.items;
        pageState = page.pageState;
      } while (pageState !== undefined);
    }
  }

  /** One page of at most `pageSize` messages and the cursor of the next; cursors are opaque strings. */
  async getPage(options: GetPageOptions = {}): Promise<MessagePage> {
    const pageSize = options.pageSize ?? 100;
    assertPositiveInt('pageSize', pageSize);
    const position = options.cursor !== undefined ? decodeCursor(options.cursor) : undefined;
    const order = position?.order ?? options.order ?? 'asc';
    const { buckets: all } = await this.layout(order);
    const buckets = position ? all.filter((b) => (order === 'asc' ? b >= position.bucket : b <= position.bucket)) : all;

    const messages: ChatMessage[] = [];
    let pageState = position?.pageState;
    for (let i = 0; i < buckets.length; i++) {
      const bucket = buckets[i];
      // The cursor's page state belongs to its own bucket only.
      if (position && bucket !== position.bucket) pageState = undefined;
      const page = await this.ctx.messages.page(
        { sessionId: this.sessionId, bucket },
        order,
        pageSize - messages.length,
        pageState,
      );
      messages.push(...page.items);
      pageState = page.pageState;
      if (messages.length >= pageSize) {
        if (pageState !== undefined) return { messages, nextCursor: encodeCursor({ order, bucket, pageState }) };
        const next = buckets[i + 1];
        return next === undefined ? { messages } : { messages, nextCursor: encodeCursor({ order, bucket: next }) };
      }
    }
    return { messages };
  }

  /** The exact number of messages: a COUNT per bucket partition, all buckets at once. */
  async count(): Promise<number> {
    const { buckets } = await this.layout('desc');
    const counts = await Promise.all(buckets.map((bucket) => this.ctx.messages.count({ sessionId: this.sessionId, bucket })));
    return counts.reduce((a, b) => a + b, 0);
  }

  // ---- deletes ------------------------------------------------------------------------------

  /** Deletes one message (a single row tombstone). Deleting an absent id is not an error. */
  async deleteMessage(id: string): Promise<void> {
    assertMessageId('id', id);
    await this.ctx.ready();
    const spanMs = await this.ctx.buckets.getSpan(this.sessionId);
    if (spanMs === undefined) return;
    await this.ctx.messages.remove({ sessionId: this.sessionId, bucket: bucketOfId(id, spanMs), id });
  }

  /**
   * Keeps only the newest `keepLast` messages: one range tombstone in the bucket where the cut falls
   * and one partition tombstone per older bucket, so later reads never wade through row tombstones.
   */
  async trim(options: { keepLast: number }): Promise<void> {
    const keepLast = options?.keepLast;
    if (!Number.isInteger(keepLast) || keepLast < 0) {
      throw new MessageValidationError('ChatMessage', [
        { property: 'keepLast', constraints: { min: 'keepLast must be an integer >= 0' } },
      ]);
    }
    if (keepLast === 0) return this.clear();
    const { spanMs, buckets } = await this.layout('desc');
    if (spanMs === undefined) return;
    const kept = await this.getMessages({ limit: keepLast });
    if (kept.length < keepLast) return;
    const oldestKept = kept[0];
    await this.ctx.messages.removeOlderThan({ sessionId: this.sessionId, bucket: oldestKept.bucket }, oldestKept.id);
    await Promise.all(
      buckets
        .filter((b) => b < oldestKept.bucket)
        .map((bucket) => this.ctx.messages.removePartition({ sessionId: this.sessionId, bucket })),
    );
    await this.forgetBucketsBefore(oldestKept.bucket, spanMs);
  }

  /** Deletes every message: one partition tombstone per bucket. The session record stays. */
  async clear(): Promise<void> {
    const { spanMs, buckets } = await this.layout('desc');
    if (spanMs === undefined) return;
    await Promise.all(buckets.map((bucket) => this.ctx.messages.removePartition({ sessionId: this.sessionId, bucket })));
    await this.forgetBucketsBefore(Number.MAX_SAFE_INTEGER, spanMs);
  }

  /**
   * Drops bucket-index rows older than `bucket`, but never those of the current and previous span:
   * another process may hold them as "already recorded" and keep writing there without re-recording.
   */
  private async forgetBucketsBefore(bucket: number, spanMs: number): Promise<void> {
    const guard = bucketOfTime(Date.now(), spanMs) - spanMs;
    const cut = Math.min(bucket, guard);
    await this.ctx.buckets.removeOlderThan(this.sessionId, cut);
    const state = await this.ctx.cache.peek(this.sessionId);
    if (state) for (const b of [...state.markedBuckets]) if (b < cut) state.markedBuckets.delete(b);
  }
}

function chunkMessages(messages: readonly ChatMessage[]): ChatMessage[][] {
  const chunks: ChatMessage[][] = [];
  let current: ChatMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = approximateBytes(m);
    if (current.length > 0 && (current.length >= MAX_BATCH_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** UTF-8 size of what a message stores, to keep each batch far below the 16 MiB mutation limit. */
function approximateBytes(m: ChatMessage): number {
  let bytes = Buffer.byteLength(m.content, 'utf8') + 256;
  if (m.toolCalls && m.toolCalls.length > 0) bytes += Buffer.byteLength(JSON.stringify(m.toolCalls), 'utf8');
  for (const _ in m.metadata) {
    bytes += Buffer.byteLength(JSON.stringify(m.metadata), 'utf8');
    break;
  }
  return bytes;
}

function assertPositiveInt(property: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new MessageValidationError('ChatMessage', [
      { property, constraints: { isPositive: `${property} must be a positive integer` } },
    ]);
  }
}

function assertMessageId(property: string, value: unknown): void {
  if (typeof value !== 'string' || !TIME_UUID_PATTERN.test(value)) {
    throw new MessageValidationError('ChatMessage', [
      { property, constraints: { isTimeUuid: `${property} must be a message id (a version 1 time UUID)` } },
    ]);
  }
}
