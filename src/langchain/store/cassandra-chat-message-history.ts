import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import type { BaseMessage } from '@langchain/core/messages';
import type { Client } from 'cassandra-driver';
import { type ChatMessage, SESSION_ID_PATTERN, SESSION_ID_RULE } from '../../entities';
import { ConfigurationError } from '../../errors';
import {
  type ChatHistory,
  ChatHistoryStore,
  type ChatHistoryStoreOptions,
  type GetMessagesOptions,
} from '../../history';
import type { CassioChatMessageHistory } from '../cassio';
import type { ClientLease } from '../connection';
import { convertMessages } from '../langchain-record';
import { toLangChainMessage, toNewChatMessage } from './chat-message-codec';
import { connectTarget, type ConnectionTargetOptions, sharedStore, withFirstUseHint } from './connection-target';

export interface CassandraChatMessageHistoryOptions {
  /** The package's store (one per client and keyspace, shared by the service). */
  readonly store: ChatHistoryStore;
  readonly sessionId: string;
  /** Messages added through this history expire after this many seconds (default: the store's). */
  readonly ttlSeconds?: number;
  /** When set, `getMessages()` returns only the newest `limit` messages (read with a LIMIT, not filtered). */
  readonly limit?: number;
  /**
   * `safe`: `getMessages()` returns a window a chat model accepts: never a ToolMessage without the
   * AIMessage that made the call, never an AIMessage's tool calls without all their results (the
   * window may then hold up to 2 × `limit` messages). See `ChatHistory.getMessages`.
   */
  readonly window?: 'messages' | 'safe';
  /** A token budget for `getMessages()` (a safe window that only shrinks to fit). */
  readonly maxTokens?: number;
  /** Tokens of one message, for `maxTokens`. Default: about 4 characters a token, +4 a message. */
  readonly countTokens?: (message: BaseMessage) => number;
  /** With a safe window: start at a HumanMessage (Bedrock requires it). */
  readonly startWithUser?: boolean;
  /** With a safe window: keep the session's leading SystemMessage(s) in front. */
  readonly keepSystem?: boolean;
}

/**
 * `@langchain/community`'s options, unchanged (`contactPoints`, `localDataCenter`, `credentials`,
 * `cloud`, `serviceProviderArgs.astra`, `keyspace`, `table`, `sessionId`, and every other driver
 * option), plus this package's reading options and `migrateOnFirstUse`.
 */
export interface CassandraChatMessageHistoryConnectionOptions
  extends Omit<CassandraChatMessageHistoryOptions, 'store'>, ConnectionTargetOptions {
  readonly sessionId: string;
  readonly ttlSeconds?: number;
  readonly limit?: number;
}

export interface CassandraChatMessageHistoryClientOptions extends Omit<CassandraChatMessageHistoryOptions, 'store'> {
  readonly client: Client;
  /** Keyspace holding the migrated tables. Default `chat`. */
  readonly keyspace?: string;
  /**
   * Further store options. Without them, histories of the same client and keyspace share one store
   * (and its session cache); with them, each call builds its own store.
   */
  readonly storeOptions?: Omit<ChatHistoryStoreOptions, 'client' | 'keyspace'>;
}

/** Where a history's operations go: the store's ChatHistory or, with a `table`, a cassio history. */
interface Backend {
  readonly history?: ChatHistory;
  readonly cassio?: CassioChatMessageHistory;
  readonly lease?: ClientLease;
  readonly prepare?: () => Promise<void>;
  readonly hint: boolean;
}

/**
 * A LangChain chat message history (`BaseListChatMessageHistory`) on the package's store: use it with
 * `RunnableWithMessageHistory` or anything else that takes a LangChain history. Every LangChain
 * message class round-trips losslessly (ids, names, tool calls, usage and response metadata,
 * additional_kwargs, artifacts, multimodal content), and the stored messages stay plain chat messages
 * that `ChatHistory` readers understand (see chat-message-codec.ts for the mapping).
 *
 * Three ways to build one:
 * - `new CassandraChatMessageHistory({ store, sessionId })` on a store you own;
 * - `CassandraChatMessageHistory.fromClient({ client, keyspace, sessionId })` on a client you own;
 * - `@langchain/community`'s options unchanged (`{ contactPoints, localDataCenter, keyspace, table,
 *   sessionId }`): a drop-in for its class. The client is shared by every history of the same
 *   configuration; `close()` each history (or `closeSharedClients()` at shutdown) to shut it down.
 *   `table` selects the cassio layout in that table (see {@link ConnectionTargetOptions.table}).
 *
 * What the columns cannot hold (array content, additional_kwargs, response_metadata, ...) is stored as
 * message metadata, so it counts against the store's `validationLimits.maxMetadataBytes` (64 KiB by
 * default): raise it when messages carry inline images or large provider metadata.
 */
export class CassandraChatMessageHistory extends BaseListChatMessageHistory {
  lc_namespace = ['langchain', 'stores', 'message', 'cassandra_chat_history'];

  readonly sessionId: string;
  private readonly backend: Backend;
  private readonly readOptions: GetMessagesOptions;
  private closed = false;

  constructor(options: CassandraChatMessageHistoryOptions | CassandraChatMessageHistoryConnectionOptions) {
    super();
    if (!options || typeof options !== 'object') {
      throw new ConfigurationError(
        'CassandraChatMessageHistory needs options: { store, sessionId } or connection options',
      );
    }
    const { sessionId, limit } = options;
    if (typeof sessionId !== 'string' || !SESSION_ID_PATTERN.test(sessionId)) {
      throw new ConfigurationError(`sessionId must be ${SESSION_ID_RULE}`);
    }
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0)) {
      throw new ConfigurationError(`limit must be a positive integer, got ${String(limit)}`);
    }
    this.sessionId = sessionId;
    const { window, maxTokens, countTokens, startWithUser, keepSystem } = options;
    const windowed =
      window !== undefined || maxTokens !== undefined || startWithUser !== undefined || keepSystem !== undefined;
    if (countTokens !== undefined && typeof countTokens !== 'function')
      throw new ConfigurationError('countTokens must be a function (message) => number');
    this.readOptions = {
      ...(limit !== undefined ? { limit } : {}),
      ...(windowed ? { window, maxTokens, startWithUser, keepSystem } : {}),
      ...(countTokens ? { countTokens: (m: ChatMessage) => countTokens(toLangChainMessage(m)) } : {}),
    };
    if ('store' in options) {
      // Duck-typed: a bundler may load the main entry and this one as two copies of the store class.
      if (typeof (options.store as Partial<ChatHistoryStore> | undefined)?.history !== 'function') {
        throw new ConfigurationError('CassandraChatMessageHistory: `store` must be a ChatHistoryStore');
      }
      this.backend = { history: options.store.history(sessionId, { ttlSeconds: options.ttlSeconds }), hint: false };
      return;
    }
    const target = connectTarget(options, windowed || countTokens !== undefined);
    this.backend = {
      history: target.store?.history(sessionId, { ttlSeconds: options.ttlSeconds }),
      cassio: target.cassio,
      lease: target.lease,
      prepare: target.prepare,
      hint: options.migrateOnFirstUse !== true,
    };
  }

  /**
   * A history on `client` and `keyspace` without building a store yourself. Histories of one client
   * and keyspace share a store unless `storeOptions` are given. The schema must be migrated.
   */
  static fromClient(options: CassandraChatMessageHistoryClientOptions): CassandraChatMessageHistory {
    if (!options || !options.client)
      throw new ConfigurationError('CassandraChatMessageHistory.fromClient needs a cassandra-driver client');
    const { client, keyspace = 'chat', storeOptions, ...history } = options;
    const store = storeOptions
      ? new ChatHistoryStore({ ...storeOptions, client, keyspace })
      : sharedStore(client, keyspace);
    return new CassandraChatMessageHistory({ ...history, store });
  }

  /**
   * The package's history of the session, for what LangChain's interface lacks (count, trim, pages).
   * Not available on a cassio-layout history (built with `table`), which has no such history.
   */
  get history(): ChatHistory {
    if (!this.backend.history) {
      throw new ConfigurationError(
        'This history is on a cassio-layout table (`table` was given): it has no ChatHistory',
      );
    }
    return this.backend.history;
  }

  /** The session's messages, oldest first; only the newest `limit` when the option is set. */
  async getMessages(): Promise<BaseMessage[]> {
    return this.run(async ({ history, cassio }) => {
      if (cassio) return cassio.getMessages();
      const rows = await history!.getMessages(this.readOptions);
      return rows.map(toLangChainMessage);
    });
  }

  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /** Converts and validates every message first, then writes them all at once (one batch, in order). */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    await this.run(async ({ history, cassio }) => {
      if (cassio) return cassio.addMessages(messages);
      await history!.addMessages(convertMessages(messages, toNewChatMessage));
    });
  }

  /** Deletes every message of the session (partition tombstones; see ChatHistory.clear). */
  override async clear(): Promise<void> {
    await this.run(({ history, cassio }) => (cassio ? cassio.clear() : history!.clear()));
  }

  /**
   * Releases this history's share of the client it built from connection options: the client shuts
   * down when no history of its configuration is left open. A no-op for the `store` and `fromClient`
   * forms (their client is yours). The history cannot be used afterwards.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.backend.lease?.release();
  }

  private async run<T>(operation: (backend: Backend) => Promise<T>): Promise<T> {
    if (this.closed) throw new ConfigurationError(`The history of session ${this.sessionId} was closed`);
    try {
      await this.backend.prepare?.();
      return await operation(this.backend);
    } catch (error) {
      throw this.backend.hint ? withFirstUseHint(error) : error;
    }
  }
}
