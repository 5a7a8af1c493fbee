// The facade over the mapping layer: ChatHistoryStore, the per-session ChatHistory and the
// SessionService (src/history/README.md). The package's entry points (src/index.ts, langchain,
// testing) and internal tools (the benchmark) enter through this file.
export { ChatHistoryStore, type ChatHistoryStoreOptions } from './chat-history-store';
export {
  ChatHistory,
  type ChatHistoryOptions,
  type GetMessagesOptions,
  type GetPageOptions,
  type IterateOptions,
  type MessagePage,
  type NewChatMessage,
} from './chat-history';
export {
  SessionService,
  type CreateSessionInput,
  type SessionListPage,
  type UpdateSessionInput,
} from './session-service';
export type { BucketSpan } from './bucket-span';
export type { MessageIdWindow } from './store-settings';
export { newMessageId } from './message-ids';
// Internal: not part of the public API (src/index.ts does not re-export them).
export { CHAT_MAPPER_FACTORY, type InternalStoreOptions } from './store-internals';
/** The stored shape ChatHistory.addMessages validates for each new message (used by the benchmark). */
export { toStoredShape } from './new-message';
