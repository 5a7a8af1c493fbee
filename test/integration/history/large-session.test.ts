import type { NewChatMessage } from '../../../src';
import { useMigratedStore } from '../../support/store';

// The LangChain.js peer returns only the driver's first 5,000-row page: this is the regression test.
describe('a 12,000-message session', () => {
  const ctx = useMigratedStore('large');
  const session = `large-${Date.now()}`;
  const TOTAL = 12_000;

  beforeAll(async () => {
    const history = ctx.store().history(session);
    for (let start = 0; start < TOTAL; start += 100) {
      const chunk: NewChatMessage[] = [];
      for (let i = start; i < start + 100; i++)
        chunk.push({ role: i % 2 ? 'assistant' : 'user', content: `message ${i}` });
      await history.addMessages(chunk);
    }
  }, 300_000);

  it('is read back completely and in order by getMessages() and iterate()', async () => {
    const history = ctx.store().history(session);
    const all = await history.getMessages();
    expect(all).toHaveLength(TOTAL);
    all.forEach((m, i) => expect(m.content).toBe(`message ${i}`));

    let i = 0;
    for await (const m of history.iterate()) {
      expect(m.content).toBe(`message ${i}`);
      i++;
    }
    expect(i).toBe(TOTAL);
    expect(await history.count()).toBe(TOTAL);
  });

  it('returns exactly the newest 50 for getMessages({ limit: 50 })', async () => {
    const last = await ctx.store().history(session).getMessages({ limit: 50 });
    expect(last.map((m) => m.content)).toEqual(Array.from({ length: 50 }, (_, k) => `message ${TOTAL - 50 + k}`));
  });
});
