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

export class SessionStateCache {
  private readonly entries = new Map<string, Promise<SessionState>>();
  /** The loaded states, so a hit costs no promise hop (each append looks its session up). */
  private readonly loaded = new Map<string, SessionState>();

  constructor(private readonly maxEntries: number) {}

  /** The cached state, or the one `load` produces; concurrent callers share one load. */
  get(sessionId: string, load: () => Promise<SessionState>): Promise<SessionState> {
    const hit = this.entries.get(sessionId);
    if (hit) {
      // Re-insert: Map iteration order is insertion order, so the first key is the least recent.
      this.entries.delete(sessionId);
      this.entries.set(sessionId, hit);
      return hit;
    }
    const loading = load();
    this.entries.set(sessionId, loading);
    loading.then(
      (state) => {
        if (this.entries.get(sessionId) === loading) this.loaded.set(sessionId, state);
      },
      // A failed load must not stick: the next call tries again.
      () => {
        if (this.entries.get(sessionId) === loading) this.entries.delete(sessionId);
      },
    );
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
    return loading;
  }

  /** The loaded state, if any, marked as recently used; undefined while absent or still loading. */
  current(sessionId: string): SessionState | undefined {
    const state = this.loaded.get(sessionId);
    if (state === undefined) return undefined;
    const entry = this.entries.get(sessionId);
    if (entry !== undefined) {
      this.entries.delete(sessionId);
      this.entries.set(sessionId, entry);
    }
    return state;
  }

  /** The cached state, if any, without loading it or touching the LRU order. */
  peek(sessionId: string): Promise<SessionState> | undefined {
    return this.entries.get(sessionId);
  }

  forget(sessionId: string): void {
    this.entries.delete(sessionId);
    this.loaded.delete(sessionId);
  }
}
