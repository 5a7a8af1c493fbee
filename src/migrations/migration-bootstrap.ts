import { types } from 'cassandra-driver';
import type { MigrationEventBus } from './migration-events';
import type { MigrationConnection } from './migration-connection';
import { MIGRATION_LOCK_TABLE, type MigrationLock } from './migration-lock';
import type { RunnerSettings } from './runner-settings';
import { waitUntilEveryNode } from './schema-agreement';
import { SCHEMA_HISTORY_TABLE, type SchemaHistory } from './schema-history';

/** True once the schema history table exists (after the first `up` or `baseline`). */
export async function isInitialized(connection: MigrationConnection): Promise<boolean> {
  return (await existingTables(connection)).has(SCHEMA_HISTORY_TABLE);
}

async function existingTables(connection: MigrationConnection): Promise<Set<string>> {
  const { rows } = await connection.query(
    'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?',
    [connection.keyspace],
    types.consistencies.localOne,
  );
  return new Set(rows.map((row) => String(row.table_name)));
}

/**
 * Creates the keyspace and the runner's tables when missing (all `IF NOT EXISTS`). This runs
 * before the lock can exist, so runners started at the same moment on different coordinators all
 * get here. The tables carry name-derived ids, so two CREATEs that cross merge into one table
 * instead of two with different ids; a keyspace has no id, so crossing CREATE KEYSPACEs merge as
 * they are. After each step every node is asked, directly, whether it knows the keyspace (before
 * any CREATE TABLE: a coordinator that does not answers "Keyspace doesn't exist") and then both
 * tables (before the first lock write: a replica that does not know the table fails it). Not
 * full schema agreement: another runner may be changing the schema under the lock meanwhile, and
 * waiting for a moment without any change could starve this one.
 */
export async function bootstrapMigrationTables(
  connection: MigrationConnection,
  lock: MigrationLock,
  schemaHistory: SchemaHistory,
  settings: RunnerSettings,
  events: MigrationEventBus,
): Promise<void> {
  const { keyspace, replicationCql: replication, schemaAgreementTimeoutMs } = settings;
  const keyspaceQuery = {
    cql: 'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
    params: [keyspace],
  };
  const { rows } = await connection.query(keyspaceQuery.cql, keyspaceQuery.params, types.consistencies.localOne);
  if (rows.length === 0) {
    await connection.ddl(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replication}`);
    events.emit({ type: 'keyspace-created', keyspace, replication });
  }
  await waitUntilEveryNode(
    connection,
    `keyspace ${keyspace}`,
    keyspaceQuery,
    (r) => r.length > 0,
    schemaAgreementTimeoutMs,
  );
  const tables = await existingTables(connection);
  if (!tables.has(SCHEMA_HISTORY_TABLE)) await connection.ddl(schemaHistory.createTableCql());
  if (!tables.has(MIGRATION_LOCK_TABLE)) await connection.ddl(lock.createTableCql());
  // Before the first lock write, every node must have both tables in its live schema, or a replica
  // fails that write (`UnknownTableException` in its log):
  // 1. Each node lists both among its live tables: a virtual table of the node's own table metrics,
  //    one per live table store, read locally (no message to another node). Its system_schema rows
  //    were not enough: they come hundreds of ms before the live schema on a loaded node, and a
  //    read probe sent then reached a replica in that gap (1 round in 5 on the 3-node cluster).
  // 2. A read of each table, coordinated by each node, succeeds.
  await waitUntilEveryNode(
    connection,
    `the migration tables of ${keyspace}`,
    { cql: 'SELECT table_name FROM system_views.local_read_latency WHERE keyspace_name = ?', params: [keyspace] },
    (r) => [SCHEMA_HISTORY_TABLE, MIGRATION_LOCK_TABLE].every((t) => r.some((row) => row.table_name === t)),
    schemaAgreementTimeoutMs,
  );
  for (const probe of [lock.probeCql(), schemaHistory.probeCql()]) {
    await waitUntilEveryNode(
      connection,
      `the migration tables of ${keyspace}`,
      probe,
      () => true,
      schemaAgreementTimeoutMs,
    );
  }
}
