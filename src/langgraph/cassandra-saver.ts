import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
} from '@langchain/langgraph-checkpoint';
import { types } from 'cassandra-driver';
import { ConfigurationError } from '../errors';
import { assertIdentifier } from '../identifiers';
import type { CheckpointBlobRecord } from '../entities';
import {
  buildExecutionProfile,
  type CheckpointPartition,
  CheckpointRepository,
  createCheckpointMapper,
} from '../mapping';
import { BlobWriteLog } from './blob-write-log';
import { channelVersionKey, nextChannelVersion } from './channel-version';
import { CheckpointCodec } from './checkpoint-codec';
import { CheckpointConfigError } from './checkpoint-config-error';
import { listCheckpoints } from './checkpoint-listing';
import { checkpointIdOf, namespaceOf, threadIdOf, writeTarget } from './checkpoint-target';
import { planRetention } from './retention-plan';
import { type CassandraSaverOptions, type CheckpointTtl, checkKeepLast, checkTtlSeconds } from './saver-options';
import { copyThread } from './thread-copy';
import { TupleReader } from './tuple-reader';

/**
 * A LangGraph checkpointer on Cassandra (`@langchain/langgraph-checkpoint`'s BaseCheckpointSaver):
 * checkpoints newest first per thread and namespace, channel values stored once per version,
 * pending writes beside their checkpoint; retention by TTL and by keeping the last N checkpoints.
 * Needs the package's migrations (V0003) applied to its keyspace.
 */
export class CassandraSaver extends BaseCheckpointSaver {
  readonly keyspace: string;
  private readonly repository: CheckpointRepository;
  private readonly codec: CheckpointCodec;
  private readonly reader: TupleReader;
  private readonly ttl?: CheckpointTtl;
  private readonly keepLast?: number;
  private readonly blobWrites = new BlobWriteLog();

  constructor(options: CassandraSaverOptions) {
    super(options?.serde);
    if (!options || !options.client) throw new ConfigurationError('CassandraSaver needs a cassandra-driver client');
    this.keyspace = assertIdentifier('keyspace', options.keyspace ?? 'chat').toLowerCase();
    if (typeof options.ttlSeconds === 'number') checkTtlSeconds('ttlSeconds', options.ttlSeconds);
    else if (options.ttlSeconds !== undefined && typeof options.ttlSeconds !== 'function') {
      throw new ConfigurationError('ttlSeconds must be a number of seconds or a function of the thread id');
    }
    this.ttl = options.ttlSeconds;
    this.keepLast = checkKeepLast('keepLast', options.keepLast);
    const profile = buildExecutionProfile(options.client, {
      consistency: options.consistency ?? types.consistencies.localQuorum,
      serialConsistency: types.consistencies.localSerial,
    });
    this.repository = new CheckpointRepository(createCheckpointMapper(options.client, this.keyspace, profile));
    this.codec = new CheckpointCodec(this.serde);
    this.reader = new TupleReader(this.repository, this.codec, () => this.getNextVersion(undefined));
  }

  /** The checkpoint the config names, or the thread's latest (one row read, however long the thread). */
  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = threadIdOf(config);
    if (threadId === undefined) return undefined;
    const p = { threadId, checkpointNs: namespaceOf(config) ?? '' };
    const checkpointId = checkpointIdOf(config);
    const row =
      checkpointId === undefined ? await this.repository.latest(p) : await this.repository.get(p, checkpointId);
    return row === undefined ? undefined : this.reader.tuple(p, row);
  }

  list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    return listCheckpoints({ repository: this.repository, codec: this.codec, reader: this.reader }, config, options);
  }

  /**
   * Saves a checkpoint and the values of the channels in `newVersions` (the others are read where an
   * earlier checkpoint wrote them), then trims the partition when `keepLast` is set.
   */
  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const target = writeTarget(config, 'put');
    if (typeof checkpoint?.id !== 'string' || checkpoint.id.length === 0) {
      throw new CheckpointConfigError('checkpoint.id', 'must be a non-empty string (a uuid6)');
    }
    const p: CheckpointPartition = { threadId: target.threadId, checkpointNs: target.checkpointNs };
    const ttlSeconds = this.ttlFor(p.threadId);
    const [row, blobs] = await Promise.all([
      this.codec.checkpointRow(p, checkpoint, metadata, target.checkpointId),
      this.codec.blobRows(p, checkpoint.channel_values, {
        ...this.staleVersions(p, checkpoint, newVersions, ttlSeconds),
        ...newVersions,
      }),
    ]);
    await this.repository.save(row, blobs, ttlSeconds);
    if (ttlSeconds !== undefined) this.recordBlobWrites(p, blobs);
    if (this.keepLast !== undefined) await this.trimPartition(p, this.keepLast);
    return { configurable: { thread_id: p.threadId, checkpoint_ns: p.checkpointNs, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    const target = writeTarget(config, 'putWrites');
    if (target.checkpointId === undefined)
      throw new CheckpointConfigError('config.configurable.checkpoint_id', 'is required by putWrites');
    const p = { threadId: target.threadId, checkpointNs: target.checkpointNs };
    const rows = await this.codec.writeRows(p, target.checkpointId, writes, taskId, taskPath);
    await this.repository.saveWrites(rows, this.ttlFor(p.threadId));
  }

  /** Deletes every checkpoint, value and write of the thread: one partition tombstone per table and namespace. */
  async deleteThread(threadId: string): Promise<void> {
    const id = this.checkThreadId('threadId', threadId);
    await Promise.all(
      (await this.repository.namespacesOf(id)).map((checkpointNs) =>
        this.repository.removePartition({ threadId: id, checkpointNs }),
      ),
    );
    await this.repository.removeNamespaces(id);
  }

  /** Keeps only the newest `keepLast` checkpoints of each namespace of the thread (range deletes). */
  async trimThread(threadId: string, keepLast: number): Promise<void> {
    const id = this.checkThreadId('threadId', threadId);
    const n = checkKeepLast('keepLast', keepLast) ?? keepLast;
    for (const checkpointNs of await this.repository.namespacesOf(id))
      await this.trimPartition({ threadId: id, checkpointNs }, n);
  }

  /**
   * Copies a thread into another one; with `upTo` (a checkpoint id) only the history up to that
   * checkpoint, which makes the target a fork whose latest state is that checkpoint's.
   */
  async copyThread(fromThreadId: string, toThreadId: string, options: { upTo?: string } = {}): Promise<number> {
    const from = this.checkThreadId('fromThreadId', fromThreadId);
    const to = this.checkThreadId('toThreadId', toThreadId);
    if (from === to) throw new CheckpointConfigError('toThreadId', 'must differ from fromThreadId');
    return copyThread(this.repository, from, to, options.upTo, this.ttlFor(to));
  }

  /** Versions with a random fraction (see channel-version.ts): forks never reuse a version key. */
  override getNextVersion(current: number | undefined): number {
    return nextChannelVersion(current);
  }

  private async trimPartition(p: CheckpointPartition, keepLast: number): Promise<void> {
    const plan = planRetention(await this.repository.newest(p, keepLast + 1), keepLast);
    if (plan !== undefined) await this.repository.trim(p, plan.cutoff, plan.lowestKept);
  }

  private ttlFor(threadId: string): number | undefined {
    if (typeof this.ttl === 'function') return checkTtlSeconds('ttlSeconds(threadId)', this.ttl(threadId));
    return this.ttl;
  }

  /** Unchanged channels whose value this process has not written within half the TTL: re-written so they outlive the checkpoint. */
  private staleVersions(
    p: CheckpointPartition,
    checkpoint: Checkpoint,
    newVersions: ChannelVersions,
    ttlSeconds: number | undefined,
  ): ChannelVersions {
    if (ttlSeconds === undefined) return {};
    const stale: ChannelVersions = {};
    const now = Date.now();
    for (const [channel, version] of Object.entries(checkpoint.channel_versions)) {
      if (channel in newVersions || !(channel in checkpoint.channel_values)) continue;
      if (this.blobWrites.isStale(blobLogKey(p, channel, channelVersionKey(version)), now, ttlSeconds * 500))
        stale[channel] = version;
    }
    return stale;
  }

  private recordBlobWrites(p: CheckpointPartition, blobs: readonly CheckpointBlobRecord[]): void {
    const now = Date.now();
    for (const blob of blobs) this.blobWrites.record(blobLogKey(p, blob.channel, blob.versionKey), now);
  }

  private checkThreadId(name: string, value: unknown): string {
    if (typeof value !== 'string' || value.length === 0)
      throw new CheckpointConfigError(name, 'must be a non-empty string');
    return value;
  }
}

function blobLogKey(p: CheckpointPartition, channel: string, versionKey: string): string {
  return JSON.stringify([p.threadId, p.checkpointNs, channel, versionKey]);
}
