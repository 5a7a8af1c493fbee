import { mapping } from 'cassandra-driver';
import { MessageValidationError, RequestTimeoutError } from '../../../src/errors';
import { type BatchItem, createMockMapper, idAt, storeOnMock } from './mock-mapper';

/**
 * The facade, the repositories and the write/read/delete logic, over a jest-mocked cassandra-driver
 * Mapper: what reaches the Mapper, and in which shape. The real node is covered by the integration
 * tests (test/integration/history/cross-instance.test.ts for the same rules across instances).
 */
const BASE = Date.UTC(2026, 5, 1);
const MINUTE = 60_000;

const describeItem = (i: BatchItem) => `${i.kind} ${i.model}`;

describe('ChatHistory over a mocked Mapper', () => {
  it('writes a message and its bucket-index row in one unlogged, idempotent batch with an explicit timestamp', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    const stored = await history.addMessage({ id: idAt(BASE), role: 'user', content: 'hi' });
    const [batch] = mock.batches();
    expect(batch.items.map(describeItem)).toEqual(['insert ChatMessage', 'insert MessageBucket']);
    expect(batch.items[1].doc).toEqual({ sessionId: 's1', bucket: stored.bucket });
    expect(batch.items[1].docInfo).toBeUndefined();
    expect(batch.options).toMatchObject({ logged: false, isIdempotent: true, timestamp: expect.any(Number) });
  });

  it('a TTL write never writes the index row marker: it adds an expiry slot whose TTL outlives the message', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1', { ttlSeconds: 120 });
    await history.addUserMessage('short-lived');
    const [batch] = mock.batches();
    const [message, index] = batch.items;
    expect(message.docInfo).toEqual({ ttl: 120 });
    expect(describeItem(index)).toBe('update MessageBucket');
    expect(index.doc.expirySlots).toBeInstanceOf(mapping.q.append([]).constructor);
    expect(index.docInfo?.ttl).toBeGreaterThanOrEqual(120 + 60);
    // The bug this prevents: a TTL'd INSERT of the index row replaced a permanent row's marker.
    const indexInserts = mock.calls.filter((c) => c.model === 'MessageBucket' && c.method === 'insert');
    expect(indexInserts).toEqual([]);
  });

  it('writes large messages and their index row as two requests with the same timestamp', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    await history.addUserMessage('x'.repeat(40 * 1024));
    const [messages, index] = mock.batches();
    expect(messages.items.map(describeItem)).toEqual(['insert ChatMessage']);
    expect(index.items.map(describeItem)).toEqual(['insert MessageBucket']);
    expect(index.options.timestamp).toBe(messages.options.timestamp);
  });

  it('sends a usual addMessages (50 messages of 500 ASCII characters, about 31 KiB) as one batch with its index row', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    await history.addMessages(
      Array.from({ length: 50 }, (_, i) => ({ role: 'user' as const, content: `m${i}:`.padEnd(500, 'x') })),
    );
    const batches = mock.batches();
    expect(batches).toHaveLength(1);
    expect(batches[0].items.map(describeItem)).toEqual([
      ...Array.from({ length: 50 }, () => 'insert ChatMessage'),
      'insert MessageBucket',
    ]);
  });

  it('every batch of an addMessages over several buckets carries its own index row', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    await history.addMessages([
      { id: idAt(BASE), role: 'user', content: 'a' },
      { id: idAt(BASE + 1000), role: 'assistant', content: 'b' },
      { id: idAt(BASE + MINUTE), role: 'user', content: 'c' },
    ]);
    const batches = mock.batches();
    expect(batches.map((b) => b.items.map(describeItem))).toEqual([
      ['insert ChatMessage', 'insert ChatMessage', 'insert MessageBucket'],
      ['insert ChatMessage', 'insert MessageBucket'],
    ]);
    expect(batches.map((b) => b.items.at(-1)?.doc.bucket)).toEqual([BASE, BASE + MINUTE]);
  });

  it('a failed write rejects with the ids it used; the next write still writes its index row (no per-process memory)', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    mock.failNext('mapper', 'batch', new RequestTimeoutError('timed out'));
    const id = idAt(BASE);
    const failure = await history.addMessage({ id, role: 'user', content: 'a' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestTimeoutError);
    expect((failure as RequestTimeoutError).messageIds).toEqual([id]);
    const generated = await history.addUserMessage('no id given').catch((e: unknown) => e);
    expect(generated).not.toBeInstanceOf(Error);
    await history.addMessage({ id: idAt(BASE + 1), role: 'user', content: 'b' });
    expect(mock.batches().every((b) => b.items.some((i) => i.model === 'MessageBucket'))).toBe(true);
  });

  it('validates every message before any Mapper call', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    await expect(
      history.addMessages([
        { role: 'user', content: 'fine' },
        { role: 'nobody' as never, content: 'bad' },
      ]),
    ).rejects.toBeInstanceOf(MessageValidationError);
    expect(mock.batches()).toEqual([]);
  });

  it('last-N reads a small page of the index and the newest bucket first', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    mock.rows.MessageBucket.push(
      ...Array.from({ length: 50 }, (_, i) => ({ sessionId: 's1', bucket: BASE + (49 - i) * MINUTE })),
    );
    mock.rows.ChatMessage.push({
      sessionId: 's1',
      bucket: BASE + 49 * MINUTE,
      id: idAt(BASE + 49 * MINUTE),
      content: 'newest',
    });
    await history.getMessages({ limit: 1 });
    const finds = mock.calls.filter((c) => c.method === 'find');
    expect(finds.map((c) => c.model)).toEqual(['MessageBucket', 'ChatMessage']);
    expect((finds[0].args[2] as { fetchSize: number }).fetchSize).toBeLessThanOrEqual(8);
  });

  it('clear deletes each bucket partition, then the index rows, all at one timestamp, and waits out the skew tolerance', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock, { clockSkewToleranceMs: 40 }).history('s1');
    mock.rows.MessageBucket.push({ sessionId: 's1', bucket: BASE + MINUTE }, { sessionId: 's1', bucket: BASE });
    const started = Date.now();
    await history.clear();
    const elapsed = Date.now() - started;
    const deletes = mock.queries().filter((q) => q.cql.startsWith('DELETE FROM ks.chat_messages'));
    expect(deletes.map((d) => d.doc.bucket)).toEqual([BASE + MINUTE, BASE]);
    const [indexDelete] = mock.batches();
    expect(indexDelete.items.map((i) => [i.kind, i.doc.bucket])).toEqual([
      ['remove', BASE + MINUTE],
      ['remove', BASE],
    ]);
    const stamps = new Set([...deletes.map((d) => d.options?.timestamp), indexDelete.options.timestamp]);
    expect(stamps.size).toBe(1);
    // Stamped ahead by the tolerance; resolved only after twice the tolerance.
    expect([...stamps][0]).toBeGreaterThanOrEqual((started + 40) * 1000);
    expect(elapsed).toBeGreaterThanOrEqual(80);
    // Index rows go only after their messages: the last Mapper call is the index batch.
    expect(mock.calls.at(-1)?.model).toBe('mapper');
  });

  it('a failed message delete leaves the index rows alone (never an index row gone before its messages)', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    mock.rows.MessageBucket.push({ sessionId: 's1', bucket: BASE });
    mock.failNext('ChatMessage', 'query', new RequestTimeoutError('timed out'));
    await expect(history.clear()).rejects.toBeInstanceOf(RequestTimeoutError);
    // The message delete failed, so the index row was not touched.
    expect(mock.batches()).toEqual([]);
  });

  it('sessions.create is a lightweight transaction; update writes only the changed columns, if the session exists', async () => {
    const mock = createMockMapper();
    const store = storeOnMock(mock);
    await store.sessions.create({ sessionId: 'sess', userId: 'u', title: 't' });
    const create = mock.calls.find((c) => c.model === 'Session' && c.method === 'insert');
    expect(create?.args[1]).toMatchObject({ ifNotExists: true });
    mock.rows.Session.push({
      sessionId: 'sess',
      userId: 'u',
      title: 't',
      metadata: {},
      createdAt: new Date(BASE),
      lastActivityAt: new Date(BASE),
    });
    (mock.chatMapper.client.execute as jest.Mock).mockResolvedValueOnce({
      first: () => ({ get: (c: string) => ({ user_id: 'u', created_at: new Date(BASE), ttl: null })[c] }),
    });
    await store.sessions.update('sess', { title: 'renamed' });
    const update = mock.calls.find((c) => c.model === 'Session' && c.method === 'update');
    expect(Object.keys(update?.args[0] as object).sort()).toEqual(['lastActivityAt', 'sessionId', 'title']);
    expect(update?.args[1]).toMatchObject({ ifExists: true });
  });

  it('claims the bucket span once with an LWT on the static column, then reuses it', async () => {
    const mock = createMockMapper();
    const history = storeOnMock(mock).history('s1');
    await history.addUserMessage('a');
    await history.addUserMessage('b');
    const claims = mock.queries().filter((q) => q.cql.includes('IF bucket_span_ms = null'));
    expect(claims).toHaveLength(1);
    expect(claims[0].cql).toBe(
      'UPDATE ks.chat_message_buckets SET bucket_span_ms = ? WHERE session_id = ? IF bucket_span_ms = null',
    );
    expect(claims[0].doc).toEqual({ sessionId: 's1', spanMs: 60_000 });
  });

  it('session rows are written with the store profile; the by-user row is idempotent and goes first', async () => {
    const mock = createMockMapper();
    await storeOnMock(mock).sessions.create({ sessionId: 'sess', userId: 'u' });
    const writes = mock.calls.filter((c) => c.method === 'insert');
    expect(writes.map((c) => c.model)).toEqual(['UserSession', 'Session']);
    expect(writes[0].args[2]).toMatchObject({ executionProfile: { name: 'test-profile' }, isIdempotent: true });
    // The LWT is not marked idempotent: the driver must not retry a compare-and-set blindly.
    expect((writes[1].args[2] as { isIdempotent?: boolean }).isIdempotent).toBeUndefined();
  });
});
