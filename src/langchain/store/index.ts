// LangChain's chat history on this package's store: CassandraChatMessageHistory over ChatHistoryStore
// (time-bucketed, last-N reads, TTL) and the codec that maps LangChain messages onto chat messages
// losslessly.
export {
  CassandraChatMessageHistory,
  type CassandraChatMessageHistoryClientOptions,
  type CassandraChatMessageHistoryConnectionOptions,
  type CassandraChatMessageHistoryOptions,
} from './cassandra-chat-message-history';
export {
  EMPTY_CONTENT_TEXT,
  LANGCHAIN_METADATA_KEY,
  toLangChainMessage,
  toNewChatMessage,
  UNKNOWN_TOOL_CALL_ID,
} from './chat-message-codec';
export { contentText } from './content-text';
export type { ConnectionTargetOptions } from './connection-target';
