import {
  ChatHistoryStore,
  SchemaNotMigratedError,
  Session,
  SessionAlreadyExistsError,
  SessionNotFoundError,
  EntityValidationError,
} from '../../../src';
import { useFreshKeyspace } from '../../support/cassandra';
import { useMigratedStore } from '../../support/store';

describe('store.sessions on a real node', () => {
  const ctx = useMigratedStore('sessions');

  it('creates, reads, updates and deletes a session with its messages', async () => {
    const store = ctx.store();
    const created = await store.sessions.create({ userId: 'u-1', title: 'Trip', metadata: { lang: 'fr' } });
    const unicode = await store.sessions.create({
      userId: 'u-unicode',
      title: 'Ünïcödé 🚀 \u202e rtl \u0000 nul; -- \' "',
      metadata: {},
    });
    const unicodeRead = await store.sessions.get(unicode.sessionId);
    expect(unicodeRead?.title).toBe(unicode.title);
    expect(unicodeRead?.metadata).toEqual({});
    expect(unicodeRead?.lastActivityAt.getTime()).toBe(unicode.lastActivityAt.getTime());
    expect(created).toBeInstanceOf(Session);
    expect(created.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const history = store.history(created.sessionId);
    await history.addUserMessage('hello');
    await history.addAIMessage('hi');

    const read = await store.sessions.get(created.sessionId, { withMessageCount: true });
    expect(read).toBeInstanceOf(Session);
    expect(read?.title).toBe('Trip');
    expect(read?.metadata).toEqual({ lang: 'fr' });
    expect(read?.userId).toBe('u-1');
    expect(read?.createdAt.getTime()).toBe(created.createdAt.getTime());
    expect(read?.messageCount).toBe(2);

    const updated = await store.sessions.update(created.sessionId, { title: 'Paris trip' });
    expect(updated.title).toBe('Paris trip');
    expect(updated.metadata).toEqual({ lang: 'fr' });
    const listed = await store.sessions.listByUser('u-1');
    expect(listed.sessions.map((s) => s.title)).toEqual(['Paris trip']);

    await store.sessions.delete(created.sessionId);
    expect(await store.sessions.get(created.sessionId)).toBeNull();
    expect(await store.history(created.sessionId).getMessages()).toEqual([]);
    expect((await store.sessions.listByUser('u-1')).sessions).toEqual([]);
  });

  it('refuses a duplicate id, an unknown session update and bad input', async () => {
    const store = ctx.store();
    await store.sessions.create({ sessionId: 'dup-1', userId: 'u-2' });
    await expect(store.sessions.create({ sessionId: 'dup-1' })).rejects.toBeInstanceOf(SessionAlreadyExistsError);
    await expect(store.sessions.update('nope', { title: 'x' })).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(store.sessions.create({ sessionId: "x'; DROP KEYSPACE y" })).rejects.toBeInstanceOf(
      EntityValidationError,
    );
    await expect(store.sessions.create({ title: 't'.repeat(513) })).rejects.toBeInstanceOf(EntityValidationError);
  });

  it("lists a user's sessions newest first, page by page", async () => {
    const store = ctx.store();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push((await store.sessions.create({ userId: 'u-list', title: `t${i}` })).sessionId);
      await new Promise((r) => setTimeout(r, 3));
    }
    await store.sessions.create({ userId: 'someone-else', title: 'other' });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.sessions.listByUser('u-list', { limit: 3, cursor });
      expect(page.sessions.length).toBeLessThanOrEqual(3);
      seen.push(...page.sessions.map((s) => s.sessionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});

describe('a store used before the migrations ran', () => {
  const ctx = useFreshKeyspace('unmigrated');

  it('fails with SchemaNotMigratedError telling to run npm run migrate', async () => {
    const store = new ChatHistoryStore({ client: ctx.client(), keyspace: ctx.keyspace });
    const error = await store
      .history('s')
      .addUserMessage('hi')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaNotMigratedError);
    expect((error as Error).message).toContain('npm run migrate');
    const missingKeyspace = new ChatHistoryStore({ client: ctx.client(), keyspace: 'no_such_keyspace_x' });
    await expect(missingKeyspace.history('s').getMessages({ limit: 5 })).rejects.toBeInstanceOf(SchemaNotMigratedError);
  });
});
