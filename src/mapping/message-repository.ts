import { mapping } from 'cassandra-driver';
import { ChatMessage, compileEntity } from '../entities';
import type { ChatMapper } from './chat-mapper';
import { MapperRepository } from './mapper-repository';
import { translateDriverError, withDriverErrors } from '../driver';
import type { ChatHistoryError } from '../errors';
import type { IndexExpiry } from './bucket-repository';
import { MAX_STATEMENT_MESSAGES, MessageBatchStatement } from './message-batch-statement';
import { pageStateOf, withPageState } from './page-state';
import { ReplicaCoverage } from './replica-coverage';

const { q } = mapping;

/** Where a message lives: its session's partition for one time bucket. */
export interface MessagePartition {
  readonly sessionId: string;
  readonly bucket: number;
}

/** One page of one partition (the facade's cursor pages span partitions: `MessagePage`). */
export interface PartitionPage {
  readonly items: ChatMessage[];
  /** Driver paging state to continue this partition, absent when it is exhausted. */
  readonly pageState?: string;
}

/** The part of BucketRepository a message write needs. */
export interface BucketIndexItems {
  indexItem(sessionId: string, bucket: number, expiry?: IndexExpiry): mapping.ModelBatchItem;
}

const NEWEST_FIRST = { id: 'desc' } as const;

/**
 * What a partition read selects: every message column but the partition key, which the query
 * already names (two cells less to decode per row, on every read); inPartition sets it.
 */
const READ_FIELDS: string[] = compileEntity(ChatMessage)
  .columns.filter((c) => c.kind !== 'partitionKey')
  .map((c) => c.propertyName);

function inPartition(rows: ChatMessage[], partition: MessagePartition): ChatMessage[] {
  for (const row of rows) {
    row.sessionId = partition.sessionId;
    row.bucket = partition.bucket;
  }
  return rows;
}

/** A write timestamp in microseconds since the epoch (Cassandra's unit), for `USING TIMESTAMP`. */
export type WriteTimestamp = number;

/**
 * Typed access to `chat_messages` through the driver's ModelMapper. Every write carries a
 * client-generated timeuuid, so inserts are idempotent and marked so: the driver may retry them.
 * Deletes take an explicit write timestamp: the history's remover pairs each message delete with the
 * bucket-index delete of the same timestamp (see src/history/README.md).
 */
export class MessageRepository extends MapperRepository {
  private readonly countCql: string;
  private readonly removePartitionQuery: (
    doc: MessagePartition,
    options: mapping.MappingExecutionOptions,
  ) => Promise<mapping.Result<unknown>>;
  private readonly removeOlderQuery: (
    doc: MessagePartition & { id: string },
    options: mapping.MappingExecutionOptions,
  ) => Promise<mapping.Result<unknown>>;

  private readonly insertOne = this.context('insert message');
  private readonly insertMany = this.context('insert messages');
  private readonly recordBucket = this.context('record bucket');
  private readonly readMessages = this.context('read messages');

  private readonly batchStatement: MessageBatchStatement;
  private readonly coverage: ReplicaCoverage;

  /** `index` builds the bucket-index row of a write (BucketRepository.indexItem). */
  constructor(
    models: ChatMapper,
    private readonly index: BucketIndexItems,
  ) {
    super(models, 'chat_messages');
    this.batchStatement = new MessageBatchStatement(models);
    this.coverage = new ReplicaCoverage(models.client, models.keyspace);
    const ks = models.keyspace;
    // Statements the Mapper's generated CRUD can't express: an aggregate and a range delete.
    // An aggregate has no entity shape to map to: it goes to the client directly.
    this.countCql = `SELECT count(*) FROM ${ks}.chat_messages WHERE session_id = ? AND bucket = ?`;
    // The Mapper's remove() needs the full primary key; a partition delete needs its own query. No
    // common options: the Mapper would then ignore the per-call timestamp.
    this.removePartitionQuery = models.messages.mapWithQuery(
      `DELETE FROM ${ks}.chat_messages WHERE session_id = ? AND bucket = ?`,
      (doc: MessagePartition) => [doc.sessionId, doc.bucket],
    );
    this.removeOlderQuery = models.messages.mapWithQuery(
      `DELETE FROM ${ks}.chat_messages WHERE session_id = ? AND bucket = ? AND message_id < ?`,
      (doc: MessagePartition & { id: string }) => [doc.sessionId, doc.bucket, doc.id],
    );
  }

  /**
   * Writes messages of ONE partition and that partition's bucket-index row (with `expiry` for a
   * write with a TTL) with one write timestamp, which is what keeps the messages findable
   * (src/history/README.md).
   * - `together`: one unlogged batch, one round trip. Only for small writes: Cassandra refuses a
   *   batch over two partitions past `batch_size_fail_threshold` (50 KiB by default) and logs one
   *   past 5 KiB. Sent as one prepared statement (MessageBatchStatement) where every node is a
   *   replica anyway, else as a Mapper batch, which the driver routes to a replica.
   * - otherwise: the messages (one single-partition batch, exempt from that limit) and the index row
   *   as two requests in parallel. The call succeeds only when both did.
   * Idempotent: ids and the timestamp are fixed, so the driver may retry either request.
   * Rejects with the driver's error as it is: pass it to {@link insertError}. (This runs once per
   * append; the caller's one rejection handler translates, instead of one more promise here.)
   */
  insertWithIndex(
    messages: readonly ChatMessage[],
    ttlSeconds: number | undefined,
    expiry: IndexExpiry | undefined,
    timestamp: WriteTimestamp,
    together: boolean,
  ): Promise<unknown> {
    // One options object per call: the timestamp is the call's own.
    const options: mapping.MappingExecutionOptions = {
      executionProfile: this.profileOption,
      isIdempotent: true,
      logged: false,
      timestamp,
    };
    if (together && messages.length <= MAX_STATEMENT_MESSAGES && this.coverage.everyNodeIsAReplica()) {
      return this.batchStatement.execute(
        { messages, ttlSeconds, slot: expiry?.slot, slotTtlSeconds: expiry?.ttlSeconds },
        options,
      );
    }
    const batching = this.models.messages.batching;
    const items: mapping.ModelBatchItem[] = [];
    if (ttlSeconds) {
      const docInfo = { ttl: ttlSeconds };
      for (const message of messages) items.push(batching.insert(message, docInfo));
    } else {
      for (const message of messages) items.push(batching.insert(message));
    }
    const indexItem = this.index.indexItem(messages[0].sessionId, messages[0].bucket, expiry);
    if (together) {
      items.push(indexItem);
      return this.models.mapper.batch(items, options);
    }
    return Promise.all([
      withDriverErrors(messages.length === 1 ? this.insertOne : this.insertMany, () =>
        this.models.mapper.batch(items, options),
      ),
      withDriverErrors(this.recordBucket, () => this.models.mapper.batch([indexItem], options)),
    ]);
  }

  /** The typed error of a failed {@link insertWithIndex} of `count` messages. */
  insertError(error: unknown, count: number): ChatHistoryError {
    return translateDriverError(error, count === 1 ? this.insertOne : this.insertMany);
  }

  async get(partition: MessagePartition & { id: string }): Promise<ChatMessage | null> {
    return withDriverErrors(this.context('get message'), () =>
      this.models.messages.get(
        { sessionId: partition.sessionId, bucket: partition.bucket, id: partition.id },
        undefined,
        this.options(),
      ),
    );
  }

  /** The newest `limit` messages of a partition, newest first, optionally strictly before an id. */
  findNewest(partition: MessagePartition, limit: number, before?: string): Promise<ChatMessage[]> {
    const doc: Record<string, unknown> = { sessionId: partition.sessionId, bucket: partition.bucket };
    if (before !== undefined) doc.id = q.lt(before);
    // Every "last N" (each chat turn) runs this: the first page costs one options object and no
    // async wrapper. A server may return a short page (a size cap, tombstones) with a page state:
    // then read on until `limit` rows or no page state, or "the newest N" would skip this bucket's rest.
    return this.models.messages
      .find(
        doc,
        { fields: READ_FIELDS, orderBy: NEWEST_FIRST, limit },
        { executionProfile: this.profileOption, fetchSize: limit },
      )
      .then(
        (result) => {
          const rows = inPartition(result.toArray(), partition);
          const pageState = pageStateOf(result);
          return pageState === undefined || rows.length >= limit
            ? rows
            : this.readOn(doc, partition, limit, rows, pageState);
        },
        (error: unknown) => {
          throw translateDriverError(error, this.readMessages);
        },
      );
  }

  /** The rest of a newest-first read after a short page: page on while there is a page state. */
  private async readOn(
    doc: Record<string, unknown>,
    partition: MessagePartition,
    limit: number,
    rows: ChatMessage[],
    from: string,
  ): Promise<ChatMessage[]> {
    let pageState: string | undefined = from;
    while (pageState !== undefined && rows.length < limit) {
      const result: mapping.Result<ChatMessage> = await withDriverErrors(this.readMessages, () =>
        this.models.messages.find(
          doc,
          { fields: READ_FIELDS, orderBy: NEWEST_FIRST, limit },
          withPageState(this.options({ fetchSize: limit }), pageState),
        ),
      );
      rows.push(...inPartition(result.toArray(), partition));
      pageState = pageStateOf(result);
    }
    return rows.slice(0, limit);
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
  ): Promise<PartitionPage> {
    const doc: Record<string, unknown> = { sessionId: partition.sessionId, bucket: partition.bucket };
    if (before !== undefined) doc.id = q.lt(before);
    const result = await withDriverErrors(this.context('read messages'), () =>
      this.models.messages.find(
        doc,
        { fields: READ_FIELDS, orderBy: { id: order } },
        withPageState(this.options({ fetchSize }), pageState),
      ),
    );
    return { items: inPartition(result.toArray(), partition), pageState: pageStateOf(result) };
  }

  async count(partition: MessagePartition): Promise<number> {
    const result = await withDriverErrors(this.context('count messages'), () =>
      this.models.client.execute(this.countCql, [partition.sessionId, partition.bucket], {
        prepare: true,
        executionProfile: this.models.profile,
        isIdempotent: true,
      }),
    );
    const count = result.first()?.get('count') as { toNumber(): number } | undefined;
    return count ? count.toNumber() : 0;
  }

  /** One row tombstone, at `timestamp`. */
  async remove(partition: MessagePartition & { id: string }, timestamp: WriteTimestamp): Promise<void> {
    await withDriverErrors(this.context('delete message'), () =>
      this.models.messages.remove(
        { sessionId: partition.sessionId, bucket: partition.bucket, id: partition.id },
        undefined,
        this.options({ isIdempotent: true, timestamp }),
      ),
    );
  }

  /** One range tombstone for everything older than `id` in the partition, at `timestamp`. */
  async removeOlderThan(partition: MessagePartition, id: string, timestamp: WriteTimestamp): Promise<void> {
    await withDriverErrors(this.context('trim messages'), () =>
      this.removeOlderQuery({ ...partition, id }, this.options({ isIdempotent: true, timestamp })),
    );
  }

  /** One partition tombstone at `timestamp`: the cheapest way to delete a whole bucket. */
  async removePartition(partition: MessagePartition, timestamp: WriteTimestamp): Promise<void> {
    await withDriverErrors(this.context('clear messages'), () =>
      this.removePartitionQuery(partition, this.options({ isIdempotent: true, timestamp })),
    );
  }
}
