/**
 * Loaded first by traced-run.ts: an in-memory SDK and the cassandra-driver instrumentation, which
 * patches the driver when it is required, so nothing may have loaded cassandra-driver before.
 */
import { CassandraDriverInstrumentation } from '@opentelemetry/instrumentation-cassandra-driver';
import { installInMemoryTracing } from '../../../support/tracing';

if (require.cache[require.resolve('cassandra-driver')] !== undefined) {
  throw new Error('cassandra-driver was loaded before its instrumentation was registered');
}

export const tracing = installInMemoryTracing();
export const instrumentation = new CassandraDriverInstrumentation();
