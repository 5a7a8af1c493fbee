import fc from 'fast-check';
import type { types } from 'cassandra-driver';
import { ChatHistoryStore, type ChatMessage, MessageValidationError } from '../../../src';
import { createClient } from '../../../src/config';
import { estimateTokens, isModelReadyWindow } from '../../../src/history/message-window';
import { conversation, conversationTurns, usable, validStarts } from '../../support/conversations';
import { useMigratedStore } from '../../support/store';

/**
 * Windows a model accepts, on a real node: randomized sessions (parallel tool calls, results in any
 * order, missing results, orphan results, system messages, long texts) stored through the facade,
 * then read through `getMessages({ limit, window: 'safe' })` and `getMessages({ maxTokens })`. The
 * expected window comes from an oracle over the whole session (test/support/conversations.ts).
 */
describe('getMessages windows on a real node', () => {
  const ctx = useMigratedStore('windows');
  let n = 0;
  const sid = () => `win-${++n}-${Date.now()}`;
  const contents = (ms: readonly ChatMessage[]) =>
    ms.map((m) => `${m.role}:${m.toolCallId ?? ''}:${m.content.slice(0, 12)}`);

  it('returns the newest valid window for random sessions, for limits and token budgets', async () => {
    const store = ctx.store({ bucketSpan: 60_000 });
    const samples = fc.sample(
      fc.tuple(conversationTurns(30), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 20, max: 500 }), fc.boolean()),
      {
        numRuns: 25,
        seed: 20261201,
      },
    );
    for (const [turns, limit, maxTokens, startWithUser] of samples) {
      const history = store.history(sid());
      const written = conversation(turns);
      if (written.length > 0) await history.addMessages(written);
      const all = await history.getMessages();
      expect(all).toHaveLength(written.length);
      const kept = usable(all);
      const starts = validStarts(kept, startWithUser);

      const byLimit = await history.getMessages({ limit, window: 'safe', startWithUser });
      expect(isModelReadyWindow(byLimit, { startWithUser })).toBe(true);
      expect(byLimit.length).toBeLessThanOrEqual(2 * limit);
      const cut = Math.max(0, kept.length - limit);
      const back = starts.filter((p) => p <= cut && p >= cut - limit);
      const expectedStart =
        back.length > 0 ? Math.max(...back) : Math.min(...starts.filter((p) => p > cut), kept.length);
      expect(contents(byLimit)).toEqual(contents(kept.slice(expectedStart)));

      const byTokens = await history.getMessages({ maxTokens, startWithUser });
      expect(isModelReadyWindow(byTokens, { startWithUser })).toBe(true);
      expect(byTokens.reduce((s, m) => s + estimateTokens(m), 0)).toBeLessThanOrEqual(maxTokens);
      const fits = starts.filter((p) => kept.slice(p).reduce((s, m) => s + estimateTokens(m), 0) <= maxTokens);
      expect(contents(byTokens)).toEqual(contents(kept.slice(fits.length > 0 ? Math.min(...fits) : kept.length)));
    }
  });

  it("keeps the session's system message in front, counted in the budget, with a caller's token counter", async () => {
    const history = ctx.store().history(sid());
    await history.addMessages([
      { role: 'system', content: 'You are terse.' },
      ...Array.from({ length: 30 }, (_, i) => ({
        role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
        content: `turn ${i}`,
      })),
    ]);
    const oneEach = (): number => 1;
    const window = await history.getMessages({
      maxTokens: 5,
      countTokens: oneEach,
      keepSystem: true,
      startWithUser: true,
    });
    expect(window.map((m) => m.content)).toEqual(['You are terse.', 'turn 26', 'turn 27', 'turn 28', 'turn 29']);
    const byLimit = await history.getMessages({ limit: 2, window: 'safe', keepSystem: true });
    expect(byLimit.map((m) => m.content)).toEqual(['You are terse.', 'turn 28', 'turn 29']);
  });

  it('reads no more than the window needs from a long session', async () => {
    const client = createClient();
    try {
      const store = new ChatHistoryStore({ client, keyspace: ctx.keyspace, bucketSpan: 60_000 });
      const history = store.history(sid());
      const long = Array.from({ length: 2000 }, (_, i) => ({
        role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
        content: `m${i} ${'x'.repeat(40)}`,
      }));
      for (let i = 0; i < long.length; i += 100) await history.addMessages(long.slice(i, i + 100));
      const execute = client.execute.bind(client);
      let rowsRead = 0;
      (client as unknown as Record<'execute', (...args: unknown[]) => unknown>).execute = async (
        ...args: unknown[]
      ) => {
        const rs = (await (execute as (...a: unknown[]) => Promise<types.ResultSet>)(...args)) as types.ResultSet;
        if (/SELECT .* FROM .*chat_messages/i.test(String(args[0]))) rowsRead += rs.rowLength;
        return rs;
      };
      const window = await history.getMessages({ limit: 20, window: 'safe' });
      expect(window).toHaveLength(20);
      expect(rowsRead).toBeLessThanOrEqual(2 * 20 + 1);
      rowsRead = 0;
      const budget = await history.getMessages({ maxTokens: 300 });
      expect(budget.length).toBeGreaterThan(0);
      // One page of 64 newest-first messages decides a budget this small.
      expect(rowsRead).toBeLessThanOrEqual(64);
    } finally {
      await client.shutdown();
    }
  });

  it('refuses inconsistent window options with a typed error naming the option', async () => {
    const history = ctx.store().history(sid());
    const cases: Array<[object, string]> = [
      [{ window: 'safe' }, 'limit'],
      [{ window: 'sometimes', limit: 3 }, 'window'],
      [{ maxTokens: 0 }, 'maxTokens'],
      [{ maxTokens: 10, countTokens: 'four' }, 'countTokens'],
      [{ window: 'messages', maxTokens: 10 }, 'window'],
      [{ limit: 3, keepSystem: true }, 'window'],
    ];
    for (const [options, property] of cases) {
      const error = await history.getMessages(options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MessageValidationError);
      expect((error as MessageValidationError).issues.map((i) => i.property)).toContain(property);
    }
  });
});
