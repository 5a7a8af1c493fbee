import { randomBytes } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { replicationFromEnv } from '../../src/config';

/** A fresh keyspace name per workload and contender: `bench_<workload>_<contender>_<random>`. */
export function benchKeyspaceName(workload: string, contender: string): string {
  const clean = `${workload}_${contender}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  return `bench_${clean}_${randomBytes(4).toString('hex')}`;
}

/** The replication clause from CASSANDRA_REPLICATION, as the migrations runner would use it. */
export function replicationClause(): string {
  const replication = replicationFromEnv();
  if (replication.class === 'SimpleStrategy') {
    return `{'class': 'SimpleStrategy', 'replication_factor': ${replication.replicationFactor}}`;
  }
  const dcs = Object.entries(replication.dataCenters).map(([dc, rf]) => `'${dc}': ${rf}`);
  return `{'class': 'NetworkTopologyStrategy', ${dcs.join(', ')}}`;
}

export async function createKeyspace(client: Client, keyspace: string): Promise<void> {
  await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replicationClause()}`);
}

export async function dropKeyspace(client: Client, keyspace: string): Promise<void> {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
}
