/**
 * An application with OpenTelemetry and the cassandra-driver instrumentation, in its own process
 * (the instrumentation hooks Node's require, which jest's module loader bypasses). Migrates the
 * keyspace given as argument, runs facade and session operations, and prints every finished span
 * as one JSON line. The cluster comes from the CASSANDRA_* variables.
 */
// First: the instrumentation must be registered before the driver is loaded.
import { tracing } from './register-tracing';
import { ChatHistoryStore, createClient, MigrationRunner } from '../../../../src';

async function run(): Promise<void> {
  const [keyspace] = process.argv.slice(2);
  const client = createClient();
  try {
    await client.connect();
    await new MigrationRunner({ client, keyspace }).up();
    const store = new ChatHistoryStore({ client, keyspace });
    const session = await store.sessions.create({ userId: 'u-otel-child' });
    const history = store.history(session.sessionId);
    await history.addMessages([
      { role: 'user', content: 'child content 1' },
      { role: 'assistant', content: 'child content 2' },
    ]);
    await history.getMessages({ limit: 10 });
    for await (const _ of history.iterate({ pageSize: 1 })) void _;
    await history.count();
    await store.sessions.delete(session.sessionId);
  } finally {
    await client.shutdown();
  }
  const spans = tracing.spans().map((s) => ({
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentId: s.parentSpanContext?.spanId,
    attributes: s.attributes,
  }));
  process.stdout.write(`${JSON.stringify({ spans })}\n`);
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
