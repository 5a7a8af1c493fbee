import type { ChatMessage } from '../entities';
import { MessageValidationError, type ValidationIssue } from '../errors';
import { chunkForBatches, type IndexExpiry, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MAX_TTL_SECONDS } from '../mapping';
import { bucketOfTime } from './bucket-span';
import type { StoreDependencies } from './store-dependencies';
import { type NewChatMessage, toChatMessage, toChatMessages } from './new-message';
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
   * Validates the message (MessageValidationError naming its own properties, such as `content`;
   * nothing written), then writes it with its bucket-index row. A failed call rejects with the id it
   * used on the error (`error.messageIds`): retrying with it stores the message exactly once.
   */
  addOne(message: NewChatMessage): Promise<ChatMessage> {
    return this.inSession((state) => this.persistOne(message, state));
  }

  /**
   * Validates every message first (one bad message: MessageValidationError with issues such as
   * `messages[2].content`, nothing written), then writes one batch per bucket chunk. A failed call
   * rejects with the ids it used on the error (`error.messageIds`), as addOne.
   */
  addMany(messages: readonly NewChatMessage[]): Promise<ChatMessage[]> {
    return this.inSession((state) => this.persistMany(messages, state));
  }

  /**
   * `persist` with the session's state. Once the schema and the session's span are known (every
   * append after the first), nothing is awaited before the write and the call is one promise: each
   * hop costs CPU per message. A synchronous throw (a validation error) becomes the rejection.
   */
  private inSession<T>(persist: (state: SessionState) => Promise<T>): Promise<T> {
    try {
      const state = this.knownState();
      return state === undefined ? this.setUp().then(persist) : persist(state);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The session's bucket span: cached, or read, or chosen (first writer wins, cluster-wide). */
  state(): Promise<SessionState> {
    return this.deps.cache.get(this.sessionId, async () => {
      const existing = await this.deps.buckets.getSpan(this.sessionId);
      const spanMs = existing ?? (await this.deps.buckets.claimSpan(this.sessionId, this.deps.settings.defaultSpanMs));
      return { spanMs, lastActivityWriteMs: 0 };
    });
  }

  /** The session's state when the schema is known to exist and the span is cached, else undefined. */
  private knownState(): SessionState | undefined {
    return this.deps.ready() === undefined ? this.deps.cache.current(this.sessionId) : undefined;
  }

  /** Waits for the schema check, then loads the session's state (the first append of a session). */
  private async setUp(): Promise<SessionState> {
    const schema = this.deps.ready();
    if (schema !== undefined) await schema;
    return this.deps.cache.current(this.sessionId) ?? this.state();
  }

  private persistOne(message: NewChatMessage, state: SessionState): Promise<ChatMessage> {
    const validated = toChatMessage(this.sessionId, message, state.spanMs, this.deps.settings.validationLimits);
    const issue = message.id === undefined ? undefined : this.idWindowIssue(validated, 'id');
    if (issue !== undefined) throw new MessageValidationError('ChatMessage', [issue]);
    return this.persist([validated], state, validated);
  }

  private persistMany(messages: readonly NewChatMessage[], state: SessionState): Promise<ChatMessage[]> {
    const validated = toChatMessages(this.sessionId, messages, state.spanMs, this.deps.settings.validationLimits);
    const issues: ValidationIssue[] = [];
    for (let i = 0; i < validated.length; i++) {
      const issue = messages[i].id === undefined ? undefined : this.idWindowIssue(validated[i], `messages[${i}].id`);
      if (issue !== undefined) issues.push(issue);
    }
    if (issues.length > 0) throw new MessageValidationError('ChatMessage', issues);
    return this.persist(validated, state, validated);
  }

  /**
   * Writes validated messages and resolves to `result` once every batch is acknowledged (then the
   * session's activity is refreshed, best effort); on failure, the error carries the ids written.
   */
  private persist<T>(validated: ChatMessage[], state: SessionState, result: T): Promise<T> {
    return this.write(validated, state).then(
      () => {
        const activity = this.activity.touch(state);
        return activity === undefined ? result : activity.then(() => result);
      },
      (error: unknown) => {
        const failure = this.deps.messages.insertError(error, validated.length);
        failure.messageIds = validated.map((m) => m.id);
        throw failure;
      },
    );
  }

  /** Rejects with the driver's error as it is (see MessageRepository.insertWithIndex). */
  private write(messages: ChatMessage[], state: SessionState): Promise<unknown> {
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
    const writes: Promise<unknown>[] = [];
    for (const group of byBucket.values()) {
      for (const chunk of chunkForBatches(group, approximateBytes))
        writes.push(this.writeChunk(chunk, ttl, state.spanMs));
    }
    return Promise.all(writes);
  }

  /** One partition's messages and that partition's index row, with one write timestamp. */
  private writeChunk(chunk: ChatMessage[], ttl: number | undefined, spanMs: number): Promise<unknown> {
    return this.deps.messages.insertWithIndex(
      chunk,
      ttl,
      ttl === undefined ? undefined : indexExpiry(ttl, spanMs),
      this.deps.writeTimestamp(),
      fitsOneBatch(chunk),
    );
  }

  /** A caller-supplied id must be dated within the window around now; generated ids always are. */
  private idWindowIssue(message: ChatMessage, property: string): ValidationIssue | undefined {
    const { pastMs, futureMs } = this.deps.settings.messageIdWindow;
    const now = Date.now();
    const time = message.createdAt.getTime();
    if (time <= now + futureMs && time >= now - pastMs) return undefined;
    return {
      property,
      constraints: {
        idWindow:
          `id is dated ${new Date(time).toISOString()}, outside the accepted window ` +
          `(${describeWindow(pastMs, 'before')} to ${describeWindow(futureMs, 'after')} now; the store's messageIdWindow option)`,
      },
    };
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

/** One bucket, few and small enough for one batch: what chunkForBatches would leave whole. */
function isOneChunk(messages: readonly ChatMessage[]): boolean {
  if (messages.length > MAX_BATCH_ITEMS) return false;
  const bucket = messages[0].bucket;
  for (const m of messages) if (m.bucket !== bucket) return false;
  return approximateTotal(messages) <= MAX_BATCH_BYTES;
}

/** Whether a chunk and its index row go in one batch (MAX_COMBINED_BYTES). */
function fitsOneBatch(chunk: readonly ChatMessage[]): boolean {
  // One message with a short content and nothing else sized (the usual append): no byte count.
  if (chunk.length === 1) {
    const m = chunk[0];
    if (m.content.length * 3 + 128 <= MAX_COMBINED_BYTES && !hasToolCalls(m) && !hasKeys(m.metadata)) return true;
  }
  return approximateTotal(chunk) <= MAX_COMBINED_BYTES;
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
  if (hasToolCalls(m)) bytes += Buffer.byteLength(JSON.stringify(m.toolCalls), 'utf8');
  if (hasKeys(m.metadata)) bytes += Buffer.byteLength(JSON.stringify(m.metadata), 'utf8');
  return bytes;
}

function hasToolCalls(m: ChatMessage): boolean {
  return Array.isArray(m.toolCalls) && m.toolCalls.length > 0;
}

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}
