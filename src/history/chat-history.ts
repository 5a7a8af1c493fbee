import { type ChatMessage, TIME_UUID_PATTERN } from '../entities';
import { MessageValidationError, type ValidationIssue } from '../errors';
import {
  MESSAGE_COUNT,
  messageAttributes,
  messageCountAttributes,
  messagePageAttributes,
  messagesAttributes,
  type OperationSpans,
} from '../telemetry';
import type { StoreDependencies } from './store-dependencies';
import type { MessagePage, MessageReader } from './message-reader';
import type { MessageRemover } from './message-remover';
import type { MessageWriter } from './message-writer';
import type { NewChatMessage } from './new-message';
import { sessionMessages } from './session-messages';
import type { ChatHistoryOptions, GetMessagesOptions, GetPageOptions, IterateOptions } from './chat-history-options';

export type { NewChatMessage } from './new-message';
export type { MessagePage } from './message-reader';
export type { ChatHistoryOptions, GetMessagesOptions, GetPageOptions, IterateOptions } from './chat-history-options';

/**
 * One session's messages: the public facade over the session's writer, reader and remover, which
 * between them keep every acknowledged message findable by every read path of every instance
 * (src/history/README.md). Cheap to create: `store.history(id)` per request is fine.
 */
export class ChatHistory {
  private readonly writer: MessageWriter;
  private readonly reader: MessageReader;
  private readonly remover: MessageRemover;
  private readonly spans: OperationSpans;

  /** @internal Use `store.history(sessionId)`. */
  constructor(
    readonly sessionId: string,
    deps: StoreDependencies,
    options: ChatHistoryOptions = {},
  ) {
    ({
      writer: this.writer,
      reader: this.reader,
      remover: this.remover,
    } = sessionMessages(sessionId, deps, options.ttlSeconds));
    this.spans = deps.spans;
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Validates and stores one message; returns it as stored (with its id and creation time). When it
   * rejects after choosing an id, `error.messageIds` holds it: retry with `{ ...message, id }`.
   */
  addMessage(message: NewChatMessage): Promise<ChatMessage> {
    return this.spans.trace('chat_history.add_message', () => this.writer.addOne(message), messageAttributes);
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
  addMessages(messages: readonly NewChatMessage[]): Promise<ChatMessage[]> {
    return this.spans.trace(
      'chat_history.add_messages',
      () => {
        if (!Array.isArray(messages)) {
          return Promise.reject(
            new MessageValidationError('ChatMessage', [
              { property: 'messages', constraints: { isArray: 'messages must be an array' } },
            ]),
          );
        }
        return messages.length === 0 ? Promise.resolve([]) : this.writer.addMany(messages);
      },
      messagesAttributes,
    );
  }

  // ---- reads --------------------------------------------------------------------------------

  /**
   * Messages in chronological order. With `limit`, only the newest `limit` (read newest bucket first
   * with LIMIT, stopping as soon as there are enough); without, the whole session, paged.
   */
  getMessages(options: GetMessagesOptions = {}): Promise<ChatMessage[]> {
    return this.spans.trace(
      'chat_history.get_messages',
      async () => {
        const { limit, before } = options;
        if (isWindowed(options) && isSafeWindow(options)) return this.reader.window(options);
        if (limit === undefined && before === undefined) {
          const all: ChatMessage[] = [];
          // Large pages: this call holds everything in memory anyway, so fewer round trips win.
          for await (const m of this.reader.iterate('asc', 5000)) all.push(m);
          return all;
        }
        if (limit !== undefined) assertPositiveInt('limit', limit);
        if (before !== undefined) assertMessageId('before', before);
        return this.reader.newest(limit, before);
      },
      messagesAttributes,
    );
  }

  /** Streams every message of the session, one page per round trip: any length, bounded memory. */
  async *iterate(options: IterateOptions = {}): AsyncGenerator<ChatMessage, void, undefined> {
    yield* this.spans.each(
      'chat_history.iterate',
      () => {
        const pageSize = options.pageSize ?? 1000;
        assertPositiveInt('pageSize', pageSize);
        return this.reader.iterate(options.order ?? 'asc', pageSize);
      },
      MESSAGE_COUNT,
    );
  }

  /** One page of at most `pageSize` messages and the cursor of the next; cursors are opaque strings. */
  getPage(options: GetPageOptions = {}): Promise<MessagePage> {
    return this.spans.trace(
      'chat_history.get_page',
      async () => {
        const pageSize = options.pageSize ?? 100;
        assertPositiveInt('pageSize', pageSize);
        return this.reader.page(pageSize, options.cursor, options.order);
      },
      messagePageAttributes,
    );
  }

  /** The exact number of messages: a COUNT per bucket partition, a few buckets at a time. */
  count(): Promise<number> {
    return this.spans.trace('chat_history.count', () => this.reader.count(), messageCountAttributes);
  }

  // ---- deletes ------------------------------------------------------------------------------

  /** Deletes one message (a single row tombstone). Deleting an absent id is not an error. */
  deleteMessage(id: string): Promise<void> {
    return this.spans.trace('chat_history.delete_message', async () => {
      assertMessageId('id', id);
      await this.remover.deleteMessage(id);
    });
  }

  /**
   * Keeps only the newest `keepLast` messages: one range tombstone in the bucket where the cut falls
   * and one partition tombstone per older bucket, so later reads never wade through row tombstones.
   */
  trim(options: { keepLast: number }): Promise<void> {
    return this.spans.trace('chat_history.trim', async () => {
      const keepLast = options?.keepLast;
      if (!Number.isInteger(keepLast) || keepLast < 0) {
        throw new MessageValidationError('ChatMessage', [
          { property: 'keepLast', constraints: { min: 'keepLast must be an integer >= 0' } },
        ]);
      }
      await (keepLast === 0 ? this.remover.clear() : this.remover.trim(keepLast));
    });
  }

  /** Deletes every message: one partition tombstone per bucket. The session record stays. */
  clear(): Promise<void> {
    return this.spans.trace('chat_history.clear', () => this.remover.clear());
  }
}

function isWindowed(options: GetMessagesOptions): boolean {
  return (
    options.window !== undefined ||
    options.maxTokens !== undefined ||
    options.countTokens !== undefined ||
    options.startWithUser !== undefined ||
    options.keepSystem !== undefined
  );
}

/** Checks the window options before any statement; true for a safe window (or a token budget). */
function isSafeWindow(options: GetMessagesOptions): boolean {
  const issues: ValidationIssue[] = [];
  const { window, limit, maxTokens, countTokens, before, startWithUser, keepSystem } = options;
  const safe = window === 'safe' || (window === undefined && maxTokens !== undefined);
  if (window !== undefined && window !== 'messages' && window !== 'safe') {
    issues.push({ property: 'window', constraints: { isIn: "window must be 'messages' or 'safe'" } });
  }
  if (window === 'messages' && (maxTokens !== undefined || startWithUser !== undefined || keepSystem !== undefined)) {
    issues.push({
      property: 'window',
      constraints: { isSafe: "maxTokens, startWithUser and keepSystem need window: 'safe'" },
    });
  } else if (!safe && window !== 'messages') {
    issues.push({
      property: 'window',
      constraints: { isSafe: "startWithUser, keepSystem and countTokens need window: 'safe' or maxTokens" },
    });
  }
  if (safe && limit === undefined && maxTokens === undefined) {
    issues.push({ property: 'limit', constraints: { isDefined: 'a safe window needs a limit or maxTokens' } });
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    issues.push({ property: 'limit', constraints: { isPositive: 'limit must be a positive integer' } });
  }
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens <= 0)) {
    issues.push({ property: 'maxTokens', constraints: { isPositive: 'maxTokens must be a positive integer' } });
  }
  if (countTokens !== undefined && typeof countTokens !== 'function') {
    issues.push({
      property: 'countTokens',
      constraints: { isFunction: 'countTokens must be a function (message) => number' },
    });
  }
  for (const [property, value] of [
    ['startWithUser', startWithUser],
    ['keepSystem', keepSystem],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean')
      issues.push({ property, constraints: { isBoolean: `${property} must be a boolean` } });
  }
  if (before !== undefined && (typeof before !== 'string' || !TIME_UUID_PATTERN.test(before))) {
    issues.push({
      property: 'before',
      constraints: { isTimeUuid: 'before must be a message id (a version 1 time UUID)' },
    });
  }
  if (issues.length > 0) throw new MessageValidationError('ChatMessage', issues);
  return safe;
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
