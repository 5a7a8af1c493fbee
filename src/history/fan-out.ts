/**
 * Runs `task` over `items` with at most `limit` in flight: a session with thousands of buckets must
 * not send thousands of requests at once. Results keep the order of `items`; the first failure rejects.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Requests a history sends at once for one call (per-bucket counts and deletes). */
export const BUCKET_FAN_OUT = 8;
