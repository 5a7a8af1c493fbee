import { mapping } from 'cassandra-driver';
import type { ChatMessage } from '../entities';
import { type ChatMapper, mapperOptions } from './chat-mapper';
import { withDriverErrors } from './driver-errors';
import { pageStateOf, withPageState } from './page-state';

const { q } = mapping;

/** Where a message lives: its session's partition for one time bucket. */
export interface MessagePartition {
  readonly sessionId: string;
  readonly bucket: number;
}

export interface MessagePage {
  readonly items: ChatMessage[];
  /** Driver paging state to continue this partition, absent when it is exhausted. */
  readonly pageState?: string;
}

/**
 * Typed access to `chat_messages` through the driver's ModelMapper. Every write carries a
 * client-generated timeuuid, so inserts are idempotent and marked so: the driver may retry them.
 */
export class MessageRepository {
  private readonly countCql: string;
  private readonly removePartitionQuery: (doc: MessagePartition) => Promise<mapping.Result<unknown>>;
  private readonly removeOlderQuery: (doc: MessagePartition & { id: string }) => Promise<mapping.Result<unknown>>;

  constructor(private readonly m: ChatMapper) {
    const ks = m.keyspace;
    // Statements the Mapper's generated CRUD can't express: an aggregate and a range delete.
    // An aggregate has no entity shape to map to: it goes to the client directly.
    this.countCql = `SELECT count(*) FROM ${ks}.chat_messages WHERE session_id = ? AND bucket = ?`;
    // The Mapper's remove() needs the full primary key; a partition delete needs its own query.
    this.removePartitionQuery = m.messages.mapWithQuery(
      `DELETE FROM ${ks}.chat_messages WHERE session_id = ? AND bucket = ?`,
      (doc: MessagePartition) => [doc.sessionId, doc.bucket],
      this.options({ isIdempotent: true }),
    );
    this.removeOlderQuery = m.messages.mapWithQuery(
      `DELETE FROM ${ks}.chat_messages WHERE session_id = ? AND bucket = ? AND message_id < ?`,
      (doc: MessagePartition & { id: string }) => [doc.sessionId, doc.bucket, doc.id],
      this.options({ isIdempotent: true }),
    );
  }

  private options(extra: mapping.MappingExecutionOptions = {}): mapping.MappingExecutionOptions {
    return mapperOptions(this.m, extra);
  }

  private context(operation: string) {
    return { operation, keyspace: this.m.keyspace, table: 'chat_messages' };
  }

  async insert(message: ChatMessage, ttlSeconds?: number): Promise<void> {
    await withDriverErrors(this.context('insert message'), () =>
      this.m.messages.insert(message, ttlSeconds ? { ttl: ttlSeconds } : undefined, this.options({ isIdempotent: true })),
    );
  }

  /**
   * Writes messages of ONE partition as one unlogged batch: a single mutation, applied atomically and
   * in isolation, one round trip. Callers group by partition and keep chunks under the mutation limit.
   */
  async insertBatch(messages: readonly ChatMessage[], ttlSeconds?: number): Promise<void> {
    if (messages.length === 0) return;
    const docInfo = ttlSeconds ? { ttl: ttlSeconds } : undefined;
    await withDriverErrors(this.context('insert messages'), () =>
      this.m.mapper.batch(
        messages.map((message) => this.m.messages.batching.insert(message, docInfo)),
        this.options({ isIdempotent: true, logged: false }),
      ),
    );
  }

  async get(partition: MessagePartition & { id: string }): Promise<ChatMessage | null> {
    return withDriverErrors(this.context('get message'), () =>
      this.m.messages.get({ sessionId: partition.sessionId, bucket: partition.bucket, id: partition.id }, undefined, this.options()),
    );
  }

  /** The newest `limit` messages of a partition, newest first, optionally strictly before an id. */
  async findNewest(partition: MessagePartition, limit: number, before?: string): Promise<ChatMessage[]> {
    const doc: Record<string, unknown> = { sessionId: partition.sessionId, bucket: partition.bucket };
    if (before !== undefined) doc.id = q.lt(before);
    const result = await withDriverErrors(this.context('read messages'), () =>
      this.m.messages.find(doc, { orderBy: { id: 'desc' }, limit }, this.options({ fetchSize: limit })),
    );
    return result.toArray();
  }

  /**
   * One page of a partition in the given order, resumable with the returned page state; with
   * `before`, only messages strictly older than that id (the cut is in the query, not after it).
   */
  async page(
    partition: MessagePartition,
    order: 'asc' | 'desc',
    fetchSize: number,
    pageState?: string,
    before?: string,
  ): Promise<MessagePage> {
    const doc: Record<string, unknown> = { sessionId: partition.sessionId, bucket: partition.bucket };
    if (before !== undefined) doc.id = q.lt(before);
    const result = await withDriverErrors(this.context('read messages'), () =>
      this.m.messages.find(
        doc,
        { orderBy: { id: order } },
        withPageState(this.options({ fetchSize }), pageState),
      ),
    );
    return { items: result.toArray(), pageState: pageStateOf(result) };
  }

  async count(partition: MessagePartition): Promise<number> {
    const result = await withDriverErrors(this.context('count messages'), () =>
      this.m.client.execute(this.countCql, [partition.sessionId, partition.bucket], {
        prepare: true,
        executionProfile: this.m.profile,
        isIdempotent: true,
      }),
    );
    const count = result.first()?.get('count') as { toNumber(): number } | undefined;
    return count ? count.toNumber() : 0;
  }

  async remove(partition: MessagePartition & { id: string }): Promise<void> {
    await withDriverErrors(this.context('delete message'), () =>
      this.m.messages.remove(
        { sessionId: partition.sessionId, bucket: partition.bucket, id: partition.id },
        undefined,
        this.options({ isIdempotent: true }),
      ),
    );
  }

  /** One range tombstone for everything older than `id` in the partition. */
  async removeOlderThan(partition: MessagePartition, id: string): Promise<void> {
    await withDriverErrors(this.context('trim messages'), () => this.removeOlderQuery({ ...partition, id }));
  }

  /** One partition tombstone: the cheapest way to delete a whole bucket. */
  async removePartition(partition: MessagePartition): Promise<void> {
    await withDriverErrors(this.context('clear messages'), () => this.removePartitionQuery(partition));
  }
}
