import { RequestTimeoutError } from 'cassandra-chat-history';
import { createTestStore } from 'cassandra-chat-history/testing';
import { useChatService } from './client';

const { store, mapper } = createTestStore();
const service = useChatService(() => store);

it('stores and lists messages', async () => {
  expect((await service.call('POST', '/sessions/s1/messages', { role: 'user', content: 'hi' })).status).toBe(201);
  const listed = await service.call('GET', '/sessions/s1/messages?limit=10');
  expect(listed.body).toMatchObject([{ role: 'user', content: 'hi' }]);
});

it('answers 400 to an invalid message, and writes nothing', async () => {
  mapper.clearCalls();
  expect((await service.call('POST', '/sessions/s2/messages', { role: 'robot', content: 'x' })).status).toBe(400);
  expect(mapper.calls.filter((c) => c.method === 'batch')).toEqual([]);
});

it('retries a timed-out write once, with the same id: one message stored', async () => {
  mapper.failNext({ model: 'ChatMessage', method: 'batch' }, new RequestTimeoutError('timed out'), { applied: true });
  expect((await service.call('POST', '/sessions/s3/messages', { role: 'user', content: 'once' })).status).toBe(201);
  expect(await store.history('s3').count()).toBe(1);
});
