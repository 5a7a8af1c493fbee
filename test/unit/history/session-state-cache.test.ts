import { type SessionState, SessionStateCache } from '../../../src/history/session-state-cache';

const state = (spanMs: number): SessionState => ({ spanMs, lastActivityWriteMs: 0 });

async function load(cache: SessionStateCache, id: string, spanMs = 1): Promise<SessionState> {
  const loaded = await cache.get(id, async () => state(spanMs));
  await Promise.resolve(); // the cache records the loaded state in a reaction of its own
  return loaded;
}

describe('SessionStateCache', () => {
  it('shares one load between concurrent callers, and answers current() once it resolved', async () => {
    const cache = new SessionStateCache(10);
    let loads = 0;
    let resolve!: (s: SessionState) => void;
    const loader = () => {
      loads += 1;
      return new Promise<SessionState>((r) => (resolve = r));
    };
    const first = cache.get('a', loader);
    const second = cache.get('a', loader);
    expect(cache.current('a')).toBeUndefined();
    resolve(state(7));
    expect(await first).toBe(await second);
    expect(loads).toBe(1);
    expect(cache.current('a')).toEqual(state(7));
  });

  it('forgets a failed load, so the next call loads again', async () => {
    const cache = new SessionStateCache(10);
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await Promise.resolve();
    expect(cache.peek('a')).toBeUndefined();
    expect((await load(cache, 'a', 3)).spanMs).toBe(3);
  });

  it('stays within its bound, evicting an entry not used since the last scan first', async () => {
    const cache = new SessionStateCache(3);
    for (const id of ['a', 'b', 'c']) await load(cache, id);
    await load(cache, 'd'); // every entry was new: the oldest, a, goes
    expect(['a', 'b', 'c', 'd'].map((id) => cache.peek(id) !== undefined)).toEqual([false, true, true, true]);
    cache.current('b'); // b is used again; c is not
    await load(cache, 'e');
    expect(['b', 'c', 'd', 'e'].map((id) => cache.peek(id) !== undefined)).toEqual([true, false, true, true]);
    for (let i = 0; i < 50; i++) await load(cache, `x${i}`);
    expect(['b', 'd', 'e', 'x47', 'x48', 'x49'].filter((id) => cache.peek(id) !== undefined)).toHaveLength(3);
  });

  it('forget() drops an entry at once', async () => {
    const cache = new SessionStateCache(3);
    await load(cache, 'a');
    cache.forget('a');
    expect(cache.current('a')).toBeUndefined();
    expect(cache.peek('a')).toBeUndefined();
  });
});
