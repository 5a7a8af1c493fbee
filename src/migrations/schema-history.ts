import { types } from 'cassandra-driver';
import type { MigrationConnection, CqlRow } from './migration-connection';
import { runnerTableId } from './table-id';

/** The history table, in the target keyspace (Flyway's `flyway_schema_history`). */
export const SCHEMA_HISTORY_TABLE = 'schema_migrations';

/**
 * SUCCESS: applied. FAILED: a statement failed; `up` retries the file from its first statement, and
 * `repair` removes the row. BASELINE: `baseline <version>` marked the schema as applied up to here.
 */
export type HistoryState = 'SUCCESS' | 'FAILED' | 'BASELINE';

/** One row of the history. */
export interface SchemaHistoryRow {
  readonly version: number;
  readonly description: string;
  /** The file applied; absent for a baseline. */
  readonly file?: string;
  /** Checksum of the file when it was applied (or failed). */
  readonly checksum?: string;
  readonly state: HistoryState;
  readonly appliedAt: Date;
  readonly appliedBy: string;
  readonly executionMs?: number;
  /** Statements in the file (SUCCESS) or the index, from 0, of the one that failed (FAILED). */
  readonly statements?: number;
  readonly failedStatementIndex?: number;
  readonly error?: string;
}

function text(row: CqlRow, column: string): string | undefined {
  const value = row[column];
  return typeof value === 'string' ? value : undefined;
}

function int(row: CqlRow, column: string): number | undefined {
  const value = row[column];
  return typeof value === 'number' ? value : undefined;
}

function toSchemaHistoryRow(row: CqlRow): SchemaHistoryRow {
  const appliedAt = row.applied_at;
  const state = text(row, 'state');
  return {
    version: int(row, 'version') ?? 0,
    description: text(row, 'description') ?? '',
    file: text(row, 'script'),
    checksum: text(row, 'checksum'),
    state: state === 'FAILED' || state === 'BASELINE' ? state : 'SUCCESS',
    appliedAt: appliedAt instanceof Date ? appliedAt : new Date(0),
    appliedBy: text(row, 'applied_by') ?? '',
    executionMs: int(row, 'execution_ms'),
    statements: int(row, 'statements'),
    failedStatementIndex: int(row, 'failed_statement'),
    error: text(row, 'error'),
  };
}

/**
 * The schema history of one keyspace. Every row lives in one partition (keyed by the keyspace
 * name), so the whole history is a single QUORUM read, in version order, without a cluster scan.
 * Writes happen only under the migration lock.
 */
export class SchemaHistory {
  private readonly table: string;

  constructor(private readonly connection: MigrationConnection) {
    this.table = `${connection.keyspace}.${SCHEMA_HISTORY_TABLE}`;
  }

  /** `CREATE TABLE IF NOT EXISTS` of the history table, with its name-derived id (see table-id.ts). */
  createTableCql(): string {
    return (
      `CREATE TABLE IF NOT EXISTS ${this.table} (` +
      'keyspace_name text, version int, description text, script text, checksum text, state text, ' +
      'applied_at timestamp, applied_by text, execution_ms int, statements int, failed_statement int, error text, ' +
      'PRIMARY KEY ((keyspace_name), version)) WITH CLUSTERING ORDER BY (version ASC) ' +
      `AND ID = ${runnerTableId(this.connection.keyspace, SCHEMA_HISTORY_TABLE)}`
    );
  }

  /** A cheap read of the history table (it fails on a coordinator that does not know the table yet). */
  probeCql(): { cql: string; params: readonly unknown[] } {
    return {
      cql: `SELECT version FROM ${this.table} WHERE keyspace_name = ? LIMIT 1`,
      params: [this.connection.keyspace],
    };
  }

  async read(): Promise<SchemaHistoryRow[]> {
    const { rows } = await this.connection.query(
      `SELECT version, description, script, checksum, state, applied_at, applied_by, execution_ms, statements, ` +
        `failed_statement, error FROM ${this.table} WHERE keyspace_name = ?`,
      [this.connection.keyspace],
    );
    return rows.map(toSchemaHistoryRow).sort((a, b) => a.version - b.version);
  }

  /** Inserts or replaces the row of `row.version` (a SUCCESS replaces an earlier FAILED). */
  async write(row: SchemaHistoryRow): Promise<void> {
    await this.connection.query(
      `INSERT INTO ${this.table} (keyspace_name, version, description, script, checksum, state, applied_at, ` +
        'applied_by, execution_ms, statements, failed_statement, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        this.connection.keyspace,
        row.version,
        row.description,
        row.file ?? null,
        row.checksum ?? null,
        row.state,
        row.appliedAt,
        row.appliedBy,
        row.executionMs ?? null,
        row.statements ?? null,
        row.failedStatementIndex ?? null,
        row.error ?? null,
      ],
      types.consistencies.quorum,
    );
  }

  async remove(version: number): Promise<void> {
    await this.connection.query(`DELETE FROM ${this.table} WHERE keyspace_name = ? AND version = ?`, [
      this.connection.keyspace,
      version,
    ]);
  }

  async updateChecksum(version: number, checksum: string): Promise<void> {
    await this.connection.query(`UPDATE ${this.table} SET checksum = ? WHERE keyspace_name = ? AND version = ?`, [
      checksum,
      this.connection.keyspace,
      version,
    ]);
  }
}
