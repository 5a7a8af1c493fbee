import { mapping } from 'cassandra-driver';
import type { CheckpointBlobRecord, CheckpointRecord, CheckpointWriteRecord } from '../entities';
import { withDriverErrors } from '../driver';
import type { CheckpointMapper } from './checkpoint-mapper';
import { MapperRepository } from './mapper-repository';
import { pageStateOf, withPageState } from './page-state';

const { q } = mapping;

/** The partition of one thread and namespace: every table of the checkpointer but the index is keyed by it. */
export interface CheckpointPartition {
  readonly threadId: string;
  readonly checkpointNs: string;
}

/** Where one channel value lives in its partition. */
export interface BlobKey {
  readonly channel: string;
  readonly versionKey: string;
}

export interface CheckpointPage {
  readonly items: CheckpointRecord[];
  readonly pageState?: string;
}

type PartitionQuery<D> = (doc: D, options: mapping.MappingExecutionOptions) => Promise<mapping.Result<unknown>>;

/**
 * Rows of the LangGraph checkpointer through the driver's Mapper: generated CRUD for reads and
 * inserts, `mapWithQuery` for the partition and range deletes the generated CRUD cannot express.
 * Every statement is idempotent (no counters, no lightweight transactions), so marked for retries.
 */
export class CheckpointRepository extends MapperRepository<CheckpointMapper> {
  private readonly removeQueries: readonly PartitionQuery<CheckpointPartition>[];
  private readonly removeNamespacesQuery: PartitionQuery<{ threadId: string }>;
  private readonly trimCheckpointsQuery: PartitionQuery<CheckpointPartition & { cutoff: string }>;
  private readonly trimWritesQuery: PartitionQuery<CheckpointPartition & { cutoff: string }>;
  private readonly trimBlobsQuery: PartitionQuery<CheckpointPartition & BlobKey>;

  constructor(models: CheckpointMapper) {
    super(models, 'langgraph_checkpoints');
    const ks = models.keyspace;
    const partition = (doc: CheckpointPartition) => [doc.threadId, doc.checkpointNs];
    const where = 'WHERE thread_id = ? AND checkpoint_ns = ?';
    this.removeQueries = [
      models.checkpoints.mapWithQuery(`DELETE FROM ${ks}.langgraph_checkpoints ${where}`, partition),
      models.blobs.mapWithQuery(`DELETE FROM ${ks}.langgraph_checkpoint_blobs ${where}`, partition),
      models.writes.mapWithQuery(`DELETE FROM ${ks}.langgraph_checkpoint_writes ${where}`, partition),
    ];
    this.removeNamespacesQuery = models.namespaces.mapWithQuery(
      `DELETE FROM ${ks}.langgraph_thread_namespaces WHERE thread_id = ?`,
      (doc: { threadId: string }) => [doc.threadId],
    );
    // Range deletes: one range tombstone per table however many rows they cover.
    const older = (doc: CheckpointPartition & { cutoff: string }) => [doc.threadId, doc.checkpointNs, doc.cutoff];
    this.trimCheckpointsQuery = models.checkpoints.mapWithQuery(
      `DELETE FROM ${ks}.langgraph_checkpoints ${where} AND checkpoint_id <= ?`,
      older,
    );
    this.trimWritesQuery = models.writes.mapWithQuery(
      `DELETE FROM ${ks}.langgraph_checkpoint_writes ${where} AND checkpoint_id <= ?`,
      older,
    );
    this.trimBlobsQuery = models.blobs.mapWithQuery(
      `DELETE FROM ${ks}.langgraph_checkpoint_blobs ${where} AND channel = ? AND version < ?`,
      (doc: CheckpointPartition & BlobKey) => [doc.threadId, doc.checkpointNs, doc.channel, doc.versionKey],
    );
  }

  /** The newest checkpoint of the partition: its first row, whatever the partition's length. */
  async latest(p: CheckpointPartition): Promise<CheckpointRecord | undefined> {
    const result = await withDriverErrors(this.context('read latest checkpoint'), () =>
      this.models.checkpoints.find(
        { threadId: p.threadId, checkpointNs: p.checkpointNs },
        { limit: 1 },
        this.options(),
      ),
    );
    return result.first() ?? undefined;
  }

  async get(p: CheckpointPartition, checkpointId: string): Promise<CheckpointRecord | undefined> {
    const row = await withDriverErrors(this.context('read checkpoint'), () =>
      this.models.checkpoints.get(
        { threadId: p.threadId, checkpointNs: p.checkpointNs, checkpointId },
        undefined,
        this.options(),
      ),
    );
    return row ?? undefined;
  }

  /** One page of the partition's checkpoints, newest first, optionally only those older than `before`. */
  async page(p: CheckpointPartition, fetchSize: number, before?: string, pageState?: string): Promise<CheckpointPage> {
    const doc: Record<string, unknown> = { threadId: p.threadId, checkpointNs: p.checkpointNs };
    if (before !== undefined) doc.checkpointId = q.lt(before);
    const result = await withDriverErrors(this.context('list checkpoints'), () =>
      this.models.checkpoints.find(doc, {}, withPageState(this.options({ fetchSize }), pageState)),
    );
    return { items: result.toArray(), pageState: pageStateOf(result) };
  }

  /** The ids and version maps of the partition's newest `limit` checkpoints (what trimming needs). */
  async newest(p: CheckpointPartition, limit: number): Promise<CheckpointRecord[]> {
    const result = await withDriverErrors(this.context('list checkpoints'), () =>
      this.models.checkpoints.find(
        { threadId: p.threadId, checkpointNs: p.checkpointNs },
        { fields: ['checkpointId', 'channelVersions'], limit },
        this.options({ fetchSize: limit }),
      ),
    );
    return result.toArray();
  }

  /** Every pending write of one checkpoint, in clustering order (task id, idx). */
  async writesOf(p: CheckpointPartition, checkpointId: string): Promise<CheckpointWriteRecord[]> {
    const rows: CheckpointWriteRecord[] = [];
    let pageState: string | undefined;
    do {
      const result = await withDriverErrors(this.context('read pending writes'), () =>
        this.models.writes.find(
          { threadId: p.threadId, checkpointNs: p.checkpointNs, checkpointId },
          {},
          withPageState(this.options({ fetchSize: 500 }), pageState),
        ),
      );
      rows.push(...result.toArray());
      pageState = pageStateOf(result);
    } while (pageState !== undefined);
    return rows;
  }

  /** The channel values at the given keys, read in parallel; a missing row is left out. */
  async blobsAt(p: CheckpointPartition, keys: readonly BlobKey[]): Promise<CheckpointBlobRecord[]> {
    const rows = await Promise.all(
      keys.map((key) =>
        withDriverErrors(this.context('read channel value'), () =>
          this.models.blobs.get(
            { threadId: p.threadId, checkpointNs: p.checkpointNs, ...key },
            undefined,
            this.options(),
          ),
        ),
      ),
    );
    return rows.filter((row): row is CheckpointBlobRecord => row !== null && row !== undefined);
  }

  /** Every channel value of the partition, a page at a time (to copy a thread). */
  async *allBlobs(p: CheckpointPartition): AsyncGenerator<CheckpointBlobRecord> {
    let pageState: string | undefined;
    do {
      const result = await withDriverErrors(this.context('read channel values'), () =>
        this.models.blobs.find(
          { threadId: p.threadId, checkpointNs: p.checkpointNs },
          {},
          withPageState(this.options({ fetchSize: 200 }), pageState),
        ),
      );
      yield* result.toArray();
      pageState = pageStateOf(result);
    } while (pageState !== undefined);
  }

  /**
   * Writes a checkpoint with the channel values it changed, as one unlogged batch of one partition
   * (one atomic mutation, exempt from the batch size limits), and its namespace-index row beside it:
   * the call resolves once both are written, so every saved checkpoint is findable by thread.
   */
  async save(record: CheckpointRecord, blobs: readonly CheckpointBlobRecord[], ttlSeconds?: number): Promise<void> {
    const docInfo = ttlSeconds === undefined ? undefined : { ttl: ttlSeconds };
    const items = [
      ...blobs.map((blob) => this.models.blobs.batching.insert(blob, docInfo)),
      this.models.checkpoints.batching.insert(record, docInfo),
    ];
    await Promise.all([
      withDriverErrors(this.context('save checkpoint'), () =>
        this.models.mapper.batch(items, this.options({ isIdempotent: true, logged: false })),
      ),
      withDriverErrors(this.context('index thread namespace'), () =>
        this.models.namespaces.insert(
          { threadId: record.threadId, checkpointNs: record.checkpointNs },
          docInfo,
          this.options({ isIdempotent: true }),
        ),
      ),
    ]);
  }

  /** Channel values alone (a TTL refresh or a copy), as one single-partition batch. */
  async saveBlobs(blobs: readonly CheckpointBlobRecord[], ttlSeconds?: number): Promise<void> {
    if (blobs.length === 0) return;
    const docInfo = ttlSeconds === undefined ? undefined : { ttl: ttlSeconds };
    const items = blobs.map((blob) => this.models.blobs.batching.insert(blob, docInfo));
    await withDriverErrors(this.context('save channel values'), () =>
      this.models.mapper.batch(items, this.options({ isIdempotent: true, logged: false })),
    );
  }

  /** Pending writes of one checkpoint (one partition), as one batch. Same task and idx: the last write wins. */
  async saveWrites(rows: readonly CheckpointWriteRecord[], ttlSeconds?: number): Promise<void> {
    if (rows.length === 0) return;
    const docInfo = ttlSeconds === undefined ? undefined : { ttl: ttlSeconds };
    const items = rows.map((row) => this.models.writes.batching.insert(row, docInfo));
    await withDriverErrors(this.context('save pending writes'), () =>
      this.models.mapper.batch(items, this.options({ isIdempotent: true, logged: false })),
    );
  }

  /** The namespaces the thread has checkpoints in. */
  async namespacesOf(threadId: string): Promise<string[]> {
    const namespaces: string[] = [];
    let pageState: string | undefined;
    do {
      const result = await withDriverErrors(this.context('list thread namespaces'), () =>
        this.models.namespaces.find({ threadId }, {}, withPageState(this.options({ fetchSize: 500 }), pageState)),
      );
      namespaces.push(...result.toArray().map((row) => row.checkpointNs));
      pageState = pageStateOf(result);
    } while (pageState !== undefined);
    return namespaces;
  }

  /** Every (thread, namespace) with checkpoints: a scan of the whole index, for listing without a thread. */
  async *allPartitions(): AsyncGenerator<CheckpointPartition> {
    let pageState: string | undefined;
    do {
      const result = await withDriverErrors(this.context('scan thread namespaces'), () =>
        this.models.namespaces.findAll({}, withPageState(this.options({ fetchSize: 500 }), pageState)),
      );
      yield* result.toArray().map((row) => ({ threadId: row.threadId, checkpointNs: row.checkpointNs }));
      pageState = pageStateOf(result);
    } while (pageState !== undefined);
  }

  /** Deletes a partition from the three tables: three partition tombstones, however long the thread. */
  async removePartition(p: CheckpointPartition): Promise<void> {
    await Promise.all(
      this.removeQueries.map((query) =>
        withDriverErrors(this.context('delete thread'), () => query(p, this.options({ isIdempotent: true }))),
      ),
    );
  }

  async removeNamespaces(threadId: string): Promise<void> {
    await withDriverErrors(this.context('delete thread'), () =>
      this.removeNamespacesQuery({ threadId }, this.options({ isIdempotent: true })),
    );
  }

  /**
   * Drops the checkpoints (and their writes) at or before `cutoff`, and each channel's values below
   * the lowest version a kept checkpoint still reads: range tombstones only, one per table or channel.
   */
  async trim(p: CheckpointPartition, cutoff: string, lowestKept: readonly BlobKey[]): Promise<void> {
    const options = this.options({ isIdempotent: true });
    await Promise.all([
      withDriverErrors(this.context('trim checkpoints'), () => this.trimCheckpointsQuery({ ...p, cutoff }, options)),
      withDriverErrors(this.context('trim pending writes'), () => this.trimWritesQuery({ ...p, cutoff }, options)),
      ...lowestKept.map((key) =>
        withDriverErrors(this.context('trim channel values'), () => this.trimBlobsQuery({ ...p, ...key }, options)),
      ),
    ]);
  }
}
