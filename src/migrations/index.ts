/** Versioned CQL migrations: the runner, its options and results, and the CQL splitter. */
export { MigrationRunner } from './migration-runner';
export { problemError } from './migration-plan';
export type {
  MigrationProblem,
  MigrationResult,
  MigrationRunnerOptions,
  MigrationState,
  MigrationStatus,
  MigrationStatusEntry,
  RepairResult,
  UpOptions,
} from './migration-types';
export type { MigrationEvent, MigrationEventOf, MigrationEventType, MigrationLogger } from './migration-events';
export { splitCql, normalizeLineEndings, type CqlStatement } from './cql-splitter';
export { migrationChecksum } from './checksum';
export { loadMigrationFiles, parseMigrationFileName, type MigrationFile } from './migration-files';
export { PACKAGE_MIGRATIONS_DIRECTORY } from './package-migrations';
export { SCHEMA_HISTORY_TABLE } from './schema-history';
export { MIGRATION_LOCK_TABLE } from './migration-lock';
