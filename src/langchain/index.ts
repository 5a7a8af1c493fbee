/**
 * cassandra-chat-history/langchain: LangChain.js interop. The only part of the package that imports
 * `@langchain/core` (an optional peer dependency: install it to use this entry point).
 *
 * - {@link CassandraChatMessageHistory}: a LangChain history on the package's store (time-bucketed,
 *   last-N reads, TTL), lossless for every LangChain message class.
 * - {@link CassioChatMessageHistory}: a LangChain history on LangChain Python's cassio table
 *   (`message_store`), to share sessions with Python services.
 */
// Decorator metadata must be available before any entity class is defined (as in the main entry).
import 'reflect-metadata';

export {
  CassandraChatMessageHistory,
  type CassandraChatMessageHistoryClientOptions,
  type CassandraChatMessageHistoryOptions,
} from './cassandra-chat-message-history';
export { CassioChatMessageHistory, type CassioChatMessageHistoryOptions } from './cassio-chat-message-history';
export { CASSIO_DEFAULT_TABLE, cassioTableCql, createCassioTable, type CassioTableOptions } from './cassio-table';
export { CassioTableMissingError } from './cassio-table-missing-error';
export {
  EMPTY_CONTENT_TEXT,
  LANGCHAIN_METADATA_KEY,
  toLangChainMessage,
  toNewChatMessage,
  UNKNOWN_TOOL_CALL_ID,
} from './chat-message-codec';
export { fromCassioBody, toCassioBody } from './cassio-body';
export { contentText } from './content-text';
export { StoredMessageFormatError } from './stored-message-format-error';
