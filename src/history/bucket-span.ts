import { timeOfTimeUuid } from '../entities';
import { ConfigurationError } from '../errors';

/** How long one time bucket (one partition of a session's messages) spans. */
export type BucketSpan = 'hour' | 'day' | 'week' | number;

const HOUR_MS = 3_600_000;
const NAMED_SPANS: Readonly<Record<string, number>> = { hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS };

/** Default: one day. A session would need over 100,000 messages a day to pass the partition guideline. */
export const DEFAULT_BUCKET_SPAN_MS = NAMED_SPANS.day;

export function bucketSpanMs(span: BucketSpan | undefined): number {
  if (span === undefined) return DEFAULT_BUCKET_SPAN_MS;
  if (typeof span === 'string') {
    const ms = NAMED_SPANS[span];
    if (ms === undefined)
      throw new ConfigurationError(
        `bucketSpan must be 'hour', 'day', 'week' or milliseconds, got ${JSON.stringify(span)}`,
      );
    return ms;
  }
  if (!Number.isInteger(span) || span < 60_000) {
    throw new ConfigurationError(`bucketSpan in milliseconds must be an integer of at least 60000, got ${span}`);
  }
  return span;
}

/** The bucket of a time: the start of its span, in ms since the epoch. */
export function bucketOfTime(timeMs: number, spanMs: number): number {
  return Math.floor(timeMs / spanMs) * spanMs;
}

/** The bucket a message id falls in: a pure function of the id, so a retried write hits the same partition. */
export function bucketOfId(id: string, spanMs: number): number {
  return bucketOfTime(timeOfTimeUuid(id).getTime(), spanMs);
}
