import type { Client } from 'cassandra-driver';
import type { ReplicationSettings } from '../config';
import type { MigrationLogger } from './migration-events';

/** Options of a MigrationRunner; frozen at construction (Kysely's Migrator style). */
export interface MigrationRunnerOptions {
  /** The application's client. The runner never shuts it down and never changes its keyspace. */
  readonly client: Client;
  /** Target keyspace; created when missing. Validated before any CQL is sent. */
  readonly keyspace: string;
  /** Folder of `V<version>__<description>.cql` files. Default: the package's own `migrations/`. */
  readonly directory?: string;
  /** Replication of the keyspace when the runner creates it. Default: `CASSANDRA_REPLICATION` (RF 1). */
  readonly replication?: ReplicationSettings;
  /** TTL of the lock row; the lock is renewed every third of it. Default 60. */
  readonly lockTtlSeconds?: number;
  /** How long to wait for another runner's lock before MigrationLockTimeoutError. Default 300000. */
  readonly lockWaitTimeoutMs?: number;
  /** Pause between attempts to take a busy lock. Default 1000. */
  readonly lockPollIntervalMs?: number;
  /** Longest wait for schema agreement, before the run and after each statement. Default 60000. */
  readonly schemaAgreementTimeoutMs?: number;
  /** Client-side timeout of one migration statement (DDL can be slow on a big cluster). Default 120000. */
  readonly statementTimeoutMs?: number;
  /** Apply a pending version lower than the highest applied one instead of refusing. Default false. */
  readonly outOfOrder?: boolean;
  /** Recorded in the history. Default: `<os user>@<host name>`. */
  readonly appliedBy?: string;
  /** Receives every event (`console` fits). */
  readonly logger?: MigrationLogger;
  /**
   * Builds a client whose session keyspace is `keyspace`, for the statements of the migration files
   * (they are written without a keyspace prefix). Default: one derived from `client`'s options, or
   * `client` itself when it is already bound to that keyspace. The runner connects it once the
   * keyspace exists and shuts it down at the end of the run.
   */
  readonly createKeyspaceClient?: (keyspace: string) => Client;
}

/** Options of {@link MigrationRunner.up}. */
export interface UpOptions {
  /** Apply pending versions up to and including this one only. */
  readonly target?: number;
  /** Take no lock and change nothing: return what would run, statements included. */
  readonly dryRun?: boolean;
}

/** One migration applied (or, in a dry run, that would be applied). */
export interface MigrationResult {
  readonly version: number;
  readonly description: string;
  readonly file: string;
  /** SHA-256 of the file with normalised line endings. */
  readonly checksum: string;
  /** Wall time of the file's statements and schema agreement waits; 0 in a dry run. */
  readonly executionMs: number;
  /** The CQL statements of the file, in order, without their `;`. */
  readonly statements: readonly string[];
}

/**
 * applied: recorded as SUCCESS. pending: not applied yet. failed: recorded as FAILED (retried by
 * `up`, removed by `repair`). baseline: the baseline row. below_baseline: a file at or below the
 * baseline, never run. missing: applied, but its file is gone.
 */
export type MigrationState = 'applied' | 'pending' | 'failed' | 'baseline' | 'below_baseline' | 'missing';

/** One version as `status` sees it: the file on disk and its history row, when there are any. */
export interface MigrationStatusEntry {
  readonly version: number;
  readonly description: string;
  readonly file?: string;
  readonly state: MigrationState;
  /** Checksum of the file on disk. */
  readonly checksum?: string;
  /** Checksum recorded in the history. */
  readonly appliedChecksum?: string;
  readonly appliedAt?: Date;
  readonly appliedBy?: string;
  readonly executionMs?: number;
  /** For a failed version: index (from 0) of the statement that failed, and the error. */
  readonly failedStatementIndex?: number;
  readonly error?: string;
}

/** What keeps a keyspace from matching its migration files. */
export interface MigrationProblem {
  readonly kind: 'checksum_mismatch' | 'missing_file' | 'out_of_order' | 'failed';
  readonly version: number;
  readonly file?: string;
  readonly message: string;
}

/** The schema state of a keyspace. */
export interface MigrationStatus {
  readonly keyspace: string;
  /** False before the first `up` or `baseline`: every file is then pending. */
  readonly initialized: boolean;
  readonly entries: readonly MigrationStatusEntry[];
  /** The problems `validate` reports; `up` refuses on all but `failed`, which it retries. */
  readonly problems: readonly MigrationProblem[];
}

/** What `repair` changed. */
export interface RepairResult {
  /** Versions whose FAILED row was removed (they are pending again). */
  readonly removedFailed: readonly number[];
  /** Versions whose recorded checksum was replaced by the checksum of the file on disk. */
  readonly realignedChecksums: readonly number[];
}
