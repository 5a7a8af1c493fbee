/** The options of ChatHistory's reads and of `store.history(sessionId, options)`. */
import type { ChatMessage } from '../entities';

export interface GetMessagesOptions {
  /** Return only the newest `limit` messages (still in chronological order). */
  readonly limit?: number;
  /** Only messages strictly older than this message id (for paging backwards). */
  readonly before?: string;
  /**
   * `messages` (default): exactly the newest `limit` messages. `safe`: a window a chat model accepts
   * (never a tool result without its call, never a tool call without all its results; see
   * `startWithUser`): the cut moves back to the nearest valid point, so the window may hold up to
   * 2 × `limit` messages; when there is no valid point that far back, it moves forward instead
   * (fewer than `limit`). Incomplete tool-call groups and orphan tool results are left out.
   */
  readonly window?: 'messages' | 'safe';
  /** With a safe window: start with a user message (Bedrock requires it). Default false. */
  readonly startWithUser?: boolean;
  /**
   * A token budget: the newest messages whose tokens add up to at most this, as a safe window (the
   * window only shrinks to fit; `limit`, when also given, caps the number of messages).
   */
  readonly maxTokens?: number;
  /** Tokens of one message, for `maxTokens`. Default: about 4 characters a token, +4 a message. */
  readonly countTokens?: (message: ChatMessage) => number;
  /**
   * With a safe window or a budget: put the session's leading system message(s) in front of the
   * window even when the window starts later (counted in `maxTokens`).
   */
  readonly keepSystem?: boolean;
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
