/**
 * When this process last wrote each channel value with a TTL, so that a put re-writes an unchanged
 * channel's value only when it has lived half its TTL (instead of never, which would let the value
 * expire under checkpoints that still read it, or always, which would defeat storing per version).
 * Forgetting is safe: an unknown value is re-written. Bounded: the oldest entries are forgotten first.
 */
export class BlobWriteLog {
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly maxEntries = 50_000) {}

  /** True when the value at `key` was not written by this process within the last `withinMs`. */
  isStale(key: string, now: number, withinMs: number): boolean {
    const at = this.writtenAt.get(key);
    return at === undefined || now - at >= withinMs;
  }

  record(key: string, now: number): void {
    this.writtenAt.delete(key);
    this.writtenAt.set(key, now);
    if (this.writtenAt.size > this.maxEntries) {
      const oldest = this.writtenAt.keys().next();
      if (oldest.done !== true) this.writtenAt.delete(oldest.value);
    }
  }
}
