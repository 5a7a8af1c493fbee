import { type Client, ExecutionProfile, type types } from 'cassandra-driver';

/**
 * The driver's Mapper forwards only `executionProfile`, `fetchSize`, `pageState`, `timestamp` and
 * `isIdempotent` to the client: a per-call `consistency` is silently dropped. It does accept an
 * ExecutionProfile *instance* as `executionProfile`, so the store builds one that carries its
 * consistency levels and reuses the client's own policies (a profile the client does not know has
 * no load-balancing policy of its own, and the driver reads it from the profile without fallback).
 */
export interface ConsistencySettings {
  readonly consistency: types.consistencies;
  readonly serialConsistency: types.consistencies;
}

interface ClientPolicies {
  readonly options?: {
    readonly policies?: {
      readonly loadBalancing?: ExecutionProfile['loadBalancing'];
      readonly retry?: ExecutionProfile['retry'];
    };
  };
}

export function buildExecutionProfile(client: Client, settings: ConsistencySettings): ExecutionProfile {
  // `options` is public at runtime but missing from the driver's typings.
  const options = (client as unknown as ClientPolicies).options;
  return new ExecutionProfile('cassandra-chat-history', {
    consistency: settings.consistency,
    serialConsistency: settings.serialConsistency,
    loadBalancing: options?.policies?.loadBalancing,
    retry: options?.policies?.retry,
  });
}
