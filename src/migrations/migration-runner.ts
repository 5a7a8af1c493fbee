import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { types } from 'cassandra-driver';
import { replicationFromEnv, type ReplicationSettings } from '../config';
import { ConfigurationError, MigrationError, SchemaAgreementError } from '../errors';
import { assertIdentifier } from '../identifiers';
import { migrationStatusAttributes, migrationsAttributes, OperationSpans } from '../telemetry';
import { ClusterSession } from './cluster-session';
import type { CqlStatement } from './cql-splitter';
import { MigrationEventBus, type MigrationEventOf, type MigrationEventType } from './migration-events';
import { loadMigrationFiles, migrationStatements, type MigrationFile } from './migration-files';
import { LOCK_TABLE, MigrationLock, type MigrationLockLease } from './migration-lock';
import { planMigrations, problemError, type MigrationPlan } from './migration-plan';
import type {
  MigrationResult,
  MigrationRunnerOptions,
  MigrationStatus,
  RepairResult,
  UpOptions,
} from './migration-types';
import { PACKAGE_MIGRATIONS_DIRECTORY } from './package-migrations';
import { replicationCql } from './replication';
import { assertNoNodeDown, waitForSchemaAgreement, waitUntilEveryNode } from './schema-agreement';
import { HISTORY_TABLE, SchemaHistory, type HistoryRow } from './schema-history';

/** Errors are stored in the history row; a driver message can be long. */
const MAX_ERROR_LENGTH = 2000;

interface ResolvedOptions {
  readonly keyspace: string;
  readonly directory: string;
  readonly replication: ReplicationSettings;
  readonly replicationCql: string;
  readonly lockTtlSeconds: number;
  readonly lockWaitTimeoutMs: number;
  readonly lockPollIntervalMs: number;
  readonly schemaAgreementTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly outOfOrder: boolean;
  readonly appliedBy: string;
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function versionArgument(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`${name} must be a positive integer version, got ${String(value)}`);
  }
  return value;
}

function defaultAppliedBy(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // Containers may run as a uid without a passwd entry.
  }
  return `${user}@${hostname()}`;
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

/**
 * Applies versioned CQL migrations (`V<version>__<description>.cql`) to a keyspace, each exactly
 * once and in order, under a cluster-wide lock, with a checksummed history (Flyway's model on
 * Cassandra, with sky-uk/cqlmigrate's lock).
 *
 * ```ts
 * const runner = new MigrationRunner({ client, keyspace: 'chat' });
 * runner.on('migrated', (e) => log.info(e));
 * await runner.up(); // throws MigrationError (or a subclass) on any failure
 * ```
 *
 * Failure model: a failing statement records the version as FAILED (with the statement index and
 * error) and throws; the next `up` retries that file from its first statement, so every statement
 * must be replay-safe (`IF NOT EXISTS` / `IF EXISTS`). `repair` removes FAILED rows and realigns
 * checksums of deliberately edited files.
 */
export class MigrationRunner {
  private readonly client: MigrationRunnerOptions['client'];
  private readonly createKeyspaceClient: MigrationRunnerOptions['createKeyspaceClient'];
  private readonly settings: ResolvedOptions;
  private readonly events: MigrationEventBus;
  private readonly spans: OperationSpans;

  constructor(options: MigrationRunnerOptions) {
    const keyspace = assertIdentifier('keyspace', options.keyspace);
    const replication = options.replication ?? replicationFromEnv();
    this.client = options.client;
    this.createKeyspaceClient = options.createKeyspaceClient;
    this.settings = Object.freeze({
      keyspace,
      directory: options.directory ?? PACKAGE_MIGRATIONS_DIRECTORY,
      replication,
      replicationCql: replicationCql(replication),
      lockTtlSeconds: integerOption('lockTtlSeconds', options.lockTtlSeconds, 60, 1),
      lockWaitTimeoutMs: integerOption('lockWaitTimeoutMs', options.lockWaitTimeoutMs, 300_000, 0),
      lockPollIntervalMs: integerOption('lockPollIntervalMs', options.lockPollIntervalMs, 1_000, 1),
      schemaAgreementTimeoutMs: integerOption('schemaAgreementTimeoutMs', options.schemaAgreementTimeoutMs, 60_000, 0),
      statementTimeoutMs: integerOption('statementTimeoutMs', options.statementTimeoutMs, 120_000, 1),
      outOfOrder: options.outOfOrder ?? false,
      appliedBy: options.appliedBy ?? defaultAppliedBy(),
    });
    this.events = new MigrationEventBus(options.logger);
    this.spans = new OperationSpans(keyspace);
  }

  /** The keyspace this runner migrates. */
  get keyspace(): string {
    return this.settings.keyspace;
  }

  /** The folder the migration files are read from. */
  get directory(): string {
    return this.settings.directory;
  }

  /** Subscribes to one kind of event; returns the function that unsubscribes. */
  on<T extends MigrationEventType>(type: T, listener: (event: MigrationEventOf<T>) => void): () => void {
    return this.events.on(type, listener);
  }

  /**
   * Applies the pending migrations (up to `target`), creating the keyspace and the history and lock
   * tables when missing. Refuses, before running anything, on a changed or missing applied file, an
   * out-of-order version, a node down or a schema disagreement. With `dryRun`, takes no lock and
   * changes nothing, and returns what would run.
   */
  up(options: UpOptions = {}): Promise<MigrationResult[]> {
    return this.spans.trace('migrations.up', () => this.migrateUp(options), migrationsAttributes);
  }

  /** Applied, pending, failed and missing versions with their checksums. Read-only: creates nothing. */
  status(): Promise<MigrationStatus> {
    return this.spans.trace('migrations.status', () => this.readStatus(), migrationStatusAttributes);
  }

  /**
   * Throws the typed error of the first problem (ChecksumMismatchError for an edited applied file,
   * MigrationError for a missing file, an out-of-order version or a FAILED version); returns the
   * status when there is none. Pending versions are not a problem. Read-only.
   */
  validate(): Promise<MigrationStatus> {
    return this.spans.trace('migrations.validate', () => this.validateApplied(), migrationStatusAttributes);
  }

  /**
   * Marks an existing schema as migrated up to `version` (Flyway's baseline): files at or below it
   * are never run. Only on a keyspace without history.
   */
  baseline(version: number): Promise<void> {
    return this.spans.trace('migrations.baseline', () => this.markBaseline(version));
  }

  /**
   * Removes FAILED rows (those versions become pending) and replaces the recorded checksum of
   * applied files that were edited since with the checksum on disk (use only for harmless edits,
   * e.g. comments). Missing files are left alone: restore them. A keyspace never migrated is
   * left untouched.
   */
  repair(): Promise<RepairResult> {
    return this.spans.trace('migrations.repair', () => this.repairHistory());
  }

  private async migrateUp(options: UpOptions): Promise<MigrationResult[]> {
    const target = options.target === undefined ? undefined : versionArgument('target', options.target);
    const files = loadMigrationFiles(this.settings.directory);
    const due = (plan: MigrationPlan): MigrationFile[] =>
      plan.pending.filter((file) => target === undefined || file.version <= target);

    if (options.dryRun === true) {
      return this.withSession(async (session) => {
        const history = (await this.isInitialized(session)) ? await new SchemaHistory(session).read() : [];
        const plan = this.refuseOnProblems(files, history);
        return due(plan).map((file) => ({ ...this.resultBase(file), executionMs: 0, statements: texts(migrationStatements(file)) }));
      });
    }

    return this.locked(async (session, lease, history) => {
      const plan = this.refuseOnProblems(files, await history.read());
      // Split every file first: a syntax error in the third file must not leave the first two applied.
      const work = due(plan).map((file) => ({ file, statements: migrationStatements(file) }));
      const results: MigrationResult[] = [];
      for (const { file, statements } of work) {
        results.push(await this.apply(session, lease, history, file, statements));
      }
      return results;
    });
  }

  private async readStatus(): Promise<MigrationStatus> {
    const files = loadMigrationFiles(this.settings.directory);
    return this.withSession(async (session) => {
      const initialized = await this.isInitialized(session);
      const history = initialized ? await new SchemaHistory(session).read() : [];
      const plan = planMigrations(files, history, { outOfOrder: this.settings.outOfOrder });
      return { keyspace: this.settings.keyspace, initialized, entries: plan.entries, problems: plan.problems };
    });
  }

  private async validateApplied(): Promise<MigrationStatus> {
    const status = await this.readStatus();
    if (status.problems.length > 0) throw problemError(status.problems);
    return status;
  }

  private async markBaseline(version: number): Promise<void> {
    const baselineVersion = versionArgument('baseline version', version);
    const files = loadMigrationFiles(this.settings.directory);
    await this.locked(async (_session, lease, history) => {
      const rows = await history.read();
      if (rows.length > 0) {
        throw new MigrationError(
          `Cannot baseline keyspace "${this.settings.keyspace}": its history already has ${rows.length} row(s) ` +
            `(up to version ${rows[rows.length - 1].version}); baseline is for a schema that was never migrated by this runner`,
          { version: baselineVersion },
        );
      }
      const file = files.find((f) => f.version === baselineVersion);
      lease.assertHeld();
      await history.write({
        version: baselineVersion,
        description: `<< baseline >>${file ? ` ${file.description}` : ''}`,
        file: file?.file,
        checksum: file?.checksum,
        state: 'BASELINE',
        appliedAt: new Date(),
        appliedBy: this.settings.appliedBy,
      });
      this.events.emit({ type: 'baselined', version: baselineVersion });
    });
  }

  private async repairHistory(): Promise<RepairResult> {
    const files = loadMigrationFiles(this.settings.directory);
    const initialized = await this.withSession((session) => this.isInitialized(session));
    if (!initialized) return { removedFailed: [], realignedChecksums: [] };
    return this.locked(async (_session, lease, history) => {
      const byVersion = new Map(files.map((f) => [f.version, f]));
      const removedFailed: number[] = [];
      const realignedChecksums: number[] = [];
      for (const row of await history.read()) {
        lease.assertHeld();
        const file = byVersion.get(row.version);
        if (row.state === 'FAILED') {
          await history.remove(row.version);
          removedFailed.push(row.version);
          this.events.emit({ type: 'failed-row-removed', version: row.version });
        } else if (row.state === 'SUCCESS' && file !== undefined && file.checksum !== row.checksum) {
          await history.updateChecksum(row.version, file.checksum);
          realignedChecksums.push(row.version);
          this.events.emit({ type: 'checksum-realigned', version: row.version, from: row.checksum ?? '', to: file.checksum });
        }
      }
      return { removedFailed, realignedChecksums };
    });
  }

  private refuseOnProblems(files: readonly MigrationFile[], history: readonly HistoryRow[]): MigrationPlan {
    const plan = planMigrations(files, history, { outOfOrder: this.settings.outOfOrder });
    // A FAILED version is not a reason to stop: it is what `up` retries.
    const blocking = plan.problems.filter((p) => p.kind !== 'failed');
    if (blocking.length > 0) throw problemError(blocking);
    return plan;
  }

  /** The history row of a run of `file`, as SUCCESS or FAILED. */
  private historyRow(file: MigrationFile, state: 'SUCCESS' | 'FAILED', executionMs: number) {
    return {
      version: file.version,
      description: file.description,
      file: file.file,
      checksum: file.checksum,
      state,
      appliedAt: new Date(),
      appliedBy: this.settings.appliedBy,
      executionMs,
    } as const;
  }

  private resultBase(file: MigrationFile): Pick<MigrationResult, 'version' | 'description' | 'file' | 'checksum'> {
    return { version: file.version, description: file.description, file: file.file, checksum: file.checksum };
  }

  private async apply(
    session: ClusterSession,
    lease: MigrationLockLease,
    history: SchemaHistory,
    file: MigrationFile,
    statements: readonly CqlStatement[],
  ): Promise<MigrationResult> {
    lease.assertHeld();
    this.events.emit({ type: 'migrating', version: file.version, file: file.file, statements: statements.length });
    const started = Date.now();
    for (const statement of statements) {
      lease.assertHeld();
      const where = { version: file.version, file: file.file, statementIndex: statement.index };
      try {
        // Before: the coordinator must have every earlier change (an ALTER of a table it has not
        // heard of fails, a CREATE it has not heard of makes a second table). After: the next
        // statement, on any coordinator, sees this one. One cheap query each when already agreed.
        await waitForSchemaAgreement(session, this.settings.schemaAgreementTimeoutMs, this.events, where);
        await session.runInKeyspace(statement.text, this.settings.statementTimeoutMs);
        await waitForSchemaAgreement(session, this.settings.schemaAgreementTimeoutMs, this.events, where);
      } catch (error) {
        throw await this.recordFailure(history, lease, file, statement, error, Date.now() - started);
      }
    }
    const executionMs = Date.now() - started;
    lease.assertHeld();
    await history.write({ ...this.historyRow(file, 'SUCCESS', executionMs), statements: statements.length });
    this.events.emit({
      type: 'migrated',
      version: file.version,
      file: file.file,
      statements: statements.length,
      executionMs,
    });
    return { ...this.resultBase(file), executionMs, statements: texts(statements) };
  }

  /** Records FAILED (while we still hold the lock) and builds the error to throw. */
  private async recordFailure(
    history: SchemaHistory,
    lease: MigrationLockLease,
    file: MigrationFile,
    statement: CqlStatement,
    error: unknown,
    executionMs: number,
  ): Promise<MigrationError> {
    const details = { version: file.version, file: file.file, statementIndex: statement.index, cause: error };
    const where = `${file.file} (version ${file.version}) failed at statement index ${statement.index} (line ${statement.line})`;
    let recordNote = '';
    try {
      lease.assertHeld();
      await history.write({
        ...this.historyRow(file, 'FAILED', executionMs),
        failedStatementIndex: statement.index,
        error: message(error),
      });
    } catch (recordError) {
      recordNote = ` (and it could not be recorded as FAILED: ${message(recordError)})`;
    }
    this.events.emit({
      type: 'migration-failed',
      version: file.version,
      file: file.file,
      statementIndex: statement.index,
      line: statement.line,
      error: message(error),
    });
    if (error instanceof SchemaAgreementError) {
      return new SchemaAgreementError(`${where}: ${error.message}${recordNote}`, details);
    }
    return new MigrationError(`${where}: ${message(error)}${recordNote}`, details);
  }

  /** True once the history table exists (after the first `up` or `baseline`). */
  private async isInitialized(session: ClusterSession): Promise<boolean> {
    return (await this.existingTables(session)).has(HISTORY_TABLE);
  }

  private tablesQuery(): { cql: string; params: readonly unknown[] } {
    return { cql: 'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', params: [this.settings.keyspace] };
  }

  private async existingTables(session: ClusterSession): Promise<Set<string>> {
    const { cql, params } = this.tablesQuery();
    const { rows } = await session.query(cql, params, types.consistencies.localOne);
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
  private async bootstrap(session: ClusterSession, lock: MigrationLock, history: SchemaHistory): Promise<void> {
    const { keyspace, replicationCql: replication, schemaAgreementTimeoutMs } = this.settings;
    const keyspaceQuery = { cql: 'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?', params: [keyspace] };
    const { rows } = await session.query(keyspaceQuery.cql, keyspaceQuery.params, types.consistencies.localOne);
    if (rows.length === 0) {
      await session.ddl(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replication}`);
      this.events.emit({ type: 'keyspace-created', keyspace, replication });
    }
    await waitUntilEveryNode(session, `keyspace ${keyspace}`, keyspaceQuery, (r) => r.length > 0, schemaAgreementTimeoutMs);
    const tables = await this.existingTables(session);
    if (!tables.has(HISTORY_TABLE)) await session.ddl(history.createTableCql());
    if (!tables.has(LOCK_TABLE)) await session.ddl(lock.createTableCql());
    // A read of each table, coordinated by each node: it fails until that node's live schema (not
    // just its system_schema rows, which are written first) has the table. Listing the tables in
    // system_schema was not enough: the first lock write then still reached a node between the two
    // (UnknownTableException in its log, once in 5 rounds).
    for (const probe of [lock.probeCql(), history.probeCql()]) {
      await waitUntilEveryNode(session, `the migration tables of ${keyspace}`, probe, () => true, schemaAgreementTimeoutMs);
    }
  }

  private async withSession<T>(work: (session: ClusterSession) => Promise<T>): Promise<T> {
    const session = new ClusterSession(this.client, this.settings.keyspace, this.createKeyspaceClient);
    try {
      await session.connect();
      return await work(session);
    } finally {
      await session.close();
    }
  }

  /**
   * Checks the cluster, bootstraps, takes the lock (a fresh owner id per operation, so two calls
   * in one process exclude each other too), runs `work`, and always releases the lock.
   */
  private locked<T>(work: (session: ClusterSession, lease: MigrationLockLease, history: SchemaHistory) => Promise<T>): Promise<T> {
    return this.withSession(async (session) => {
      assertNoNodeDown(session);
      const history = new SchemaHistory(session);
      const lock = new MigrationLock(
        session,
        {
          owner: `${this.settings.appliedBy}/${process.pid}/${randomUUID()}`,
          ttlSeconds: this.settings.lockTtlSeconds,
          waitTimeoutMs: this.settings.lockWaitTimeoutMs,
          pollIntervalMs: this.settings.lockPollIntervalMs,
        },
        this.events,
      );
      await this.bootstrap(session, lock, history);
      const lease = await lock.acquire();
      try {
        // Under the lock no other runner changes the schema, so a disagreement (an earlier change
        // still spreading) settles instead of being renewed by someone else's DDL.
        await waitForSchemaAgreement(session, this.settings.schemaAgreementTimeoutMs, this.events);
        return await work(session, lease, history);
      } finally {
        await lease.release();
      }
    });
  }
}

function texts(statements: readonly CqlStatement[]): string[] {
  return statements.map((s) => s.text);
}
