/**
 * Per-session facts a store may reuse: the session's bucket span (fixed once chosen, so safe to
 * cache) and when this process last wrote its activity time (a throttle only). Nothing here decides
 * whether a message is findable: correctness never depends on this memory (src/history/README.md).
 * Bounded (LRU) so a long-lived service with millions of sessions keeps a fixed footprint.
 */
export interface SessionState {
  readonly spanMs: number;
  lastActivityWriteMs: number;
}

interface CacheEntry {
  readonly loading: Promise<SessionState>;
  /** Set once `loading` resolved: a hit then costs no promise hop (each append looks its session up). */
  state?: SessionState;
  /** Used since the eviction scan last passed it (a "second chance"). */
  used: boolean;
}

/**
 * Eviction is CLOCK ("second chance"), an approximation of least-recently-used: a hit only marks
 * its entry, so the hot path (every append) does one Map look-up and no Map writes; when the cache
 * overflows, the scan from the oldest entry moves marked entries to the back, unmarked, and evicts
 * the first unmarked one.
 */
export class SessionStateCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly maxEntries: number) {}

  /** The cached state, or the one `load` produces; concurrent callers share one load. */
  get(sessionId: string, load: () => Promise<SessionState>): Promise<SessionState> {
    const hit = this.entries.get(sessionId);
    if (hit) {
      hit.used = true;
      return hit.loading;
    }
    const entry: CacheEntry = { loading: load(), used: true };
    this.entries.set(sessionId, entry);
    entry.loading.then(
      (state) => {
        entry.state = state;
      },
      // A failed load must not stick: the next call tries again.
      () => {
        if (this.entries.get(sessionId) === entry) this.entries.delete(sessionId);
      },
    );
    if (this.entries.size > this.maxEntries) this.evictOne();
    return entry.loading;
  }

  /** The loaded state, if any, marked as used; undefined while absent or still loading. */
  current(sessionId: string): SessionState | undefined {
    const entry = this.entries.get(sessionId);
    if (entry === undefined || entry.state === undefined) return undefined;
    entry.used = true;
    return entry.state;
  }

  /** The cached state, if any, without loading it or marking it used. */
  peek(sessionId: string): Promise<SessionState> | undefined {
    return this.entries.get(sessionId)?.loading;
  }

  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  private evictOne(): void {
    // Terminates: each pass over a marked entry unmarks it, so within one round some entry is unmarked.
    for (const [sessionId, entry] of this.entries) {
      if (!entry.used) {
        this.entries.delete(sessionId);
        return;
      }
      entry.used = false;
      this.entries.delete(sessionId);
      this.entries.set(sessionId, entry);
    }
  }
}
