import { HumanMessage } from '@langchain/core/messages';
import { types } from 'cassandra-driver';
import { CassioChatMessageHistory, createCassioTable } from '../../../src/langchain';
import { useMigratedStore } from '../../support/store';
import { contentsByPages } from '../../support/paging';

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 0, 5, 8);

/** Paging loops against a real node's page states, with fetch sizes far below the data. */
describe('reads with small fetch sizes on a real node', () => {
  const ctx = useMigratedStore('small_pages');
  const messages = Array.from({ length: 30 }, (_, i) => ({
    id: types.TimeUuid.fromDate(new Date(BASE + Math.floor(i / 10) * HOUR + (i % 10) * 1000), 0).toString(),
    role: 'user' as const,
    content: `m${i}`,
  }));
  const all = messages.map((m) => m.content);
  const contents = (list: readonly { content: string }[]) => list.map((m) => m.content);

  it('iterate and cursor pages of 1 to 11 messages over three buckets return every message once, in order', async () => {
    const history = ctx.store({ bucketSpan: 'hour' }).history('small-pages');
    await history.addMessages(messages);
    for (const pageSize of [1, 3, 10, 11]) {
      const asc: string[] = [];
      for await (const m of history.iterate({ pageSize })) asc.push(m.content);
      expect({ pageSize, asc }).toEqual({ pageSize, asc: all });
    }
    for (const order of ['asc', 'desc'] as const) {
      for (const pageSize of [1, 4, 10, 11]) {
        const seen = await contentsByPages(history, pageSize, order);
        expect({ order, pageSize, seen }).toEqual({
          order,
          pageSize,
          seen: order === 'asc' ? all : [...all].reverse(),
        });
      }
    }
    expect(contents(await history.getMessages({ limit: 15 }))).toEqual(all.slice(15));
    expect(await history.count()).toBe(30);
  });

  it('the cassio reader pages through a session with pageSize 2 (and with limit)', async () => {
    await createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace });
    const history = (extra: { limit?: number } = {}) =>
      new CassioChatMessageHistory({
        client: ctx.client(),
        keyspace: ctx.keyspace,
        sessionId: 'small',
        pageSize: 2,
        ...extra,
      });
    await history().addMessages(all.slice(0, 7).map((c) => new HumanMessage(c)));
    expect((await history().getMessages()).map((m) => m.content)).toEqual(all.slice(0, 7));
    expect((await history({ limit: 5 }).getMessages()).map((m) => m.content)).toEqual(all.slice(2, 7));
  });
});
