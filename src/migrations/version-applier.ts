import { MigrationError, SchemaAgreementError } from '../errors';
import type { CqlStatement } from './cql-splitter';
import type { MigrationConnection } from './migration-connection';
import type { MigrationEventBus } from './migration-events';
import type { MigrationFile } from './migration-files';
import type { MigrationLockLease } from './migration-lock';
import type { MigrationResult } from './migration-types';
import type { RunnerSettings } from './runner-settings';
import { waitForSchemaAgreement } from './schema-agreement';
import type { SchemaHistory } from './schema-history';

/** Errors are stored in the schema history row; a driver message can be long. */
const MAX_ERROR_LENGTH = 2000;

/** What a run of one version needs, all held for the length of one `up` under one lease. */
export interface ApplyContext {
  readonly connection: MigrationConnection;
  readonly lease: MigrationLockLease;
  readonly schemaHistory: SchemaHistory;
  readonly settings: RunnerSettings;
  readonly events: MigrationEventBus;
}

/** The part of a result that names the file. */
export function resultBase(
  file: MigrationFile,
): Pick<MigrationResult, 'version' | 'description' | 'file' | 'checksum'> {
  return { version: file.version, description: file.description, file: file.file, checksum: file.checksum };
}

export function statementTexts(statements: readonly CqlStatement[]): string[] {
  return statements.map((s) => s.text);
}

/**
 * Runs the statements of one file and records the version as SUCCESS, or as FAILED (with the
 * statement index and the error) and throws. The lease is checked before every step: a runner that
 * lost its lock (a pause longer than the lock's TTL) stops before it writes anything more.
 */
export async function applyVersion(
  ctx: ApplyContext,
  file: MigrationFile,
  statements: readonly CqlStatement[],
): Promise<MigrationResult> {
  const { connection, lease, schemaHistory, settings, events } = ctx;
  lease.assertHeld();
  events.emit({ type: 'migrating', version: file.version, file: file.file, statements: statements.length });
  const started = Date.now();
  for (const statement of statements) {
    lease.assertHeld();
    const where = { version: file.version, file: file.file, statementIndex: statement.index };
    try {
      // Before: the coordinator must have every earlier change (an ALTER of a table it has not
      // heard of fails, a CREATE it has not heard of makes a second table). After: the next
      // statement, on any coordinator, sees this one. One cheap query each when already agreed.
      await waitForSchemaAgreement(connection, settings.schemaAgreementTimeoutMs, events, where);
      await connection.runInKeyspace(statement.text, settings.statementTimeoutMs);
      await waitForSchemaAgreement(connection, settings.schemaAgreementTimeoutMs, events, where);
    } catch (error) {
      throw await recordFailure(ctx, file, statement, error, Date.now() - started);
    }
  }
  const executionMs = Date.now() - started;
  lease.assertHeld();
  await schemaHistory.write({ ...historyRow(settings, file, 'SUCCESS', executionMs), statements: statements.length });
  events.emit({ type: 'migrated', version: file.version, file: file.file, statements: statements.length, executionMs });
  return { ...resultBase(file), executionMs, statements: statementTexts(statements) };
}

/** Records FAILED (while the lock is still held) and builds the error to throw. */
async function recordFailure(
  ctx: ApplyContext,
  file: MigrationFile,
  statement: CqlStatement,
  error: unknown,
  executionMs: number,
): Promise<MigrationError> {
  const details = { version: file.version, file: file.file, statementIndex: statement.index, cause: error };
  const where = `${file.file} (version ${file.version}) failed at statement index ${statement.index} (line ${statement.line})`;
  let recordNote = '';
  try {
    ctx.lease.assertHeld();
    await ctx.schemaHistory.write({
      ...historyRow(ctx.settings, file, 'FAILED', executionMs),
      failedStatementIndex: statement.index,
      error: errorText(error),
    });
  } catch (recordError) {
    recordNote = ` (and it could not be recorded as FAILED: ${errorText(recordError)})`;
  }
  ctx.events.emit({
    type: 'migration-failed',
    version: file.version,
    file: file.file,
    statementIndex: statement.index,
    line: statement.line,
    error: errorText(error),
  });
  if (error instanceof SchemaAgreementError) {
    return new SchemaAgreementError(`${where}: ${error.message}${recordNote}`, details);
  }
  return new MigrationError(`${where}: ${errorText(error)}${recordNote}`, details);
}

/** The schema history row of a run of `file`, as SUCCESS or FAILED. */
function historyRow(settings: RunnerSettings, file: MigrationFile, state: 'SUCCESS' | 'FAILED', executionMs: number) {
  return {
    version: file.version,
    description: file.description,
    file: file.file,
    checksum: file.checksum,
    state,
    appliedAt: new Date(),
    appliedBy: settings.appliedBy,
    executionMs,
  } as const;
}

/**
 * The error's text, bounded. Errors reaching here came through the connection's driver-error
 * translation, so they carry no login name.
 */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
