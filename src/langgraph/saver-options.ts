import type { SerializerProtocol } from '@langchain/langgraph-checkpoint';
import type { Client, types } from 'cassandra-driver';
import { ConfigurationError } from '../errors';
import { MAX_TTL_SECONDS } from '../mapping';

/** A TTL for every thread, or one chosen per thread (undefined: no TTL for that thread). */
export type CheckpointTtl = number | ((threadId: string) => number | undefined);

export interface CassandraSaverOptions {
  readonly client: Client;
  /** A keyspace migrated to V0003 or later (`npm run migrate`); default `chat`. */
  readonly keyspace?: string;
  /** Default `LOCAL_QUORUM`. */
  readonly consistency?: types.consistencies;
  /** LangGraph's serializer protocol; default the base class's `JsonPlusSerializer`. */
  readonly serde?: SerializerProtocol;
  /**
   * Rows of a checkpoint (and the channel values it reads, re-written when older than half the TTL)
   * live `ttlSeconds` after the checkpoint was saved; the thread's index row after its last one.
   */
  readonly ttlSeconds?: CheckpointTtl;
  /** Keep only the newest N checkpoints of each thread and namespace: older ones are dropped after each put. */
  readonly keepLast?: number;
}

/** A TTL in whole seconds, 1 s to 20 years; ConfigurationError naming the option otherwise. */
export function checkTtlSeconds(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_TTL_SECONDS) {
    throw new ConfigurationError(
      `${name} must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}, got ${String(value)}`,
    );
  }
  return value;
}

export function checkKeepLast(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`${name} must be a whole number of checkpoints ≥ 1, got ${String(value)}`);
  }
  return value;
}
