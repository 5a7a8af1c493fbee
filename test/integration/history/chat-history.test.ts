import {
  ChatMessage,
  EntityValidationError,
  InvalidCursorError,
  MessageValidationError,
  type NewChatMessage,
} from '../../../src';
import { idAt, useMigratedStore } from '../../support/store';

const MINUTE = 60_000;

describe('ChatHistory on a real node', () => {
  const ctx = useMigratedStore('history');
  let n = 0;
  const sessionId = () => `s-${++n}-${Date.now()}`;

  async function rawCount(session: string): Promise<number> {
    const rs = await ctx
      .client()
      .execute(`SELECT count(*) FROM ${ctx.keyspace}.chat_messages WHERE session_id = ? ALLOW FILTERING`, [session], {
        prepare: true,
      });
    return Number(rs.first().get('count'));
  }

  it('stores and returns every field byte for byte, as real ChatMessage instances', async () => {
    const history = ctx.store().history(sessionId());
    const content = 'Ünïcödé 🚀 𝔘𝔫𝔦 \u0000 nul, \u200f rtl, quote \' " ; -- DROP TABLE x;';
    const stored = await history.addMessage({
      role: 'assistant',
      content,
      name: 'planner',
      toolCalls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris', days: [1, 2], nested: { ok: true } } }],
      metadata: { model: 'gpt-x', usage: { input: 12, output: 34 }, tags: ['a', 'b'], none: null },
    });
    await history.addMessage({ role: 'tool', toolCallId: 'call_1', content: '{"t":18}', metadata: {} });

    const [first, second] = await history.getMessages();
    expect(first).toBeInstanceOf(ChatMessage);
    expect(first.id).toBe(stored.id);
    expect(first.content).toBe(content);
    expect(first.role).toBe('assistant');
    expect(first.name).toBe('planner');
    expect(first.toolCalls).toEqual([
      { id: 'call_1', name: 'get_weather', args: { city: 'Paris', days: [1, 2], nested: { ok: true } } },
    ]);
    expect(first.metadata).toEqual({ model: 'gpt-x', usage: { input: 12, output: 34 }, tags: ['a', 'b'], none: null });
    expect(first.createdAt.getTime()).toBe(stored.createdAt.getTime());
    expect(Math.abs(first.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(second.role).toBe('tool');
    expect(second.toolCallId).toBe('call_1');
    expect(second.metadata).toEqual({});
  });

  it('keeps the order messages were added in, with the convenience adders', async () => {
    const history = ctx.store().history(sessionId());
    await history.addSystemMessage('be nice');
    await history.addUserMessage('hi!');
    await history.addAIMessage("what's up?");
    await history.addMessages([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    const messages = await history.getMessages();
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'be nice'],
      ['user', 'hi!'],
      ['assistant', "what's up?"],
      ['user', 'one'],
      ['assistant', 'two'],
      ['user', 'three'],
    ]);
    expect(await history.count()).toBe(6);
  });

  it('makes a retried add with the same id idempotent', async () => {
    const history = ctx.store().history(sessionId());
    const first = await history.addUserMessage('only once');
    await history.addMessage({ id: first.id, role: 'user', content: 'only once' });
    await history.addMessages([{ id: first.id, role: 'user', content: 'only once' }]);
    expect(await history.count()).toBe(1);
  });

  it('refuses bad input with a typed error naming the field, and writes nothing', async () => {
    const session = sessionId();
    const history = ctx.store().history(session);
    const bad: Array<[unknown, string]> = [
      [{ role: 'robot', content: 'x' }, 'role'],
      [{ role: 'user', content: '' }, 'content'],
      [{ role: 'user', content: 42 }, 'content'],
      [{ role: 'user', content: 'x', metadata: { f: () => 1 } }, 'metadata'],
      [{ role: 'user', content: 'x', id: 'not-a-uuid' }, 'id'],
      [{ role: 'user', content: 'x'.repeat(1024 * 1024 + 1) }, 'content'],
    ];
    for (const [input, property] of bad) {
      const error = await history.addMessage(input as NewChatMessage).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MessageValidationError);
      expect((error as MessageValidationError).issues.map((i) => i.property)).toContain(property);
    }
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(
      history.addMessage({ role: 'user', content: 'x', metadata: circular as never }),
    ).rejects.toBeInstanceOf(EntityValidationError);
    expect(await rawCount(session)).toBe(0);
  });

  it('writes nothing when one message of a batch of 100 is bad', async () => {
    const session = sessionId();
    const history = ctx.store().history(session);
    await history.addUserMessage('before');
    const batch: NewChatMessage[] = Array.from({ length: 100 }, (_, i) => ({ role: 'user', content: `m${i}` }));
    batch[73] = { role: 'user', content: '' };
    const error = await history.addMessages(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageValidationError);
    expect((error as MessageValidationError).issues[0].property).toMatch(/^messages\[73\]\.content$/);
    expect(await rawCount(session)).toBe(1);
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['before']);
  });

  describe('across time buckets', () => {
    // Ids at chosen times spread the session over several one-minute buckets.
    const base = Date.UTC(2026, 0, 1, 12, 0, 0);
    const session = `bucketed-${Date.now()}`;
    const ids: string[] = [];
    const history = () => ctx.store({ bucketSpan: MINUTE }).history(session);

    beforeAll(async () => {
      const messages: NewChatMessage[] = [];
      for (let minute = 0; minute < 5; minute++) {
        for (let i = 0; i < 7; i++) {
          const id = idAt(base + minute * MINUTE + i * 1000);
          ids.push(id);
          messages.push({ id, role: i % 2 ? 'assistant' : 'user', content: `m${minute}.${i}` });
        }
      }
      await history().addMessages(messages);
    });

    it('uses one partition per bucket', async () => {
      const rs = await ctx
        .client()
        .execute(`SELECT bucket FROM ${ctx.keyspace}.chat_message_buckets WHERE session_id = ?`, [session], {
          prepare: true,
        });
      expect(rs.rows.map((r) => Number(r.get('bucket')))).toEqual([4, 3, 2, 1, 0].map((m) => base + m * MINUTE));
    });

    it('returns the last N across buckets, chronological', async () => {
      const last10 = await history().getMessages({ limit: 10 });
      expect(last10.map((m) => m.id)).toEqual(ids.slice(-10));
      const last3 = await history().getMessages({ limit: 3 });
      expect(last3.map((m) => m.content)).toEqual(['m4.4', 'm4.5', 'm4.6']);
      const all = await history().getMessages({ limit: 1000 });
      expect(all.map((m) => m.id)).toEqual(ids);
    });

    it('pages backwards with before', async () => {
      const page = await history().getMessages({ limit: 9, before: ids[20] });
      expect(page.map((m) => m.id)).toEqual(ids.slice(11, 20));
      const older = await history().getMessages({ before: ids[3] });
      expect(older.map((m) => m.id)).toEqual(ids.slice(0, 3));
    });

    it('walks every message with getPage cursors, both orders', async () => {
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await history().getPage({ pageSize: 4, cursor, order });
          expect(page.messages.length).toBeLessThanOrEqual(4);
          seen.push(...page.messages.map((m) => m.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== undefined);
        expect(seen).toEqual(order === 'asc' ? ids : [...ids].reverse());
        expect(pages).toBeGreaterThanOrEqual(9);
      }
    });

    it('iterates in both orders', async () => {
      const asc: string[] = [];
      for await (const m of history().iterate({ pageSize: 3 })) asc.push(m.id);
      expect(asc).toEqual(ids);
      const desc: string[] = [];
      for await (const m of history().iterate({ order: 'desc' })) desc.push(m.id);
      expect(desc).toEqual([...ids].reverse());
    });

    it('counts exactly', async () => {
      expect(await history().count()).toBe(35);
    });
  });

  it('deletes one message, trims to the newest N and clears', async () => {
    const session = sessionId();
    const base = Date.UTC(2026, 1, 1);
    const history = ctx.store({ bucketSpan: MINUTE }).history(session);
    const ids = Array.from({ length: 30 }, (_, i) => idAt(base + i * 10_000));
    await history.addMessages(ids.map((id, i) => ({ id, role: 'user', content: `m${i}` })));

    await history.deleteMessage(ids[29]);
    await history.deleteMessage(ids[29]);
    expect((await history.getMessages({ limit: 1 }))[0].id).toBe(ids[28]);

    await history.trim({ keepLast: 8 });
    expect((await history.getMessages()).map((m) => m.id)).toEqual(ids.slice(21, 29));
    expect(await history.count()).toBe(8);

    await history.clear();
    expect(await history.getMessages()).toEqual([]);
    expect(await history.count()).toBe(0);
    await history.addUserMessage('after clear');
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['after clear']);
  });

  it('applies the TTL to every write of a history', async () => {
    const session = sessionId();
    await ctx.store().history(session, { ttlSeconds: 3600 }).addUserMessage('ephemeral');
    const rs = await ctx
      .client()
      .execute(
        `SELECT TTL(content) AS ttl FROM ${ctx.keyspace}.chat_messages WHERE session_id = ? ALLOW FILTERING`,
        [session],
        { prepare: true },
      );
    const ttl = Number(rs.first().get('ttl'));
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('rejects a forged cursor with a typed error', async () => {
    const history = ctx.store().history(sessionId());
    await history.addUserMessage('x');
    await expect(history.getPage({ cursor: 'not a cursor!' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(history.getPage({ cursor: Buffer.from('["x",1,""]').toString('base64url') })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});
