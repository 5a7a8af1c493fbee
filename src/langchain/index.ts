/**
 * cassandra-chat-history/langchain: LangChain.js interop. The only part of the package that imports
 * `@langchain/core` (an optional peer dependency: install it to use this entry point).
 *
 * - {@link CassandraChatMessageHistory}: a LangChain history on the package's store (time-bucketed,
 *   last-N reads, TTL), lossless for every LangChain message class.
 * - {@link CassioChatMessageHistory}: a LangChain history on LangChain Python's cassio table
 *   (`message_store`), to share sessions with Python services.
 *
 * Two unrelated adapters, one folder each: store/ (over ChatHistoryStore) and cassio/ (raw driver
 * statements). connection/ lets CassandraChatMessageHistory take `@langchain/community`'s options
 * (one shared client per configuration, schema set-up on first use when asked). What both adapters
 * use stays here: langchain-record.ts (LangChain messages as plain records) and
 * stored-message-format-error.ts.
 */
// Decorator metadata must be available before any entity class is defined (as in the main entry).
import 'reflect-metadata';

export {
  CassandraChatMessageHistory,
  type CassandraChatMessageHistoryClientOptions,
  type CassandraChatMessageHistoryConnectionOptions,
  type CassandraChatMessageHistoryOptions,
  type ConnectionTargetOptions,
  contentText,
  EMPTY_CONTENT_TEXT,
  LANGCHAIN_METADATA_KEY,
  toLangChainMessage,
  toNewChatMessage,
  UNKNOWN_TOOL_CALL_ID,
} from './store';
export {
  CASSIO_DEFAULT_TABLE,
  CassioChatMessageHistory,
  type CassioChatMessageHistoryOptions,
  CassioTableLayoutError,
  CassioTableMissingError,
  cassioTableCql,
  type CassioTableOptions,
  createCassioTable,
  fromCassioBody,
  toCassioBody,
} from './cassio';
export { StoredMessageFormatError } from './stored-message-format-error';
export {
  type AstraServiceProviderArgs,
  type CassandraServiceProviderArgs,
  closeSharedClients,
  type CommunityClientArgs,
  sharedClientCount,
} from './connection';
