import type { ReplicationSettings } from '../config';
import { ConfigurationError } from '../errors';

/** Data-center names as `replicationFromEnv` accepts them; they end up inside a CQL string literal. */
const DATA_CENTER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function assertFactor(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw new ConfigurationError(`${what} must be an integer from 1 to 100, got ${String(value)}`);
  }
  return value;
}

/**
 * The `replication = {...}` map literal of `CREATE KEYSPACE`. DDL takes no bind markers, so every
 * piece is validated here instead: data-center names against a strict pattern, factors as integers.
 */
export function replicationCql(replication: ReplicationSettings): string {
  if (replication.class === 'SimpleStrategy') {
    const factor = assertFactor(replication.replicationFactor, 'replicationFactor');
    return `{'class': 'SimpleStrategy', 'replication_factor': ${factor}}`;
  }
  if (replication.class !== 'NetworkTopologyStrategy') {
    throw new ConfigurationError(
      `replication.class must be SimpleStrategy or NetworkTopologyStrategy, got ${JSON.stringify(String((replication as { class: unknown }).class))}`,
    );
  }
  const entries = Object.entries(replication.dataCenters);
  if (entries.length === 0) {
    throw new ConfigurationError('NetworkTopologyStrategy replication needs at least one data center');
  }
  const parts = entries.map(([dc, factor]) => {
    if (!DATA_CENTER_NAME.test(dc)) {
      throw new ConfigurationError(`Invalid data center name ${JSON.stringify(dc)} in replication settings`);
    }
    return `'${dc}': ${assertFactor(factor, `replication factor of ${dc}`)}`;
  });
  return `{'class': 'NetworkTopologyStrategy', ${parts.join(', ')}}`;
}
