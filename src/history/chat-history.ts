import { type ChatMessage, SESSION_ID_PATTERN, TIME_UUID_PATTERN } from '../entities';
import { MessageValidationError } from '../errors';
import type { HistoryContext } from './history-context';
import type { MessagePage, MessageReader } from './message-reader';
import type { MessageRemover } from './message-remover';
import type { MessageWriter } from './message-writer';
import type { NewChatMessage } from './new-message';
import { sessionMessages } from './session-messages';

export type { NewChatMessage } from './new-message';
export type { MessagePage } from './message-reader';

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

export interface IterateOptions {
  readonly order?: 'asc' | 'desc';
  /** Rows fetched per round trip (default 1000). */
  readonly pageSize?: number;
}

export interface ChatHistoryOptions {
  /** Every message written through this history expires after this many seconds. */
  readonly ttlSeconds?: number;
}

/**
 * One session's messages: the public facade over the session's writer, reader and remover, which
 * between them keep every acknowledged message findable by every read path of every instance
 * (src/history/README.md). Cheap to create: `store.history(id)` per request is fine.
 */
export class ChatHistory {
  private readonly writer: MessageWriter;
  private readonly reader: MessageReader;
  private readonly remover: MessageRemover;

  /** @internal Use `store.history(sessionId)`. */
  constructor(
    readonly sessionId: string,
    ctx: HistoryContext,
    options: ChatHistoryOptions = {},
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
    ({ writer: this.writer, reader: this.reader, remover: this.remover } = sessionMessages(sessionId, ctx, options.ttlSeconds));
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Validates and stores one message; returns it as stored (with its id and creation time). When it
   * rejects after choosing an id, `error.messageIds` holds it: retry with `{ ...message, id }`.
   */
  async addMessage(message: NewChatMessage): Promise<ChatMessage> {
    const [stored] = await this.writer.add([message], true);
    return stored;
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
   * writes one single-partition batch per bucket chunk: one round trip for a usual call. Messages
   * without an id get increasing timeuuids, so they keep the order given.
   */
  async addMessages(messages: readonly NewChatMessage[]): Promise<ChatMessage[]> {
    if (!Array.isArray(messages)) {
      throw new MessageValidationError('ChatMessage', [
        { property: 'messages', constraints: { isArray: 'messages must be an array' } },
      ]);
    }
    if (messages.length === 0) return [];
    return this.writer.add(messages);
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
      for await (const m of this.reader.iterate('asc', 5000)) all.push(m);
      return all;
    }
    if (limit !== undefined) assertPositiveInt('limit', limit);
    if (before !== undefined) assertMessageId('before', before);
    return this.reader.newest(limit, before);
  }

  /** Streams every message of the session, one page per round trip: any length, bounded memory. */
  async *iterate(options: IterateOptions = {}): AsyncGenerator<ChatMessage, void, undefined> {
    const pageSize = options.pageSize ?? 1000;
    assertPositiveInt('pageSize', pageSize);
    yield* this.reader.iterate(options.order ?? 'asc', pageSize);
  }

  /** One page of at most `pageSize` messages and the cursor of the next; cursors are opaque strings. */
  async getPage(options: GetPageOptions = {}): Promise<MessagePage> {
    const pageSize = options.pageSize ?? 100;
    assertPositiveInt('pageSize', pageSize);
    return this.reader.page(pageSize, options.cursor, options.order);
  }

  /** The exact number of messages: a COUNT per bucket partition, a few buckets at a time. */
  count(): Promise<number> {
    return this.reader.count();
  }

  // ---- deletes ------------------------------------------------------------------------------

  /** Deletes one message (a single row tombstone). Deleting an absent id is not an error. */
  async deleteMessage(id: string): Promise<void> {
    assertMessageId('id', id);
    await this.remover.deleteMessage(id);
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
    await this.remover.trim(keepLast);
  }

  /** Deletes every message: one partition tombstone per bucket. The session record stays. */
  clear(): Promise<void> {
    return this.remover.clear();
  }
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
