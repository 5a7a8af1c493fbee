import * as otel from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from '@opentelemetry/semantic-conventions';
import type { Client } from 'cassandra-driver';
import {
  ChatHistoryStore,
  createClient,
  MigrationError,
  MigrationRunner,
  SchemaNotMigratedError,
  SessionNotFoundError,
} from '../../../src';
import { MessageValidationError } from '../../../src/errors';
import { loadMigrationFiles, PACKAGE_MIGRATIONS_DIRECTORY } from '../../../src/migrations';
import { useFreshKeyspace } from '../../support/cassandra';
import { idAt } from '../../support/store';
import { exportedText, type InMemoryTracing, installInMemoryTracing, parentId } from '../../support/tracing';

// The SDK as an application registers it (global provider, AsyncLocalStorage context manager), with
// the package resolving the real @opentelemetry/api: nothing injected.
const USER_ID = 'otel-user-id-8f3a';
const TITLE = 'otel title 5b1e';
const METADATA = 'otel metadata 77c0';
const CONTENT = ['otel content one a9d2', 'otel content two 4c7e', 'otel content three e013', 'otel content four 2b66'];
const USERNAME = 'otel-login-name-3d91';
const PASSWORD = 'otel-password-0f4b';
const HOUR = 3_600_000;

const ks = useFreshKeyspace('otel_spans', { create: false });
let tracing: InMemoryTracing;
let client: Client;

beforeAll(async () => {
  tracing = installInMemoryTracing();
  // Credentials the node does not ask for (no authenticator) but the driver holds: none may leak.
  client = createClient({ credentials: { username: USERNAME, password: PASSWORD } });
  await client.connect();
});
afterAll(async () => {
  await client.shutdown();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

function only(name: string): ReadableSpan {
  const found = tracing.spans().filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0];
}

function expectDatabaseAttributes(span: ReadableSpan, keyspace = ks.keyspace): void {
  expect(span.kind).toBe(otel.SpanKind.INTERNAL);
  expect(span.attributes[ATTR_DB_SYSTEM_NAME]).toBe('cassandra');
  expect(span.attributes[ATTR_DB_NAMESPACE]).toBe(keyspace);
  expect(span.attributes[ATTR_DB_OPERATION_NAME]).toBe(span.name);
}

function expectFailed(span: ReadableSpan, type: string): void {
  expect(span.status).toEqual({ code: otel.SpanStatusCode.ERROR, message: type });
  expect(span.attributes[ATTR_ERROR_TYPE]).toBe(type);
  expect(span.events.map((e) => [e.name, e.attributes?.['exception.type']])).toEqual([['exception', type]]);
}

describe('spans of the public operations, on the real node', () => {
  it('migrations: up (applied count), status and validate (pending count), a refused baseline (error type)', async () => {
    const runner = new MigrationRunner({ client, keyspace: ks.keyspace });
    const files = loadMigrationFiles(PACKAGE_MIGRATIONS_DIRECTORY);
    expect(await runner.up()).toHaveLength(files.length);
    await runner.status();
    await runner.validate();
    await expect(runner.up()).resolves.toEqual([]);
    await expect(runner.baseline(1)).rejects.toBeInstanceOf(MigrationError);

    expect(tracing.spans().map((s) => s.name)).toEqual([
      'migrations.up',
      'migrations.status',
      'migrations.validate',
      'migrations.up',
      'migrations.baseline',
    ]);
    const [up, status, validate, upAgain, baseline] = tracing.spans();
    for (const span of tracing.spans()) expectDatabaseAttributes(span);
    expect(up.attributes['cassandra_chat_history.migration.count']).toBe(files.length);
    expect(upAgain.attributes['cassandra_chat_history.migration.count']).toBe(0);
    expect(status.attributes['cassandra_chat_history.migration.pending_count']).toBe(0);
    expect(validate.attributes['cassandra_chat_history.migration.pending_count']).toBe(0);
    expect(up.status.code).toBe(otel.SpanStatusCode.UNSET);
    expectFailed(baseline, 'MigrationError');
  });

  it('the facade and the session service: one span per operation, with message, bucket and session counts', async () => {
    const store = new ChatHistoryStore({ client, keyspace: ks.keyspace, bucketSpan: 'hour' });
    const session = await store.sessions.create({ userId: USER_ID, title: TITLE, metadata: { note: METADATA } });
    const history = store.history(session.sessionId);
    const now = Date.now();
    const older = [
      { id: idAt(now - 3 * HOUR), role: 'user' as const, content: CONTENT[0] },
      { id: idAt(now - 3 * HOUR + 1), role: 'assistant' as const, content: CONTENT[1] },
      { id: idAt(now - 2 * HOUR), role: 'user' as const, content: CONTENT[2] },
    ];
    await history.addMessages(older);
    await history.addMessage({ role: 'assistant', content: CONTENT[3] });
    await history.getMessages();
    await history.getMessages({ limit: 2 });
    await history.getPage({ pageSize: 3 });
    for await (const _ of history.iterate({ pageSize: 2 })) void _;
    await history.count();
    await history.deleteMessage(older[0].id);
    await history.trim({ keepLast: 2 });
    await store.sessions.get(session.sessionId, { withMessageCount: true });
    await history.clear();
    await store.sessions.listByUser(USER_ID);
    await store.sessions.update(session.sessionId, { title: `${TITLE} renamed` });
    await store.sessions.delete(session.sessionId);

    const spans = tracing.spans();
    // Spans end in order of completion: sessions.get ends after the count it nests.
    expect(spans.map((s) => s.name)).toEqual([
      'sessions.create',
      'chat_history.add_messages',
      'chat_history.add_message',
      'chat_history.get_messages',
      'chat_history.get_messages',
      'chat_history.get_page',
      'chat_history.iterate',
      'chat_history.count',
      'chat_history.delete_message',
      'chat_history.trim',
      'chat_history.count',
      'sessions.get',
      'chat_history.clear',
      'sessions.list_by_user',
      'sessions.update',
      'sessions.delete',
    ]);
    for (const span of spans) {
      expectDatabaseAttributes(span);
      expect(span.status.code).toBe(otel.SpanStatusCode.UNSET);
    }
    const counts = (i: number) => [
      spans[i].attributes['cassandra_chat_history.message.count'],
      spans[i].attributes['cassandra_chat_history.bucket.count'],
    ];
    expect(counts(1)).toEqual([3, 2]); // add_messages: two hour buckets
    expect(counts(2)).toEqual([1, 1]); // add_message
    expect(counts(3)).toEqual([4, 3]); // get_messages(): everything
    expect(counts(4)).toEqual([2, 2]); // the newest two: one from 2 h ago, one from now
    expect(counts(5)).toEqual([3, 2]); // the first page of 3
    expect(counts(6)).toEqual([4, undefined]); // iterate counts what it yielded
    expect(counts(7)).toEqual([4, undefined]); // count
    expect(counts(10)).toEqual([2, undefined]); // the nested count of sessions.get after the trim
    expect(spans[11].attributes['cassandra_chat_history.message.count']).toBe(2);
    expect(spans[13].attributes['cassandra_chat_history.session.count']).toBe(1);
    expect(parentId(spans[10])).toBe(spans[11].spanContext().spanId);
    expect(spans.filter((s) => s !== spans[10]).every((s) => parentId(s) === undefined)).toBe(true);

    // Never message content, user or session ids, titles, metadata or credentials.
    const exported = exportedText(spans);
    for (const secret of [...CONTENT, USER_ID, session.sessionId, TITLE, METADATA, USERNAME, PASSWORD]) {
      expect(exported).not.toContain(secret);
    }
    const keys = new Set(spans.flatMap((s) => Object.keys(s.attributes)));
    expect([...keys].filter((k) => /user|session_id|session\.id|content|password|credential|title/i.test(k))).toEqual(
      [],
    );
  });

  it('failures: the typed error name as error.type and an exception event, never the ids in the message', async () => {
    const store = new ChatHistoryStore({ client, keyspace: ks.keyspace });
    const missingSession = 'otel-missing-session-61f0';
    await expect(store.sessions.update(missingSession, { title: 'x' })).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(
      store.history('s1').addMessage({ role: 'robot' as 'user', content: CONTENT[0] }),
    ).rejects.toBeInstanceOf(MessageValidationError);
    const unmigrated = new ChatHistoryStore({ client, keyspace: `${ks.keyspace}_none` });
    await expect(unmigrated.history('s1').count()).rejects.toBeInstanceOf(SchemaNotMigratedError);

    const [update, add, count] = tracing.spans();
    expect([update.name, add.name, count.name]).toEqual([
      'sessions.update',
      'chat_history.add_message',
      'chat_history.count',
    ]);
    expectFailed(update, 'SessionNotFoundError');
    expectFailed(add, 'MessageValidationError');
    expectFailed(count, 'SchemaNotMigratedError');
    expectDatabaseAttributes(count, `${ks.keyspace}_none`);
    const exported = exportedText(tracing.spans());
    expect(exported).not.toContain(missingSession);
    expect(exported).not.toContain(CONTENT[0]);
  });

  it("nests under the application's active span", async () => {
    const store = new ChatHistoryStore({ client, keyspace: ks.keyspace });
    await otel.trace.getTracer('app').startActiveSpan('POST /chat', async (request) => {
      await store.history('s2').addUserMessage('hello');
      await store.history('s2').getMessages({ limit: 10 });
      request.end();
    });
    const request = only('POST /chat');
    const children = tracing.spans().filter((s) => s !== request);
    expect(children.map((s) => s.name)).toEqual(['chat_history.add_message', 'chat_history.get_messages']);
    for (const child of children) {
      expect(parentId(child)).toBe(request.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(request.spanContext().traceId);
    }
  });
});
