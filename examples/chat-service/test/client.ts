import type { AddressInfo } from 'node:net';
import type { ChatHistoryStore } from 'cassandra-chat-history';
import { createChatService } from '../src/service';

/** Starts the service on a free local port for one test file; `call` sends one request. */
export function useChatService(store: () => ChatHistoryStore) {
  let base = '';
  let close: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const server = createChatService(store());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());
  return {
    call: async (method: string, path: string, body?: unknown) => {
      const res = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as unknown };
    },
  };
}
