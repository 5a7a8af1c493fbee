import { types } from 'cassandra-driver';
import { ChatHistoryStore, type ChatHistoryStoreOptions } from '../../src';
import { useFreshKeyspace } from './cassandra';
import { applySchema } from './schema';

/** A fresh, migrated keyspace per test file and a store factory on it. */
export function useMigratedStore(label: string) {
  const ctx = useFreshKeyspace(label);
  beforeAll(async () => {
    await applySchema(ctx.client(), ctx.keyspace);
  });
  return {
    ...ctx,
    store: (options: Partial<ChatHistoryStoreOptions> = {}) =>
      new ChatHistoryStore({ client: ctx.client(), keyspace: ctx.keyspace, ...options }),
  };
}

/** A timeuuid string at a given time (ms since epoch); `tick` orders ids within one millisecond. */
export function idAt(timeMs: number, tick = 0): string {
  return types.TimeUuid.fromDate(new Date(timeMs), tick).toString();
}
