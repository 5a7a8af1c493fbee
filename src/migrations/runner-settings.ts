import { hostname, userInfo } from 'node:os';
import { replicationFromEnv, type ReplicationSettings } from '../config';
import { ConfigurationError } from '../errors';
import { assertIdentifier } from '../identifiers';
import type { MigrationRunnerOptions } from './migration-types';
import { PACKAGE_MIGRATIONS_DIRECTORY } from './package-migrations';
import { replicationCql } from './replication';

/** A runner's options with every default filled in and every number checked, frozen. */
export interface RunnerSettings {
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

/** Checks and completes the options; throws ConfigurationError before anything connects. */
export function resolveRunnerSettings(options: MigrationRunnerOptions): RunnerSettings {
  const keyspace = assertIdentifier('keyspace', options.keyspace);
  const replication = options.replication ?? replicationFromEnv();
  return Object.freeze({
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
}

/** A version given as an argument (`up({ target })`, `baseline(version)`). */
export function versionArgument(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`${name} must be a positive integer version, got ${String(value)}`);
  }
  return value;
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${name} must be an integer >= ${min}, got ${String(value)}`);
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
