import { readFileSync } from 'node:fs';
import { ChatMessage, ConnectionError, RequestTimeoutError } from '../../../src';
import { createTestStore } from '../../../src/testing';

/** What the kit adds on top of the contract: inspection, fault injection, fake timers. */
describe('createTestStore', () => {
  it('records what reached the database layer, with its options', async () => {
    const { store, mapper } = createTestStore({ defaultTtlSeconds: 3600 });
    await store.history('s1').addUserMessage('hi');
    const batch = mapper.calls.find((c) => c.method === 'batch');
    expect(batch?.items?.map((i) => `${i.method} ${i.model}`)).toEqual(['insert ChatMessage', 'update MessageBucket']);
    expect(batch?.items?.[0].options.ttl).toBe(3600);
    expect(batch?.options).toMatchObject({
      logged: false,
      isIdempotent: true,
      executionProfile: 'cassandra-chat-history',
    });
    expect(typeof batch?.options.timestamp).toBe('number');
    const span = mapper.calls.find((c) => c.method === 'query');
    expect(span?.cql).toMatch(/IF bucket_span_ms = null$/);
    mapper.clearCalls();
    expect(mapper.calls).toEqual([]);
  });

  it('a fault fails the next matching call with the typed error, nothing written', async () => {
    const { store, mapper } = createTestStore();
    const history = store.history('s1');
    mapper.failNext({ model: 'ChatMessage', method: 'batch' }, new ConnectionError('no host'));
    await expect(history.addUserMessage('lost')).rejects.toBeInstanceOf(ConnectionError);
    expect(await history.count()).toBe(0);
  });

  it('"applied, then timed out": the retry with error.messageIds stores one message', async () => {
    const { store, mapper } = createTestStore();
    const history = store.history('s1');
    mapper.failNext({ method: 'batch' }, new RequestTimeoutError('timed out'), { applied: true });
    const failure = await history.addUserMessage('hello').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestTimeoutError);
    const ids = (failure as RequestTimeoutError).messageIds ?? [];
    expect(await history.count()).toBe(1); // the write did land
    await history.addMessage({ id: ids[0], role: 'user', content: 'hello' });
    expect((await history.getMessages()).map((m) => m.id)).toEqual(ids);
  });

  it('TTLs follow jest fake timers', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    try {
      const { store } = createTestStore();
      const history = store.history('s1', { ttlSeconds: 60 });
      await history.addUserMessage('short-lived');
      jest.setSystemTime(Date.now() + 59_000);
      expect(await history.count()).toBe(1);
      jest.setSystemTime(Date.now() + 2_000);
      expect(await history.getMessages()).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads return real entity instances', async () => {
    const { store } = createTestStore();
    await store.history('s1').addUserMessage('hi');
    const [message] = await store.history('s1').getMessages();
    expect(message).toBeInstanceOf(ChatMessage);
    expect(message.createdAt).toBeInstanceOf(Date);
  });

  it('a rewrite of one id replaces it; every test store starts empty; reset empties it', async () => {
    const { store, mapper } = createTestStore();
    const history = store.history('s1');
    const stored = await history.addUserMessage('v1');
    await history.addMessage({ id: stored.id, role: 'user', content: 'v2' });
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['v2']);
    // Two stores are two keyspaces: each createTestStore starts empty.
    expect(await createTestStore().store.history('s1').count()).toBe(0);
    mapper.reset();
    expect(await history.count()).toBe(0);
  });

  it('never loads from the main entry', () => {
    const source = readFileSync(require.resolve('../../../src'), 'utf8');
    expect(source).not.toMatch(/from '\.\/testing/);
  });
});
