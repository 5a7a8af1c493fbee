import { useMigratedStore } from '../../../test/support/store';
import { useChatService } from './client';

const db = useMigratedStore('chat_service');
const service = useChatService(() => db.store());

it('stores and lists messages on a real node', async () => {
  expect((await service.call('POST', '/sessions/s1/messages', { role: 'user', content: 'hi' })).status).toBe(201);
  const listed = await service.call('GET', '/sessions/s1/messages?limit=10');
  expect(listed.body).toMatchObject([{ role: 'user', content: 'hi' }]);
  expect((await service.call('POST', '/sessions/s1/messages', { role: 'robot', content: 'x' })).status).toBe(400);
});
