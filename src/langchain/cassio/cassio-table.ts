import type { Client } from 'cassandra-driver';
import { SchemaAgreementError } from '../../errors';
import { assertIdentifier } from '../../identifiers';
import { withDriverErrors } from '../../driver';

/** LangChain Python's default table name (langchain_community chat_message_histories/cassandra.py). */
export const CASSIO_DEFAULT_TABLE = 'message_store';

export interface CassioTableOptions {
  readonly client: Client;
  readonly keyspace: string;
  /** Default `message_store`. */
  readonly table?: string;
}

/**
 * The table LangChain Python's `CassandraChatMessageHistory` provisions: a cassio
 * `ClusteredCassandraTable(primary_key_type=["TEXT", "TIMEUUID"], ordering_in_partition="DESC")`,
 * i.e. cassio's `_get_db_setup_cql` (table/base_table.py) with the clustered mixin's columns
 * (table/mixins/clustered.py): partition_id, then row_id, then body_blob, clustered newest first.
 */
export function cassioTableCql(keyspace: string, table: string = CASSIO_DEFAULT_TABLE): string {
  const ks = assertIdentifier('keyspace', keyspace);
  const tb = assertIdentifier('table', table);
  return (
    `CREATE TABLE IF NOT EXISTS ${ks}.${tb} (partition_id TEXT, row_id TIMEUUID, body_blob TEXT, ` +
    'PRIMARY KEY ((partition_id), row_id)) WITH CLUSTERING ORDER BY (row_id DESC)'
  );
}

/**
 * Creates the cassio message table when it does not exist (the keyspace must exist). A Python
 * service with its default `setup_mode` would create the same table; creating it from either side
 * first is fine.
 */
export async function createCassioTable(options: CassioTableOptions): Promise<void> {
  const table = options.table ?? CASSIO_DEFAULT_TABLE;
  const cql = cassioTableCql(options.keyspace, table);
  const result = await withDriverErrors({ operation: 'createCassioTable', keyspace: options.keyspace, table }, () =>
    options.client.execute(cql),
  );
  // The driver waits for schema agreement after DDL and reports the outcome (missing from its typings).
  const info = result.info as unknown as { isSchemaInAgreement?: boolean } | undefined;
  if (info?.isSchemaInAgreement === false) {
    throw new SchemaAgreementError(
      `createCassioTable: the nodes did not agree on the schema of ${options.keyspace}.${table} in time; ` +
        'wait for the cluster to settle (nodetool describecluster) before using the table',
    );
  }
}
