import type { Client } from 'cassandra-driver';
// The benchmark's request counter: observed round trips, so "before any CQL" is measured, not assumed.
import { RoundTripCounter } from '../../../bench/support/round-trips';
import {
  ChatHistoryStore,
  createClient,
  EntityValidationError,
  InvalidIdentifierError,
  MessageValidationError,
  MigrationRunner,
} from '../../../src';
import { CassioChatMessageHistory } from '../../../src/langchain';
import { useMigratedStore } from '../../support/store';

const HOSTILE_IDENTIFIERS = [
  'x; DROP KEYSPACE y',
  "chat'; DROP TABLE chat_messages; --",
  'chat"quoted',
  'system.local',
  'chat.chat_messages',
  'a'.repeat(49),
  '1starts_with_digit',
  '_underscore',
  'chat messages',
  'chat\u0000nul',
  'ch\u00e4t',
  '',
];

/**
 * The schema an injection could touch: every keyspace and table, except the fresh keyspaces other
 * test files create and drop while this one runs (they would make the snapshot flaky).
 */
async function schemaSnapshot(client: Client, ownKeyspace: string): Promise<string> {
  const stable = (keyspace: string) => keyspace === ownKeyspace || !/^(t|bench)_/.test(keyspace);
  const keyspaces = await client.execute('SELECT keyspace_name FROM system_schema.keyspaces');
  const tables = await client.execute('SELECT keyspace_name, table_name FROM system_schema.tables');
  return JSON.stringify([
    keyspaces.rows
      .map((r) => r.get('keyspace_name') as string)
      .filter(stable)
      .sort(),
    tables.rows
      .filter((r) => stable(r.get('keyspace_name') as string))
      .map((r) => `${r.get('keyspace_name')}.${r.get('table_name')}`)
      .sort(),
  ]);
}

describe('identifiers crafted as injection attempts', () => {
  const ctx = useMigratedStore('identifiers');
  let counting: Client;
  const requests = new RoundTripCounter();

  beforeAll(async () => {
    counting = createClient({ requestTracker: requests });
    await counting.connect();
  });
  afterAll(async () => {
    await counting.shutdown();
  });

  it('keyspace and table names are refused before any CQL runs, and the schema is unchanged', async () => {
    const before = await schemaSnapshot(ctx.client(), ctx.keyspace);
    const sent = requests.count;
    for (const name of HOSTILE_IDENTIFIERS) {
      expect(() => new ChatHistoryStore({ client: counting, keyspace: name })).toThrow(InvalidIdentifierError);
      expect(() => new MigrationRunner({ client: counting, keyspace: name })).toThrow(InvalidIdentifierError);
      expect(() => new CassioChatMessageHistory({ client: counting, keyspace: name, sessionId: 's' })).toThrow(
        InvalidIdentifierError,
      );
      expect(
        () => new CassioChatMessageHistory({ client: counting, keyspace: ctx.keyspace, table: name, sessionId: 's' }),
      ).toThrow(InvalidIdentifierError);
    }
    expect(requests.count).toBe(sent);
    expect(await schemaSnapshot(ctx.client(), ctx.keyspace)).toBe(before);
  });

  it('session and user ids crafted as injections are refused by validation, and nothing is written', async () => {
    const before = await schemaSnapshot(ctx.client(), ctx.keyspace);
    const store = new ChatHistoryStore({ client: counting, keyspace: ctx.keyspace });
    await store.ready();
    const sent = requests.count;
    for (const id of ['x; DROP KEYSPACE y', "s' OR '1'='1", 's"', 'a b', '../etc', 'x'.repeat(129), '']) {
      const error = await (async () => store.history(id).addUserMessage('hi'))().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MessageValidationError);
      expect((error as MessageValidationError).issues.map((i) => i.property)).toContain('sessionId');
      await expect(store.sessions.create({ sessionId: id })).rejects.toBeInstanceOf(EntityValidationError);
      await expect(store.sessions.create({ userId: id })).rejects.toBeInstanceOf(EntityValidationError);
    }
    const writes = await ctx.client().execute(`SELECT count(*) FROM ${ctx.keyspace}.chat_messages`);
    expect(Number(writes.first().get('count'))).toBe(0);
    const sessions = await ctx.client().execute(`SELECT count(*) FROM ${ctx.keyspace}.chat_sessions`);
    expect(Number(sessions.first().get('count'))).toBe(0);
    expect(requests.count - sent).toBe(0);
    expect(await schemaSnapshot(ctx.client(), ctx.keyspace)).toBe(before);
  });
});
