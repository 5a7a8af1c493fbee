import { randomUUID } from 'node:crypto';
import { MigrationError } from '../errors';
import { migrationStatusAttributes, migrationsAttributes, OperationSpans } from '../telemetry';
import { bootstrapMigrationTables, isInitialized } from './migration-bootstrap';
import { MigrationConnection } from './migration-connection';
import { MigrationEventBus, type MigrationEventOf, type MigrationEventType } from './migration-events';
import { loadMigrationFiles, migrationStatements, type MigrationFile } from './migration-files';
import { MigrationLock } from './migration-lock';
import { planMigrations, problemError, type MigrationPlan } from './migration-plan';
import type {
  MigrationResult,
  MigrationRunnerOptions,
  MigrationStatus,
  RepairResult,
  UpOptions,
} from './migration-types';
import { resolveRunnerSettings, versionArgument, type RunnerSettings } from './runner-settings';
import { assertNoNodeDown, waitForSchemaAgreement } from './schema-agreement';
import { SchemaHistory, type SchemaHistoryRow } from './schema-history';
import { applyVersion, resultBase, statementTexts, type ApplyContext } from './version-applier';

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
  private readonly settings: RunnerSettings;
  private readonly events: MigrationEventBus;
  private readonly spans: OperationSpans;

  constructor(options: MigrationRunnerOptions) {
    this.settings = resolveRunnerSettings(options);
    this.client = options.client;
    this.createKeyspaceClient = options.createKeyspaceClient;
    this.events = new MigrationEventBus(options.logger);
    this.spans = new OperationSpans(this.settings.keyspace);
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
   * are never run. Only on a keyspace without schema history.
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
      return this.withConnection(async (connection) => {
        const plan = this.refuseOnProblems(files, await appliedHistory(connection));
        return due(plan).map((file) => ({
          ...resultBase(file),
          executionMs: 0,
          statements: statementTexts(migrationStatements(file)),
        }));
      });
    }

    return this.locked(async (run) => {
      const plan = this.refuseOnProblems(files, await run.schemaHistory.read());
      // Split every file first: a syntax error in the third file must not leave the first two applied.
      const work = due(plan).map((file) => ({ file, statements: migrationStatements(file) }));
      const results: MigrationResult[] = [];
      for (const { file, statements } of work) {
        results.push(await applyVersion(run, file, statements));
      }
      return results;
    });
  }

  private async readStatus(): Promise<MigrationStatus> {
    const files = loadMigrationFiles(this.settings.directory);
    return this.withConnection(async (connection) => {
      const initialized = await isInitialized(connection);
      const rows = initialized ? await new SchemaHistory(connection).read() : [];
      const plan = planMigrations(files, rows, { outOfOrder: this.settings.outOfOrder });
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
    await this.locked(async ({ lease, schemaHistory }) => {
      const rows = await schemaHistory.read();
      if (rows.length > 0) {
        throw new MigrationError(
          `Cannot baseline keyspace "${this.settings.keyspace}": its history already has ${rows.length} row(s) ` +
            `(up to version ${rows[rows.length - 1].version}); baseline is for a schema that was never migrated by this runner`,
          { version: baselineVersion },
        );
      }
      const file = files.find((f) => f.version === baselineVersion);
      lease.assertHeld();
      await schemaHistory.write({
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
    const initialized = await this.withConnection((connection) => isInitialized(connection));
    if (!initialized) return { removedFailed: [], realignedChecksums: [] };
    return this.locked(async ({ lease, schemaHistory }) => {
      const byVersion = new Map(files.map((f) => [f.version, f]));
      const removedFailed: number[] = [];
      const realignedChecksums: number[] = [];
      for (const row of await schemaHistory.read()) {
        lease.assertHeld();
        const file = byVersion.get(row.version);
        if (row.state === 'FAILED') {
          await schemaHistory.remove(row.version);
          removedFailed.push(row.version);
          this.events.emit({ type: 'failed-row-removed', version: row.version });
        } else if (row.state === 'SUCCESS' && file !== undefined && file.checksum !== row.checksum) {
          await schemaHistory.updateChecksum(row.version, file.checksum);
          realignedChecksums.push(row.version);
          this.events.emit({
            type: 'checksum-realigned',
            version: row.version,
            from: row.checksum ?? '',
            to: file.checksum,
          });
        }
      }
      return { removedFailed, realignedChecksums };
    });
  }

  private refuseOnProblems(files: readonly MigrationFile[], rows: readonly SchemaHistoryRow[]): MigrationPlan {
    const plan = planMigrations(files, rows, { outOfOrder: this.settings.outOfOrder });
    // A FAILED version is not a reason to stop: it is what `up` retries.
    const blocking = plan.problems.filter((p) => p.kind !== 'failed');
    if (blocking.length > 0) throw problemError(blocking);
    return plan;
  }

  private async withConnection<T>(work: (connection: MigrationConnection) => Promise<T>): Promise<T> {
    const connection = new MigrationConnection(this.client, this.settings.keyspace, this.createKeyspaceClient);
    try {
      await connection.connect();
      return await work(connection);
    } finally {
      await connection.close();
    }
  }

  /**
   * Checks the cluster, bootstraps, takes the lock (a fresh owner id per operation, so two calls
   * in one process exclude each other too), runs `work`, and always releases the lock.
   */
  private locked<T>(work: (run: ApplyContext) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      assertNoNodeDown(connection);
      const schemaHistory = new SchemaHistory(connection);
      const lock = new MigrationLock(
        connection,
        {
          owner: `${this.settings.appliedBy}/${process.pid}/${randomUUID()}`,
          ttlSeconds: this.settings.lockTtlSeconds,
          waitTimeoutMs: this.settings.lockWaitTimeoutMs,
          pollIntervalMs: this.settings.lockPollIntervalMs,
        },
        this.events,
      );
      await bootstrapMigrationTables(connection, lock, schemaHistory, this.settings, this.events);
      const lease = await lock.acquire();
      try {
        // Under the lock no other runner changes the schema, so a disagreement (an earlier change
        // still spreading) settles instead of being renewed by someone else's DDL.
        await waitForSchemaAgreement(connection, this.settings.schemaAgreementTimeoutMs, this.events);
        return await work({ connection, lease, schemaHistory, settings: this.settings, events: this.events });
      } finally {
        await lease.release();
      }
    });
  }
}

/** The schema history rows, or none when the keyspace was never migrated (nothing is created). */
async function appliedHistory(connection: MigrationConnection): Promise<SchemaHistoryRow[]> {
  return (await isInitialized(connection)) ? new SchemaHistory(connection).read() : [];
}
