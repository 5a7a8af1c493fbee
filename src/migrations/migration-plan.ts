import { ChecksumMismatchError, MigrationError } from '../errors';
import type { MigrationFile } from './migration-files';
import type { MigrationProblem, MigrationStatusEntry } from './migration-types';
import type { SchemaHistoryRow } from './schema-history';

/** The files on disk laid against the history: what is applied, what is due, what is wrong. */
export interface MigrationPlan {
  /** Every version known from the files or the history, in order. */
  readonly entries: readonly MigrationStatusEntry[];
  /** Files to run, in order: never applied, or FAILED (retried from their first statement). */
  readonly pending: readonly MigrationFile[];
  readonly problems: readonly MigrationProblem[];
}

/**
 * Compares the files with the history (a pure function: the runner's rules in one place).
 * - SUCCESS row and file: applied; a different checksum is a `checksum_mismatch`.
 * - SUCCESS row without file: `missing_file`.
 * - FAILED row: the file is pending again (the fix is expected to change it, so its checksum is not
 *   compared); it is a `failed` problem for `validate` until it succeeds or `repair` removes it.
 * - BASELINE row: files at or below it are never run.
 * - A pending version below the highest applied one is `out_of_order`, unless `outOfOrder`.
 */
export function planMigrations(
  files: readonly MigrationFile[],
  history: readonly SchemaHistoryRow[],
  options: { readonly outOfOrder: boolean },
): MigrationPlan {
  const rows = new Map(history.map((row) => [row.version, row]));
  const filesByVersion = new Map(files.map((file) => [file.version, file]));
  const baseline = Math.max(0, ...history.filter((r) => r.state === 'BASELINE').map((r) => r.version));
  const highestApplied = Math.max(0, ...history.filter((r) => r.state !== 'FAILED').map((r) => r.version));
  const versions = [...new Set([...rows.keys(), ...filesByVersion.keys()])].sort((a, b) => a - b);

  const entries: MigrationStatusEntry[] = [];
  const pending: MigrationFile[] = [];
  const problems: MigrationProblem[] = [];

  for (const version of versions) {
    const file = filesByVersion.get(version);
    const row = rows.get(version);
    const recorded = row
      ? {
          appliedChecksum: row.checksum,
          appliedAt: row.appliedAt,
          appliedBy: row.appliedBy,
          executionMs: row.executionMs,
        }
      : {};
    const base = {
      version,
      description: file?.description ?? row?.description ?? '',
      file: file?.file ?? row?.file,
      checksum: file?.checksum,
    };

    if (row?.state === 'BASELINE') {
      entries.push({ ...base, ...recorded, state: 'baseline' });
    } else if (row?.state === 'SUCCESS') {
      entries.push({ ...base, ...recorded, state: file ? 'applied' : 'missing' });
      if (!file) {
        problems.push({
          kind: 'missing_file',
          version,
          file: row.file,
          message: `Version ${version} (${row.file ?? row.description}) is applied but its file is missing from the migrations directory`,
        });
      } else if (row.checksum !== file.checksum) {
        problems.push({
          kind: 'checksum_mismatch',
          version,
          file: file.file,
          message:
            `${file.file} was changed after it was applied (checksum ${short(row.checksum)} recorded, ` +
            `${short(file.checksum)} on disk): add a new migration instead of editing an applied one ` +
            '(or run `repair` if the edit is deliberate and harmless)',
        });
      }
    } else if (row === undefined && file !== undefined && file.version <= baseline) {
      entries.push({ ...base, state: 'below_baseline' });
    } else {
      if (row?.state === 'FAILED') {
        entries.push({
          ...base,
          ...recorded,
          state: 'failed',
          failedStatementIndex: row.failedStatementIndex,
          error: row.error,
        });
        problems.push({
          kind: 'failed',
          version,
          file: base.file,
          message:
            `Version ${version} (${base.file ?? base.description}) failed at statement index ` +
            `${row.failedStatementIndex ?? '?'}: ${row.error ?? 'unknown error'}` +
            (file
              ? ' (fix the file and run `up` again, or `repair` to remove the record)'
              : ' (its file is gone: run `repair`)'),
        });
      } else {
        entries.push({ ...base, state: 'pending' });
      }
      if (file === undefined) continue;
      pending.push(file);
      if (version < highestApplied && !options.outOfOrder) {
        problems.push({
          kind: 'out_of_order',
          version,
          file: file.file,
          message:
            `${file.file} (version ${version}) is pending but version ${highestApplied} is already applied: ` +
            'give it a version above the highest applied one, or allow it with outOfOrder (--out-of-order)',
        });
      }
    }
  }
  return { entries, pending, problems };
}

function short(checksum: string | undefined): string {
  return checksum === undefined ? 'none' : checksum.slice(0, 12);
}

/** The typed error for a problem, with a note of how many more there are. */
export function problemError(problems: readonly MigrationProblem[]): MigrationError {
  const [first, ...rest] = problems;
  const more = rest.length > 0 ? ` (and ${rest.length} more problem(s): ${rest.map((p) => p.message).join('; ')})` : '';
  const details = { version: first.version, file: first.file };
  return first.kind === 'checksum_mismatch'
    ? new ChecksumMismatchError(first.message + more, details)
    : new MigrationError(first.message + more, details);
}
