import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { types } from 'cassandra-driver';
import {
  type ChatHistoryStore,
  type ChatHistoryStoreOptions,
  InvalidCursorError,
  MessageValidationError,
  type NewChatMessage,
  SessionAlreadyExistsError,
  SessionNotFoundError,
} from '../../src';

/** Builds a store for one test; the contract passes only store options (no client). */
export type ContractStoreFactory = (
  options?: Omit<ChatHistoryStoreOptions, 'client' | 'ownsClient'>,
) => ChatHistoryStore;

const MINUTE = 60_000;
const idAt = (ms: number, tick = 0): string => types.TimeUuid.fromDate(new Date(ms), tick).toString();
const newSessionId = (): string => `c-${randomUUID()}`;
const contents = (messages: ReadonlyArray<{ content: string }>): string[] => messages.map((m) => m.content);

/**
 * The facade's observable behaviour, run unchanged against the in-memory kit
 * (in-memory.contract-mock.test.ts) and against a real Cassandra node (cassandra.contract-node.test.ts):
 * whatever passes here behaves the same in a service's unit tests as in production. No branch knows
 * which one it runs on.
 */
export function runContract(makeStore: ContractStoreFactory): void {
  let store: ChatHistoryStore;
  beforeAll(() => {
    store = makeStore({ bucketSpan: MINUTE });
  });

  /** `n` messages an hour ago, `spacing` ms apart (several buckets when spacing ≥ a minute). */
  const seed = async (sessionId: string, n: number, spacing = 1000): Promise<string[]> => {
    const base = Date.now() - 60 * MINUTE;
    const messages: NewChatMessage[] = Array.from({ length: n }, (_, i) => ({
      id: idAt(base + i * spacing),
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `m${i}`,
    }));
    await store.history(sessionId).addMessages(messages);
    return messages.map((m) => m.id as string);
  };

  describe('adds and reads', () => {
    it('returns what was added, in order, with its id and creation time', async () => {
      const history = store.history(newSessionId());
      const first = await history.addUserMessage('hello', { metadata: { lang: 'en' } });
      const second = await history.addAIMessage('hi there', { name: 'bot' });
      const all = await history.getMessages();
      expect(all.map((m) => [m.id, m.role, m.content])).toEqual([
        [first.id, 'user', 'hello'],
        [second.id, 'assistant', 'hi there'],
      ]);
      expect(all[0].metadata).toEqual({ lang: 'en' });
      expect(all[1].name).toBe('bot');
      expect(all[0].createdAt.getTime()).toBe(first.createdAt.getTime());
    });

    it('keeps tool calls and their results', async () => {
      const history = store.history(newSessionId());
      await history.addMessages([
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call-1', name: 'weather', args: { city: 'Oslo' } }] },
        { role: 'tool', content: 'sunny', toolCallId: 'call-1' },
      ]);
      const [, call, result] = await history.getMessages();
      expect(call.toolCalls).toEqual([{ id: 'call-1', name: 'weather', args: { city: 'Oslo' } }]);
      expect(result.toolCallId).toBe('call-1');
    });

    it('limit gives the newest messages in chronological order, across buckets; before pages backwards', async () => {
      const sessionId = newSessionId();
      const ids = await seed(sessionId, 7, 30_000);
      const history = store.history(sessionId);
      expect(contents(await history.getMessages({ limit: 3 }))).toEqual(['m4', 'm5', 'm6']);
      expect(contents(await history.getMessages({ limit: 3, before: ids[4] }))).toEqual(['m1', 'm2', 'm3']);
      expect(contents(await history.getMessages({ limit: 10 }))).toHaveLength(7);
    });

    it('an empty or unknown session reads as empty', async () => {
      const history = store.history(newSessionId());
      expect(await history.getMessages()).toEqual([]);
      expect(await history.getMessages({ limit: 5 })).toEqual([]);
      expect(await history.count()).toBe(0);
      expect(await history.getPage()).toEqual({ messages: [] });
    });
  });

  describe('paging', () => {
    it('getPage walks every message once, both orders, across buckets', async () => {
      const sessionId = newSessionId();
      await seed(sessionId, 9, 25_000);
      const history = store.history(sessionId);
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await history.getPage({ pageSize: 4, cursor, order });
          expect(page.messages.length).toBeLessThanOrEqual(4);
          seen.push(...contents(page.messages));
          cursor = page.nextCursor;
        } while (cursor !== undefined);
        const expected = Array.from({ length: 9 }, (_, i) => `m${i}`);
        expect(seen).toEqual(order === 'asc' ? expected : expected.reverse());
      }
    });

    it('a page that ends exactly at the last message still has a cursor, and the next page is empty', async () => {
      // Cassandra returns a page state whenever a page is full: the end shows only on the next read.
      const sessionId = newSessionId();
      await seed(sessionId, 4);
      const history = store.history(sessionId);
      const first = await history.getPage({ pageSize: 2 });
      const second = await history.getPage({ pageSize: 2, cursor: first.nextCursor });
      expect(contents(second.messages)).toEqual(['m2', 'm3']);
      expect(second.nextCursor).toBeDefined();
      expect(await history.getPage({ pageSize: 2, cursor: second.nextCursor })).toEqual({ messages: [] });
    });

    it('iterate streams every message in either order', async () => {
      const sessionId = newSessionId();
      await seed(sessionId, 5, 40_000);
      const seen: string[] = [];
      for await (const m of store.history(sessionId).iterate({ order: 'desc', pageSize: 2 })) seen.push(m.content);
      expect(seen).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    });

    it('refuses a cursor it did not produce', async () => {
      await expect(store.history(newSessionId()).getPage({ cursor: 'not a cursor!' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });
  });

  describe('safe windows', () => {
    it('never starts a window with a tool result cut from its call', async () => {
      const history = store.history(newSessionId());
      await history.addMessages([
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'weather', args: {} }] },
        { role: 'tool', content: 'sunny', toolCallId: 'c1' },
        { role: 'assistant', content: 'It is sunny.' },
      ]);
      const window = await history.getMessages({ limit: 2, window: 'safe' });
      expect(window[0].role).not.toBe('tool');
      expect(contents(window).slice(-1)).toEqual(['It is sunny.']);
      const withSystem = await history.getMessages({ limit: 1, window: 'safe', keepSystem: true });
      expect(withSystem[0].content).toBe('be brief');
      const userFirst = await history.getMessages({ limit: 2, window: 'safe', startWithUser: true });
      expect(userFirst[0].role).toBe('user');
    });
  });

  describe('count and deletes', () => {
    it('counts exactly, across buckets', async () => {
      const sessionId = newSessionId();
      await seed(sessionId, 6, 30_000);
      expect(await store.history(sessionId).count()).toBe(6);
    });

    it('deleteMessage removes one message; an absent id is no error', async () => {
      const sessionId = newSessionId();
      const ids = await seed(sessionId, 3);
      const history = store.history(sessionId);
      await history.deleteMessage(ids[1]);
      await history.deleteMessage(idAt(Date.now() - 5 * MINUTE));
      expect(contents(await history.getMessages())).toEqual(['m0', 'm2']);
      expect(await history.count()).toBe(2);
    });

    it('trim keeps the newest messages, across buckets', async () => {
      const sessionId = newSessionId();
      await seed(sessionId, 8, 20_000);
      const history = store.history(sessionId);
      await history.trim({ keepLast: 3 });
      expect(contents(await history.getMessages())).toEqual(['m5', 'm6', 'm7']);
      expect(await history.count()).toBe(3);
      await history.trim({ keepLast: 10 });
      expect(await history.count()).toBe(3);
    });

    it('clear deletes every message; writes after it survive', async () => {
      const sessionId = newSessionId();
      await seed(sessionId, 5, 30_000);
      const history = store.history(sessionId);
      await history.clear();
      expect(await history.getMessages()).toEqual([]);
      await history.addUserMessage('after clear');
      expect(contents(await history.getMessages())).toEqual(['after clear']);
      expect(await history.count()).toBe(1);
    });
  });

  describe('sessions', () => {
    it('create, get (with count), update, listByUser, delete', async () => {
      const userId = `u-${randomUUID()}`;
      const a = await store.sessions.create({ userId, title: 'first', metadata: { topic: 'x' } });
      const b = await store.sessions.create({ userId, title: 'second' });
      await store.history(a.sessionId).addUserMessage('hi');
      const got = await store.sessions.get(a.sessionId, { withMessageCount: true });
      expect(got).toMatchObject({
        sessionId: a.sessionId,
        userId,
        title: 'first',
        metadata: { topic: 'x' },
        messageCount: 1,
      });
      const updated = await store.sessions.update(a.sessionId, { title: 'renamed' });
      expect(updated.title).toBe('renamed');
      expect((await store.sessions.get(a.sessionId))?.metadata).toEqual({ topic: 'x' });
      const listed = await store.sessions.listByUser(userId);
      expect(listed.sessions.map((s) => s.sessionId).sort()).toEqual([a.sessionId, b.sessionId].sort());
      await store.sessions.delete(a.sessionId);
      expect(await store.sessions.get(a.sessionId)).toBeNull();
      expect(await store.history(a.sessionId).getMessages()).toEqual([]);
      expect((await store.sessions.listByUser(userId)).sessions.map((s) => s.sessionId)).toEqual([b.sessionId]);
    });

    it("lists a user's sessions page by page, newest first", async () => {
      const userId = `u-${randomUUID()}`;
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        created.push((await store.sessions.create({ userId, title: `s${i}` })).sessionId);
        await sleep(3); // distinct creation times
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.sessions.listByUser(userId, { limit: 2, cursor });
        seen.push(...page.sessions.map((s) => s.sessionId));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual([...created].reverse());
    });

    it('refuses a taken id, and updates of an absent session', async () => {
      const sessionId = newSessionId();
      await store.sessions.create({ sessionId });
      await expect(store.sessions.create({ sessionId })).rejects.toBeInstanceOf(SessionAlreadyExistsError);
      await expect(store.sessions.update(newSessionId(), { title: 'x' })).rejects.toBeInstanceOf(SessionNotFoundError);
      expect(await store.sessions.get(newSessionId())).toBeNull();
    });
  });

  describe('TTL', () => {
    it('messages and sessions written with a TTL expire; permanent ones stay', async () => {
      const sessionId = newSessionId();
      const history = store.history(sessionId, { ttlSeconds: 2 });
      await history.addUserMessage('soon gone');
      await store.history(sessionId).addUserMessage('stays');
      const ttlStore = makeStore({ bucketSpan: MINUTE, defaultTtlSeconds: 2 });
      const session = await ttlStore.sessions.create({ title: 'short' });
      expect(await history.count()).toBe(2);
      expect(await ttlStore.sessions.get(session.sessionId)).not.toBeNull();
      await sleep(2_600);
      expect(contents(await history.getMessages())).toEqual(['stays']);
      expect(await history.count()).toBe(1);
      expect(await ttlStore.sessions.get(session.sessionId)).toBeNull();
    });
  });

  describe('validation', () => {
    it('refuses invalid input before writing anything', async () => {
      const history = store.history(newSessionId());
      await expect(
        history.addMessages([
          { role: 'user', content: 'fine' },
          { role: 'nobody' as never, content: 'bad' },
        ]),
      ).rejects.toBeInstanceOf(MessageValidationError);
      await expect(history.addMessage({ role: 'user', content: '' })).rejects.toBeInstanceOf(MessageValidationError);
      await expect(
        history.addMessage({ id: idAt(Date.now() + 3_600_000), role: 'user', content: 'future' }),
      ).rejects.toBeInstanceOf(MessageValidationError);
      await expect(history.getMessages({ limit: 0 })).rejects.toBeInstanceOf(MessageValidationError);
      await expect(history.trim({ keepLast: -1 })).rejects.toBeInstanceOf(MessageValidationError);
      expect(() => store.history('bad id with spaces')).toThrow(MessageValidationError);
      expect(await history.count()).toBe(0);
    });
  });

  describe('idempotent retry', () => {
    it('retrying an add with the same ids stores each message once', async () => {
      const history = store.history(newSessionId());
      const messages: NewChatMessage[] = [
        { id: idAt(Date.now() - 2000), role: 'user', content: 'q' },
        { id: idAt(Date.now() - 1000), role: 'assistant', content: 'a' },
      ];
      await history.addMessages(messages);
      await history.addMessages(messages);
      await history.addMessage(messages[0]);
      expect(contents(await history.getMessages())).toEqual(['q', 'a']);
      expect(await history.count()).toBe(2);
    });
  });
}
