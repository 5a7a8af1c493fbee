import type { CheckpointMetadata, CheckpointTuple } from '@langchain/langgraph-checkpoint';
import { maxChannelVersion, TASKS } from '@langchain/langgraph-checkpoint';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { CheckpointRecord } from '../entities';
import type { CheckpointPartition, CheckpointRepository } from '../mapping';
import type { ChannelVersion } from './channel-version';
import type { CheckpointCodec } from './checkpoint-codec';

/** Builds LangGraph's CheckpointTuple from a checkpoint row: its channel values and pending writes, read in parallel. */
export class TupleReader {
  constructor(
    private readonly repository: CheckpointRepository,
    private readonly codec: CheckpointCodec,
    private readonly firstVersion: () => ChannelVersion,
  ) {}

  async tuple(
    p: CheckpointPartition,
    row: CheckpointRecord,
    knownMetadata?: CheckpointMetadata,
  ): Promise<CheckpointTuple> {
    const keys = Object.entries(row.channelVersions ?? {}).map(([channel, versionKey]) => ({ channel, versionKey }));
    const [blobs, writes, metadata] = await Promise.all([
      this.repository.blobsAt(p, keys),
      this.repository.writesOf(p, row.checkpointId),
      knownMetadata ?? this.codec.metadata(row),
    ]);
    const checkpoint = await this.codec.checkpoint(row, blobs);
    if (checkpoint.v < 4 && row.parentCheckpointId)
      await this.migratePendingSends(p, row.parentCheckpointId, checkpoint);
    return {
      config: configOf(p, row.checkpointId),
      checkpoint,
      metadata,
      parentConfig: row.parentCheckpointId ? configOf(p, row.parentCheckpointId) : undefined,
      pendingWrites: await this.codec.pendingWrites(writes),
    };
  }

  /**
   * Checkpoints of format < 4 kept the sends of the previous step as the parent's pending writes to
   * TASKS; newer LangGraph reads them from the TASKS channel. As LangGraph's own savers do, they are
   * moved there on read (nothing is rewritten).
   */
  private async migratePendingSends(
    p: CheckpointPartition,
    parentId: string,
    checkpoint: CheckpointTuple['checkpoint'],
  ): Promise<void> {
    const sends = (await this.repository.writesOf(p, parentId)).filter((row) => row.channel === TASKS);
    if (sends.length === 0) return;
    sends.sort((a, b) => (a.taskId === b.taskId ? a.idx - b.idx : a.taskId < b.taskId ? -1 : 1));
    checkpoint.channel_values[TASKS] = await Promise.all(sends.map((row) => this.codec.value(row)));
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.firstVersion();
  }
}

export function configOf(p: CheckpointPartition, checkpointId: string): RunnableConfig {
  return { configurable: { thread_id: p.threadId, checkpoint_ns: p.checkpointNs, checkpoint_id: checkpointId } };
}
