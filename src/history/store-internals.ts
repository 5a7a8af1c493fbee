import type { Client, ExecutionProfile } from 'cassandra-driver';
import type { ChatMapper } from '../mapping';

/**
 * @internal The one seam the testing kit (`cassandra-chat-history/testing`) uses to put an in-memory
 * Mapper under a real store. A symbol key rather than a named option: `ChatHistoryStoreOptions`, the
 * public type, stays unchanged, and application code cannot set it by accident (the symbol is not
 * exported from the package's main entry).
 */
export const CHAT_MAPPER_FACTORY: unique symbol = Symbol('cassandra-chat-history.chatMapperFactory');

/** @internal Builds the store's {@link ChatMapper}; the default is `createChatMapper`. */
export type ChatMapperFactory = (client: Client, keyspace: string, profile: ExecutionProfile) => ChatMapper;

/** @internal The kit's addition to the store's options (`ChatHistoryStoreOptions & InternalStoreOptions`). */
export interface InternalStoreOptions {
  readonly [CHAT_MAPPER_FACTORY]?: ChatMapperFactory;
}
