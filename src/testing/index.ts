/**
 * cassandra-chat-history/testing: unit-test a service that uses the package without Cassandra.
 *
 * ```ts
 * import { createTestStore } from 'cassandra-chat-history/testing';
 * const { store, mapper } = createTestStore();
 * await store.history('s1').addUserMessage('hi');
 * expect(mapper.calls.at(-1)?.method).toBe('batch');
 * ```
 *
 * `store` is a real ChatHistoryStore (validation, typed errors, sessions, paging, TTL, buckets):
 * only the Mapper under it is in memory. What it cannot mimic is listed in the README ("Testing your
 * service"). No network: it never builds a driver Client.
 */
// Decorator metadata must be available before any entity class is defined.
import 'reflect-metadata';
import {
  CHAT_MAPPER_FACTORY,
  ChatHistoryStore,
  type ChatHistoryStoreOptions,
  type InternalStoreOptions,
} from '../history';
import { InMemoryDatabase } from './in-memory-mapper';
import type { InMemoryMapper } from './types';

export type {
  BatchItemCall,
  CallMatcher,
  CallOptions,
  FailureOptions,
  InMemoryMapper,
  MapperCall,
  MapperMethod,
  ModelName,
} from './types';

/** The store's options, without a client (there is none). */
export type TestStoreOptions = Omit<ChatHistoryStoreOptions, 'client' | 'ownsClient'>;

export interface TestStore {
  /** A real ChatHistoryStore over the in-memory Mapper. */
  readonly store: ChatHistoryStore;
  /** The in-memory database layer: `calls`, `failNext`, `reset`. */
  readonly mapper: InMemoryMapper;
}

/**
 * A ChatHistoryStore over an empty, migrated, in-memory keyspace. Options are the store's; the only
 * default that differs is `clockSkewToleranceMs: 0` (one in-memory clock has no skew, and deletes then
 * resolve after about 1 ms instead of 200 ms). Every call builds a new, independent keyspace.
 */
export function createTestStore(options: TestStoreOptions = {}): TestStore {
  const keyspace = options.keyspace ?? 'chat';
  const database = new InMemoryDatabase(keyspace);
  const storeOptions: ChatHistoryStoreOptions & InternalStoreOptions = {
    clockSkewToleranceMs: 0,
    ...options,
    keyspace,
    client: database.client(),
    [CHAT_MAPPER_FACTORY]: (client, _keyspace, profile) => database.chatMapper(client, profile),
  };
  return { store: new ChatHistoryStore(storeOptions), mapper: database };
}
