import { createHash } from 'node:crypto';
import { normalizeLineEndings } from './cql-splitter';

/**
 * Text of a migration file as the runner sees it: line endings normalised to LF and a leading
 * UTF-8 byte order mark removed, so that a checkout on Windows (CRLF, or an editor adding a BOM)
 * does not count as an edit of an applied migration.
 */
export function normalizeMigrationText(raw: string): string {
  return normalizeLineEndings(raw.startsWith('\uFEFF') ? raw.slice(1) : raw);
}

/** SHA-256 (lower-case hex) of the normalised text of a migration file. */
export function migrationChecksum(raw: string): string {
  return createHash('sha256').update(normalizeMigrationText(raw), 'utf8').digest('hex');
}
