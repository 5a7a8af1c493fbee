import type { Client } from 'cassandra-driver';
import { MigrationRunner } from '../../src/migrations';

/** Migrates a test keyspace with the package's own runner and migration files, as users do. */
export async function applySchema(client: Client, keyspace: string): Promise<void> {
  await new MigrationRunner({ client, keyspace }).up();
}
