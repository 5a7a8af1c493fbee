import { type Client, types } from 'cassandra-driver';
import type { WriteTimestamp } from './message-repository';

interface ClientTimestampPolicy {
  readonly options?: {
    readonly policies?: { readonly timestampGeneration?: { next(client: Client): unknown } | null };
  };
}

/**
 * The write timestamps of the history's statements. A message and its bucket-index row are written
 * with one explicit timestamp (src/history/README.md), so it comes from the client's own timestamp
 * generator when it has one (the driver's default: monotonic, microseconds), or from a monotonic
 * microsecond clock of our own when the client leaves timestamps to the server.
 */
export function writeClock(client: Client): () => WriteTimestamp {
  // `options` is public at runtime but missing from the driver's typings.
  const generator = (client as unknown as ClientTimestampPolicy).options?.policies?.timestampGeneration;
  if (generator) {
    return () => {
      const value = generator.next(client);
      return value instanceof types.Long ? value.toNumber() : Number(value);
    };
  }
  let last = 0;
  return () => {
    last = Math.max(Date.now() * 1000, last + 1);
    return last;
  };
}
