import {
  BUCKET_COUNT,
  MESSAGE_COUNT,
  MIGRATION_COUNT,
  PENDING_MIGRATION_COUNT,
  SESSION_COUNT,
  type SpanAttributes,
} from './span-attributes';

// Counts read off operation results, for spans that record. Plain functions, not closures per
// call: passing one to a traced operation costs nothing.

/** What the message counts need of a message: the start of its time bucket. */
interface Bucketed {
  readonly bucket: number;
}

/** Message and distinct-bucket counts of the messages written or returned. */
export function messagesAttributes(messages: readonly Bucketed[]): SpanAttributes {
  const buckets = new Set<number>();
  for (const message of messages) buckets.add(message.bucket);
  return { [MESSAGE_COUNT]: messages.length, [BUCKET_COUNT]: buckets.size };
}

export function messageAttributes(_message: Bucketed): SpanAttributes {
  return { [MESSAGE_COUNT]: 1, [BUCKET_COUNT]: 1 };
}

export function messagePageAttributes(page: { readonly messages: readonly Bucketed[] }): SpanAttributes {
  return messagesAttributes(page.messages);
}

export function messageCountAttributes(count: number): SpanAttributes {
  return { [MESSAGE_COUNT]: count };
}

/** The message count of `sessions.get({ withMessageCount: true })`, when it was asked for. */
export function sessionAttributes(session: { readonly messageCount?: number } | null): SpanAttributes {
  return session?.messageCount === undefined ? {} : { [MESSAGE_COUNT]: session.messageCount };
}

export function sessionListAttributes(page: { readonly sessions: readonly unknown[] }): SpanAttributes {
  return { [SESSION_COUNT]: page.sessions.length };
}

export function migrationsAttributes(results: readonly unknown[]): SpanAttributes {
  return { [MIGRATION_COUNT]: results.length };
}

export function migrationStatusAttributes(status: {
  readonly entries: ReadonlyArray<{ readonly state: string }>;
}): SpanAttributes {
  let pending = 0;
  for (const entry of status.entries) if (entry.state === 'pending') pending += 1;
  return { [PENDING_MIGRATION_COUNT]: pending };
}
