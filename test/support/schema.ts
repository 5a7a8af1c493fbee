import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'cassandra-driver';

/**
 * TEMPORARY until the MigrationRunner lands: applies migrations/V*.cql to a keyspace with a naive
 * split on ";" at line ends. Replace with `new MigrationRunner({ client, keyspace }).up()`.
 */
export async function applySchema(client: Client, keyspace: string): Promise<void> {
  const dir = join(__dirname, '..', '..', 'migrations');
  for (const file of readdirSync(dir).filter((f) => /^V\d+__.*\.cql$/.test(f)).sort()) {
    const text = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .map((line) => line.replace(/--.*$/, ''))
      .join('\n');
    for (const statement of text.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) {
      await client.execute(statement.replace(/CREATE TABLE IF NOT EXISTS (\w+)/, `CREATE TABLE IF NOT EXISTS ${keyspace}.$1`));
    }
  }
}
