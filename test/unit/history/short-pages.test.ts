import { types } from 'cassandra-driver';
import { createTestStore } from '../../../src/testing';
import { contentsByPages } from '../../support/paging';

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 0, 5, 8);

/**
 * 30 messages over 3 hour buckets (10 each), oldest first. Made once: `fromDate` draws random node
 * and clock bytes, so a second call would give other ids at the same times (and `before: id` would
 * then compare against a stranger's id, sometimes just after the stored one).
 */
const MESSAGES: readonly { id: string; role: 'user'; content: string }[] = Array.from({ length: 30 }, (_, i) => ({
  id: types.TimeUuid.fromDate(new Date(BASE + Math.floor(i / 10) * HOUR + (i % 10) * 1000), 0).toString(),
  role: 'user' as const,
  content: `m${i}`,
}));
const messages = (): { id: string; role: 'user'; content: string }[] => [...MESSAGES];

describe('reads that get short pages (fewer rows than asked, with a page state) read on', () => {
  async function setUp() {
    const kit = createTestStore({ bucketSpan: 'hour' });
    const history = kit.store.history('short-pages');
    await history.addMessages(messages());
    const session = await kit.store.sessions.create({ userId: 'u1', title: 't' });
    for (let i = 0; i < 6; i++) await kit.store.sessions.create({ userId: 'u1', title: `t${i}` });
    kit.mapper.shortPages(3);
    kit.mapper.clearCalls();
    return { ...kit, history, session };
  }
  const contents = (list: readonly { content: string }[]) => list.map((m) => m.content);
  const all = contents(messages());

  it('whole-session reads and iterate', async () => {
    const { history, mapper } = await setUp();
    expect(contents(await history.getMessages())).toEqual(all);
    const desc: string[] = [];
    for await (const m of history.iterate({ order: 'desc' })) desc.push(m.content);
    expect(desc).toEqual([...all].reverse());
    // The short pages did happen: reads resumed from a page state.
    expect(mapper.calls.some((c) => c.method === 'find' && c.options.pageState !== undefined)).toBe(true);
  });

  it('the last N, across buckets, and before an id', async () => {
    const { history } = await setUp();
    expect(contents(await history.getMessages({ limit: 15 }))).toEqual(all.slice(15));
    expect(contents(await history.getMessages({ limit: 8 }))).toEqual(all.slice(22));
    expect(contents(await history.getMessages({ limit: 12, before: messages()[25].id }))).toEqual(all.slice(13, 25));
    expect(contents(await history.getMessages({ limit: 10, window: 'safe' }))).toEqual(all.slice(20));
  });

  it('cursor pages: every message once, in order, whatever the page size', async () => {
    const { history } = await setUp();
    for (const order of ['asc', 'desc'] as const) {
      for (const pageSize of [1, 4, 7, 10, 11, 40]) {
        const seen = await contentsByPages(history, pageSize, order);
        expect({ order, pageSize, seen }).toEqual({
          order,
          pageSize,
          seen: order === 'asc' ? all : [...all].reverse(),
        });
      }
    }
  });

  it("count and a user's session list", async () => {
    const { history, store } = await setUp();
    expect(await history.count()).toBe(30);
    const titles: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.sessions.listByUser('u1', { limit: 5, cursor });
      titles.push(...page.sessions.map((s) => s.title));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(titles.sort()).toEqual(['t', 't0', 't1', 't2', 't3', 't4', 't5']);
  });
});
