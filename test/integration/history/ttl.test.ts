import { useMigratedStore } from '../../support/store';

describe('TTL and sliding TTL', () => {
  const ctx = useMigratedStore('ttl');

  async function ttlOf(table: string, column: string, sessionId: string): Promise<number | null> {
    const rs = await ctx
      .client()
      .execute(
        `SELECT TTL(${column}) AS ttl FROM ${ctx.keyspace}.${table} WHERE session_id = ? LIMIT 1 ALLOW FILTERING`,
        [sessionId],
        { prepare: true },
      );
    const value = rs.first()?.get('ttl');
    return value === null || value === undefined ? null : Number(value);
  }

  it('a store TTL applies to sessions and messages; updates keep the remaining TTL', async () => {
    const store = ctx.store({ defaultTtlSeconds: 3600 });
    const session = await store.sessions.create({ userId: 'ttl-user', title: 't' });
    await store.history(session.sessionId).addUserMessage('expires');
    expect(await ttlOf('chat_messages', 'content', session.sessionId)).toBeGreaterThan(3590);
    expect(await ttlOf('chat_sessions', 'title', session.sessionId)).toBeGreaterThan(3590);
    const bucketTtl = await ttlOf('chat_message_buckets', 'bucket_span_ms', session.sessionId);
    // The static span is set once without TTL: the session's bucket layout never changes.
    expect(bucketTtl).toBeNull();
    // Activity updates keep the session's remaining TTL instead of making it permanent.
    await store.sessions.update(session.sessionId, { title: 'renamed' });
    const kept = await ttlOf('chat_sessions', 'title', session.sessionId);
    expect(kept).toBeGreaterThan(3580);
    expect(kept).toBeLessThanOrEqual(3600);
  });

  it('a history without TTL writes rows that never expire', async () => {
    const store = ctx.store();
    await store.history('no-ttl').addUserMessage('forever');
    expect(await ttlOf('chat_messages', 'content', 'no-ttl')).toBeNull();
  });

  it('sliding TTL refreshes the session record (and its activity time) on writes', async () => {
    const store = ctx.store({ defaultTtlSeconds: 1000, slidingTtl: true });
    const session = await store.sessions.create({ userId: 'slider', title: 'sliding' });
    await new Promise((r) => setTimeout(r, 2500));
    const before = await ttlOf('chat_sessions', 'title', session.sessionId);
    expect(before).toBeLessThanOrEqual(998);
    await store.history(session.sessionId).addUserMessage('still here');
    const after = await ttlOf('chat_sessions', 'title', session.sessionId);
    expect(after).toBeGreaterThanOrEqual(999);
    const reread = await store.sessions.get(session.sessionId);
    expect(reread!.lastActivityAt.getTime()).toBeGreaterThan(session.lastActivityAt.getTime() + 2000);
    const listed = await store.sessions.listByUser('slider');
    expect(listed.sessions.map((s) => s.sessionId)).toEqual([session.sessionId]);
  });
});
