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
    // A failed load must not stick: the next call tries again.
    loading.catch(() => {
      if (this.entries.get(sessionId) === loading) this.entries.delete(sessionId);
    });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return loading;
  }

  /** The cached state, if any, without loading it or touching the LRU order. */
  peek(sessionId: string): Promise<SessionState> | undefined {
    return this.entries.get(sessionId);
  }

  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }
}
