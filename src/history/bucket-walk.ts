import type { StoreDependencies } from './store-dependencies';

export interface BucketWalkOptions {
  /** The first bucket in walk order (inclusive): asc walks from it up, desc from it down. */
  readonly start?: number;
  /** Index rows fetched per round trip. Small for "last N" (it stops early), large for full scans. */
  readonly pageSize: number;
}

/**
 * A session's buckets in order, read from the bucket index one page at a time, only as far as the
 * caller iterates: "last N" of a years-long session reads one small page, not the whole index.
 */
export async function* walkBuckets(
  deps: StoreDependencies,
  sessionId: string,
  order: 'asc' | 'desc',
  options: BucketWalkOptions,
): AsyncGenerator<number, void, undefined> {
  let pageState: string | undefined;
  do {
    const page = await deps.buckets.page(sessionId, order, options.pageSize, pageState, options.start);
    yield* page.buckets;
    pageState = page.pageState;
  } while (pageState !== undefined);
}

/** Collects buckets from a walk in groups of at most `size` (for capped fan-out over a long index). */
export async function* inGroups(
  buckets: AsyncIterable<number>,
  size: number,
): AsyncGenerator<number[], void, undefined> {
  let group: number[] = [];
  for await (const bucket of buckets) {
    group.push(bucket);
    if (group.length >= size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}
