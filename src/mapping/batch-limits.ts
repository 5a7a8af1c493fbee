/**
 * Cassandra's limits that shape the package's writes, in one place.
 *
 * - A single-partition batch is one mutation, and a mutation may be at most half a commitlog segment
 *   (16 MiB with the default 32 MiB): chunks stay far below it, with room for 1 MiB messages.
 * - A TTL may be at most 20 years.
 */
export const MAX_TTL_SECONDS = 630_720_000;
export const MAX_BATCH_ITEMS = 100;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Splits `items` into chunks of at most MAX_BATCH_ITEMS and MAX_BATCH_BYTES (by `sizeOf`), in order. */
export function chunkForBatches<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= MAX_BATCH_ITEMS || bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
