import { type ChatMessage, validateMessage, validateMessages } from '../entities';
import { ChatHistoryError, MessageValidationError, type ValidationIssue } from '../errors';
import { chunkForBatches, type IndexExpiry, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MAX_TTL_SECONDS } from '../mapping';
import { bucketOfTime } from './bucket-span';
import type { StoreDependencies } from './store-dependencies';
import { type NewChatMessage, toStoredShape } from './new-message';
import type { SessionActivity } from './session-activity';
import type { SessionState } from './session-state-cache';

/**
 * Up to this size a chunk and its index row go in one batch; beyond it, in two parallel requests:
 * Cassandra refuses a batch over two partitions past `batch_size_fail_threshold` (50 KiB by default),
 * with room here for our size estimate's error. (Past 5 KiB such a batch is logged as a warning on
 * the server: one round trip for a usual addMessages is worth that line.)
 */
const MAX_COMBINED_BYTES = 32 * 1024;
/** How long an index entry outlives the message it was written with, at least. */
const INDEX_MARGIN_SECONDS = 60;

/**
 * The write path of one session. It keeps the findability invariant (src/history/README.md): every
 * message goes out in one batch with its bucket-index row, so the two share one write timestamp, and
 * a call resolves only after every such batch is acknowledged.
 */
export class MessageWriter {
  constructor(
    private readonly sessionId: string,
    private readonly deps: StoreDependencies,
    private readonly activity: SessionActivity,
    private readonly ttlSeconds: number | undefined,
  ) {}

  /**
   * Validates every message first (one bad message: MessageValidationError, nothing written), then
   * writes one batch per bucket chunk. A failed call rejects with the ids it used on the error
   * (`error.messageIds`): retrying with them stores each message exactly once. `single` reports
   * validation issues on the message's own properties (`content`) instead of `messages[0].content`.
   */
  async add(messages: readonly NewChatMessage[], single = false): Promise<ChatMessage[]> {
    // Once the schema and the session's span are known (every append after the first), no await
    // before the write: each would be a promise hop per message.
    const schema = this.deps.ready();
    if (schema !== undefined) await schema;
    const state = this.deps.cache.current(this.sessionId) ?? (await this.state());
    const limits = this.deps.settings.validationLimits;
    const validated = single
      ? [validateMessage(toStoredShape(this.sessionId, messages[0], state.spanMs), limits)]
      : validateMessages(
          messages.map((m) => toStoredShape(this.sessionId, m, state.spanMs)),
          limits,
        );
    this.checkIdWindow(messages, validated, single);
    try {
      await this.write(validated, state);
    } catch (error) {
      if (error instanceof ChatHistoryError) error.messageIds = validated.map((m) => m.id);
      throw error;
    }
    const activity = this.activity.touch(state);
    if (activity) await activity;
    return validated;
  }

  /** The session's bucket span: cached, or read, or chosen (first writer wins, cluster-wide). */
  state(): Promise<SessionState> {
    return this.deps.cache.get(this.sessionId, async () => {
      const existing = await this.deps.buckets.getSpan(this.sessionId);
      const spanMs = existing ?? (await this.deps.buckets.claimSpan(this.sessionId, this.deps.settings.defaultSpanMs));
      return { spanMs, lastActivityWriteMs: 0 };
    });
  }

  private write(messages: ChatMessage[], state: SessionState): Promise<void> {
    const ttl = this.ttlSeconds;
    if (messages.length === 1 || isOneChunk(messages)) {
      // The common cases (one message; a small call within one bucket), kept free of grouping work.
      return this.writeChunk(messages, ttl, state.spanMs);
    }
    const byBucket = new Map<number, ChatMessage[]>();
    for (const m of messages) {
      const group = byBucket.get(m.bucket);
      if (group) group.push(m);
      else byBucket.set(m.bucket, [m]);
    }
    const writes: Promise<void>[] = [];
    for (const group of byBucket.values()) {
      for (const chunk of chunkForBatches(group, approximateBytes))
        writes.push(this.writeChunk(chunk, ttl, state.spanMs));
    }
    return Promise.all(writes).then(nothing);
  }

  /** One partition's messages and that partition's index row, with one write timestamp. */
  private writeChunk(chunk: ChatMessage[], ttl: number | undefined, spanMs: number): Promise<void> {
    const bucket = chunk[0].bucket;
    const index = this.deps.buckets.indexItem(
      this.sessionId,
      bucket,
      ttl === undefined ? undefined : indexExpiry(ttl, spanMs),
    );
    return this.deps.messages.insertWithIndex(
      chunk,
      ttl,
      index,
      this.deps.writeTimestamp(),
      approximateTotal(chunk) <= MAX_COMBINED_BYTES,
    );
  }

  /** Caller-supplied ids must be dated within the window around now; generated ids always are. */
  private checkIdWindow(inputs: readonly NewChatMessage[], validated: readonly ChatMessage[], single: boolean): void {
    const { pastMs, futureMs } = this.deps.settings.messageIdWindow;
    const now = Date.now();
    const issues: ValidationIssue[] = [];
    for (let i = 0; i < validated.length; i++) {
      if (inputs[i].id === undefined) continue;
      const time = validated[i].createdAt.getTime();
      if (time > now + futureMs || time < now - pastMs) {
        issues.push({
          property: single ? 'id' : `messages[${i}].id`,
          constraints: {
            idWindow:
              `id is dated ${new Date(time).toISOString()}, outside the accepted window ` +
              `(${describeWindow(pastMs, 'before')} to ${describeWindow(futureMs, 'after')} now; the store's messageIdWindow option)`,
          },
        });
      }
    }
    if (issues.length > 0) throw new MessageValidationError('ChatMessage', issues);
  }
}

function describeWindow(ms: number, side: string): string {
  return Number.isFinite(ms) ? `${ms} ms ${side}` : `any time ${side}`;
}

/**
 * The index entry of a write with a TTL lives until the end of the expiry slot its message falls in,
 * plus a margin. Writes whose messages expire in the same slot share one set element (one cell), and
 * whichever wrote it last still outlives its own message, so the entry outlives each of them. Both
 * TTLs count from the same moment: they are in the same batch.
 */
export function indexExpiry(ttlSeconds: number, spanMs: number, now: number = Date.now()): IndexExpiry {
  const expiresAt = now + ttlSeconds * 1000;
  const slot = bucketOfTime(expiresAt, spanMs) + spanMs;
  const entryTtl = Math.ceil((slot - now) / 1000) + INDEX_MARGIN_SECONDS;
  return { slot, ttlSeconds: Math.min(entryTtl, MAX_TTL_SECONDS) };
}

const nothing = (): void => undefined;

/** One bucket, few and small enough for one batch: what chunkForBatches would leave whole. */
function isOneChunk(messages: readonly ChatMessage[]): boolean {
  if (messages.length > MAX_BATCH_ITEMS) return false;
  const bucket = messages[0].bucket;
  for (const m of messages) if (m.bucket !== bucket) return false;
  return approximateTotal(messages) <= MAX_BATCH_BYTES;
}

function approximateTotal(messages: readonly ChatMessage[]): number {
  let bytes = 0;
  for (const m of messages) bytes += approximateBytes(m);
  return bytes;
}

/** UTF-8 size of what a message stores, to keep each batch far below the 16 MiB mutation limit. */
function approximateBytes(m: ChatMessage): number {
  // Exact, not the 3-bytes-per-unit bound: the bound would send usual 50-message calls (~30 KiB) as
  // two requests instead of one batch.
  let bytes = Buffer.byteLength(m.content, 'utf8') + 128;
  if (m.toolCalls && m.toolCalls.length > 0) bytes += Buffer.byteLength(JSON.stringify(m.toolCalls), 'utf8');
  for (const _ in m.metadata) {
    bytes += Buffer.byteLength(JSON.stringify(m.metadata), 'utf8');
    break;
  }
  return bytes;
}
