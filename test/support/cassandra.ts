import { randomBytes } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { createClient } from '../../src/config';

/** A driver client for integration tests, configured from the same environment as the package. */
export function testClient(): Client {
  return createClient();
}

/** A unique, valid keyspace name for one test file: `t_<label>_<random>`. */
export function uniqueKeyspaceName(label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 24);
  return `t_${clean}_${randomBytes(5).toString('hex')}`;
}

export async function createKeyspace(client: Client, keyspace: string): Promise<void> {
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
}

export async function dropKeyspace(client: Client, keyspace: string): Promise<void> {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
}

/**
 * Gives a test file its own fresh keyspace, created before its tests and dropped after them.
 * `create: false` only reserves the name (for tests where the migrations runner creates it).
 */
export function useFreshKeyspace(
  label: string,
  opts: { create?: boolean } = {},
): {
  readonly client: () => Client;
  readonly keyspace: string;
} {
  const keyspace = uniqueKeyspaceName(label);
  let client: Client | undefined;
  beforeAll(async () => {
    client = testClient();
    await client.connect();
    if (opts.create !== false) await createKeyspace(client, keyspace);
  });
  afterAll(async () => {
    if (client) {
      await dropKeyspace(client, keyspace).catch(() => undefined);
      await client.shutdown();
    }
  });
  return {
    keyspace,
    client: () => {
      if (!client) throw new Error('useFreshKeyspace: the client is only available inside tests');
      return client;
    },
  };
}
