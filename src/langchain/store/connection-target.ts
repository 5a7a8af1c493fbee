import type { Client } from 'cassandra-driver';
import type { ReplicationSettings } from '../../config';
import { ConfigurationError, SchemaNotMigratedError } from '../../errors';
import { ChatHistoryStore } from '../../history';
import { assertIdentifier } from '../../identifiers';
import { MigrationRunner } from '../../migrations';
import { CassioChatMessageHistory, CassioTableLayoutError, createCassioTable } from '../cassio';
import {
  acquireClient,
  type ClientLease,
  type CommunityClientArgs,
  oncePerClient,
  perClient,
  toDriverOptions,
} from '../connection';

/** What a history built from connection options adds to the windowing options of the store form. */
export interface ConnectionTargetOptions extends CommunityClientArgs {
  /** The keyspace of the histories (required, as in @langchain/community). */
  readonly keyspace: string;
  /**
   * A table name selects LangChain Python's cassio layout `(partition_id, row_id, body_blob)` in that
   * table, shared with Python services; leave it out for the package's migrated tables. The package's
   * tables have fixed names (the migrations create them), so `table` cannot rename them.
   */
  readonly table?: string;
  readonly sessionId: string;
  readonly ttlSeconds?: number;
  readonly limit?: number;
  /**
   * Opt-in: on first use, apply the package's migrations to `keyspace` (creating it with
   * `replication`), or with `table` create the cassio table (the keyspace must exist). Without it an
   * unmigrated keyspace fails with SchemaNotMigratedError saying how to migrate.
   */
  readonly migrateOnFirstUse?: boolean;
  /** Replication of the keyspace when `migrateOnFirstUse` creates it. Default: `CASSANDRA_REPLICATION` (RF 1). */
  readonly replication?: ReplicationSettings;
}

/** The client lease and the layout a connection-options history runs on. */
export interface ConnectionTarget {
  readonly lease: ClientLease;
  readonly store?: ChatHistoryStore;
  readonly cassio?: CassioChatMessageHistory;
  /** Awaited before each operation: the opted-in schema set-up, once per client and keyspace/table. */
  readonly prepare: () => Promise<void>;
}

/** Keys of the options that are the history's own, not the driver's. */
const HISTORY_KEYS = [
  'keyspace',
  'table',
  'sessionId',
  'ttlSeconds',
  'limit',
  'window',
  'maxTokens',
  'countTokens',
  'startWithUser',
  'keepSystem',
  'migrateOnFirstUse',
  'replication',
] as const;

const sharedStores = new WeakMap<Client, Map<string, ChatHistoryStore>>();

/** Histories of one client and keyspace share a store (and its session cache). */
export function sharedStore(client: Client, keyspace: string): ChatHistoryStore {
  return perClient(sharedStores, client, keyspace, () => new ChatHistoryStore({ client, keyspace }));
}

/** Validates the options, then takes a lease on the shared client of their configuration. */
export function connectTarget(options: ConnectionTargetOptions, windowed: boolean): ConnectionTarget {
  const keyspace = assertIdentifier('keyspace', options.keyspace);
  const table = options.table === undefined ? undefined : assertIdentifier('table', options.table);
  if (table !== undefined && windowed) {
    throw new ConfigurationError(
      "window, maxTokens, countTokens, startWithUser and keepSystem need the package's tables: leave `table` out " +
        '(a table name selects the cassio layout, which supports limit and ttlSeconds only)',
    );
  }
  const driverArgs: Record<string, unknown> = { ...options };
  for (const key of HISTORY_KEYS) delete driverArgs[key];
  const driverOptions = toDriverOptions(driverArgs as CommunityClientArgs);
  const lease = acquireClient(driverOptions);
  const { client } = lease;
  const migrate = options.migrateOnFirstUse === true;
  try {
    if (table !== undefined) {
      const { sessionId, ttlSeconds, limit } = options;
      const cassio = new CassioChatMessageHistory({ client, keyspace, table, sessionId, ttlSeconds, limit });
      const create = () => createCassioTable({ client, keyspace, table });
      return {
        lease,
        cassio,
        prepare: migrate ? () => oncePerClient(client, `cassio:${keyspace}.${table}`, create) : noSetUp,
      };
    }
    const run = async () => {
      await new MigrationRunner({ client, keyspace, replication: options.replication }).up();
    };
    const store = sharedStore(client, keyspace.toLowerCase());
    return { lease, store, prepare: migrate ? () => oncePerClient(client, `migrations:${keyspace}`, run) : noSetUp };
  } catch (error) {
    void lease.release();
    throw error;
  }
}

async function noSetUp(): Promise<void> {}

/** Adds the opt-in to a schema error's remedy (the error is ours and not yet seen by anyone). */
export function withFirstUseHint(error: unknown): unknown {
  if (error instanceof SchemaNotMigratedError && !(error instanceof CassioTableLayoutError)) {
    error.message += ' Or construct the history with migrateOnFirstUse: true to do it on first use.';
  }
  return error;
}
