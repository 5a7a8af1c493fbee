import { types, type QueryOptions } from 'cassandra-driver';

/**
 * The facade reads and writes at LOCAL_QUORUM by default; the other contenders' clients are set to
 * the same level so no one is measured at a weaker consistency.
 */
export const BENCH_QUERY_OPTIONS: QueryOptions = { prepare: true, consistency: types.consistencies.localQuorum };
