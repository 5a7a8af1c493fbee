import type {
  Checkpoint,
  CheckpointMetadata,
  CheckpointPendingWrite,
  PendingWrite,
  SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { compareWritesSortKeys, WRITES_IDX_MAP, writesSortKey } from '@langchain/langgraph-checkpoint';
import { CheckpointBlobRecord, CheckpointRecord, CheckpointWriteRecord } from '../entities';
import type { CheckpointPartition } from '../mapping';
import { channelVersionKey, type ChannelVersion } from './channel-version';

/** The type tag of a channel that has a version but no value (as LangGraph's Postgres saver writes it). */
const EMPTY = 'empty';

/**
 * Checkpoints, metadata, channel values and pending writes ↔ rows, through the saver's serializer
 * (`serde`, the base class's serializer protocol): each value is stored as its type tag and bytes.
 */
export class CheckpointCodec {
  constructor(private readonly serde: SerializerProtocol) {}

  async checkpointRow(
    p: CheckpointPartition,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    parentId?: string,
  ): Promise<CheckpointRecord> {
    const { channel_values: _values, ...rest } = checkpoint;
    const [[checkpointType, bytes], [metadataType, metadataBytes]] = await Promise.all([
      this.serde.dumpsTyped(rest),
      this.serde.dumpsTyped(metadata),
    ]);
    const channelVersions: Record<string, string> = {};
    for (const [channel, version] of Object.entries(checkpoint.channel_versions))
      channelVersions[channel] = channelVersionKey(version);
    return Object.assign(new CheckpointRecord(), {
      ...p,
      checkpointId: checkpoint.id,
      parentCheckpointId: parentId,
      checkpointType,
      checkpoint: toBuffer(bytes),
      metadataType,
      metadata: toBuffer(metadataBytes),
      channelVersions,
    });
  }

  /** The rows of the channels at the given versions (those that changed: `newVersions`). */
  async blobRows(
    p: CheckpointPartition,
    values: Readonly<Record<string, unknown>>,
    versions: Readonly<Record<string, ChannelVersion>>,
  ): Promise<CheckpointBlobRecord[]> {
    return Promise.all(
      Object.entries(versions).map(async ([channel, version]) => {
        const [valueType, bytes] =
          channel in values ? await this.serde.dumpsTyped(values[channel]) : [EMPTY, undefined];
        return Object.assign(new CheckpointBlobRecord(), {
          ...p,
          channel,
          versionKey: channelVersionKey(version),
          valueType,
          value: bytes === undefined ? undefined : toBuffer(bytes),
        });
      }),
    );
  }

  async writeRows(
    p: CheckpointPartition,
    checkpointId: string,
    writes: readonly PendingWrite[],
    taskId: string,
    taskPath = '',
  ): Promise<CheckpointWriteRecord[]> {
    return Promise.all(
      writes.map(async ([channel, value], index) => {
        const [valueType, bytes] = await this.serde.dumpsTyped(value);
        return Object.assign(new CheckpointWriteRecord(), {
          ...p,
          checkpointId,
          taskId,
          idx: WRITES_IDX_MAP[channel] ?? index,
          taskPath,
          channel,
          valueType,
          value: toBuffer(bytes),
        });
      }),
    );
  }

  async metadata(row: CheckpointRecord): Promise<CheckpointMetadata> {
    return (await this.serde.loadsTyped(row.metadataType, row.metadata)) as CheckpointMetadata;
  }

  /** The checkpoint of a row with the channel values of its blob rows (empty channels left out). */
  async checkpoint(row: CheckpointRecord, blobs: readonly CheckpointBlobRecord[]): Promise<Checkpoint> {
    const stored = (await this.serde.loadsTyped(row.checkpointType, row.checkpoint)) as Omit<
      Checkpoint,
      'channel_values'
    >;
    const channelValues: Record<string, unknown> = {};
    await Promise.all(
      blobs
        .filter((blob) => blob.valueType !== EMPTY && blob.value !== undefined && blob.value !== null)
        .map(async (blob) => {
          channelValues[blob.channel] = await this.serde.loadsTyped(blob.valueType, blob.value as Buffer);
        }),
    );
    return {
      ...stored,
      channel_versions: stored.channel_versions ?? {},
      versions_seen: stored.versions_seen ?? {},
      channel_values: channelValues,
    };
  }

  /** Pending writes in LangGraph's replay order: (task path, task id, idx). */
  async pendingWrites(rows: readonly CheckpointWriteRecord[]): Promise<CheckpointPendingWrite[]> {
    const sorted = [...rows].sort((a, b) =>
      compareWritesSortKeys(writesSortKey(a.taskPath, a.taskId, a.idx), writesSortKey(b.taskPath, b.taskId, b.idx)),
    );
    return Promise.all(
      sorted.map(async (row): Promise<CheckpointPendingWrite> => [
        row.taskId,
        row.channel,
        await this.serde.loadsTyped(row.valueType, row.value),
      ]),
    );
  }

  async value(row: CheckpointWriteRecord): Promise<unknown> {
    return this.serde.loadsTyped(row.valueType, row.value);
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
