import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import type { BaseMessage } from '@langchain/core/messages';
import type { Client } from 'cassandra-driver';
import { type ChatMessage, SESSION_ID_PATTERN, SESSION_ID_RULE } from '../../entities';
import { ConfigurationError } from '../../errors';
import { type ChatHistory, ChatHistoryStore, type ChatHistoryStoreOptions, type GetMessagesOptions } from '../../history';
import { convertMessages } from '../langchain-record';
import { toLangChainMessage, toNewChatMessage } from './chat-message-codec';

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

const sharedStores = new WeakMap<Client, Map<string, ChatHistoryStore>>();

function sharedStore(client: Client, keyspace: string): ChatHistoryStore {
  let byKeyspace = sharedStores.get(client);
  if (!byKeyspace) {
    byKeyspace = new Map();
    sharedStores.set(client, byKeyspace);
  }
  let store = byKeyspace.get(keyspace);
  if (!store) {
    store = new ChatHistoryStore({ client, keyspace });
    byKeyspace.set(keyspace, store);
  }
  return store;
}

/**
 * A LangChain chat message history (`BaseListChatMessageHistory`) on the package's store: use it with
 * `RunnableWithMessageHistory` or anything else that takes a LangChain history. Every LangChain
 * message class round-trips losslessly (ids, names, tool calls, usage and response metadata,
 * additional_kwargs, artifacts, multimodal content), and the stored messages stay plain chat messages
 * that `ChatHistory` readers understand (see chat-message-codec.ts for the mapping).
 *
 * What the columns cannot hold (array content, additional_kwargs, response_metadata, ...) is stored as
 * message metadata, so it counts against the store's `validationLimits.maxMetadataBytes` (64 KiB by
 * default): raise it when messages carry inline images or large provider metadata.
 *
 * ```ts
 * const store = new ChatHistoryStore({ client, keyspace: 'chat' });
 * const chain = new RunnableWithMessageHistory({
 *   runnable, inputMessagesKey: 'question', historyMessagesKey: 'history',
 *   getMessageHistory: (sessionId: string) => new CassandraChatMessageHistory({ store, sessionId, limit: 50 }),
 * });
 * ```
 */
export class CassandraChatMessageHistory extends BaseListChatMessageHistory {
  lc_namespace = ['langchain', 'stores', 'message', 'cassandra_chat_history'];

  readonly sessionId: string;
  /** The package's history of the session, for what LangChain's interface lacks (count, trim, pages). */
  readonly history: ChatHistory;
  private readonly readOptions: GetMessagesOptions;

  constructor(options: CassandraChatMessageHistoryOptions) {
    super();
    // Duck-typed: a bundler may load the main entry and this one as two copies of the store class.
    if (!options || typeof (options.store as Partial<ChatHistoryStore> | undefined)?.history !== 'function') {
      throw new ConfigurationError('CassandraChatMessageHistory needs a ChatHistoryStore as `store`');
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
    const windowed = window !== undefined || maxTokens !== undefined || startWithUser !== undefined || keepSystem !== undefined;
    if (countTokens !== undefined && typeof countTokens !== 'function') throw new ConfigurationError('countTokens must be a function (message) => number');
    this.readOptions = {
      ...(limit !== undefined ? { limit } : {}),
      ...(windowed ? { window, maxTokens, startWithUser, keepSystem } : {}),
      ...(countTokens ? { countTokens: (m: ChatMessage) => countTokens(toLangChainMessage(m)) } : {}),
    };
    this.history = options.store.history(sessionId, { ttlSeconds: options.ttlSeconds });
  }

  /**
   * A history on `client` and `keyspace` without building a store yourself. Histories of one client
   * and keyspace share a store unless `storeOptions` are given. The schema must be migrated.
   */
  static fromClient(options: CassandraChatMessageHistoryClientOptions): CassandraChatMessageHistory {
    if (!options || !options.client) throw new ConfigurationError('CassandraChatMessageHistory.fromClient needs a cassandra-driver client');
    const { client, keyspace = 'chat', storeOptions, ...history } = options;
    const store = storeOptions ? new ChatHistoryStore({ ...storeOptions, client, keyspace }) : sharedStore(client, keyspace);
    return new CassandraChatMessageHistory({ ...history, store });
  }

  /** The session's messages, oldest first; only the newest `limit` when the option is set. */
  async getMessages(): Promise<BaseMessage[]> {
    const rows = await this.history.getMessages(this.readOptions);
    return rows.map(toLangChainMessage);
  }

  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /** Converts and validates every message first, then writes them all at once (one batch, in order). */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    await this.history.addMessages(convertMessages(messages, toNewChatMessage));
  }

  /** Deletes every message of the session (partition tombstones; see ChatHistory.clear). */
  override async clear(): Promise<void> {
    await this.history.clear();
  }
}
