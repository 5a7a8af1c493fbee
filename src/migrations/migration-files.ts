import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MigrationError } from '../errors';
import { migrationChecksum, normalizeMigrationText } from './checksum';
import { splitCql, type CqlStatement } from './cql-splitter';

/** `V<version>__<snake_description>.cql`; the version may be zero-padded (`V0001` is version 1). */
const MIGRATION_FILE_NAME = /^V(\d+)__([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)\.cql$/;

/** The history table stores versions as CQL `int`. */
const MAX_VERSION = 2_147_483_647;

/** A migration file found on disk. */
export interface MigrationFile {
  readonly version: number;
  /** The description part of the name, underscores shown as spaces (Flyway's convention). */
  readonly description: string;
  /** File name, without its directory. */
  readonly file: string;
  /** Absolute path. */
  readonly path: string;
  /** See {@link migrationChecksum}. */
  readonly checksum: string;
  /** Normalised text (LF line endings, no BOM). */
  readonly text: string;
}

/** Version and description encoded in a migration file name, or `undefined` when it is not one. */
export function parseMigrationFileName(file: string): { version: number; description: string } | undefined {
  const match = MIGRATION_FILE_NAME.exec(file);
  if (!match) return undefined;
  const version = Number(match[1]);
  if (!Number.isSafeInteger(version) || version < 1 || version > MAX_VERSION) return undefined;
  return { version, description: match[2].replace(/_/g, ' ') };
}

/**
 * Reads the migrations of a directory, sorted by version. Every `.cql` file must follow the naming
 * pattern (a typo such as `v2_add.cql` would otherwise be skipped silently, and its change never
 * applied); other files (README, hidden files) and sub-directories are ignored. Two files with the
 * same version (`V1__a.cql`, `V0001__b.cql`) are refused.
 */
export function loadMigrationFiles(directory: string): MigrationFile[] {
  const dir = resolve(directory);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new MigrationError(`Cannot read the migrations directory ${dir}`, { cause: error });
  }
  const byVersion = new Map<number, MigrationFile>();
  for (const name of names.sort()) {
    if (name.startsWith('.') || !name.toLowerCase().endsWith('.cql')) continue;
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const parsed = parseMigrationFileName(name);
    if (parsed === undefined) {
      throw new MigrationError(
        `Invalid migration file name ${JSON.stringify(name)} in ${dir}: expected V<version>__<description>.cql ` +
          `with a version from 1 to ${MAX_VERSION} and a description of letters, digits and single underscores, ` +
          'e.g. V0002__add_message_index.cql',
        { file: name },
      );
    }
    const raw = readFileSync(path, 'utf8');
    const migration: MigrationFile = {
      ...parsed,
      file: name,
      path,
      checksum: migrationChecksum(raw),
      text: normalizeMigrationText(raw),
    };
    const clash = byVersion.get(parsed.version);
    if (clash !== undefined) {
      throw new MigrationError(`Duplicate migration version ${parsed.version}: ${clash.file} and ${name} in ${dir}`, {
        version: parsed.version,
        file: name,
      });
    }
    byVersion.set(parsed.version, migration);
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/** The statements of a migration file; a CqlSyntaxError carries the file name and line. */
export function migrationStatements(migration: MigrationFile): CqlStatement[] {
  return splitCql(migration.text, migration.file);
}
