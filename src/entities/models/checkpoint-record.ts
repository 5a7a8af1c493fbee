import { ClusteringKey, Column, PartitionKey, Table } from '../metadata';

/**
 * One LangGraph checkpoint (a row of `langgraph_checkpoints`), in the partition of its thread and
 * namespace, newest first. The checkpoint's channel values live in {@link CheckpointBlobRecord} rows.
 */
@Table('langgraph_checkpoints')
export class CheckpointRecord {
  @PartitionKey('text')
  threadId!: string;

  @PartitionKey('text')
  checkpointNs!: string;

  /** A uuid6: its text order is its time order, so the newest checkpoint is the partition's first row. */
  @ClusteringKey('text', { order: 'DESC' })
  checkpointId!: string;

  @Column('text')
  parentCheckpointId?: string;

  /** The serializer's type tag and bytes of the checkpoint without `channel_values`. */
  @Column('text')
  checkpointType!: string;

  @Column('blob')
  checkpoint!: Buffer;

  @Column('text')
  metadataType!: string;

  @Column('blob')
  metadata!: Buffer;

  /** channel → version key of every channel the checkpoint has a value for (where its blob row is). */
  @Column('json', { whenNull: () => ({}) })
  channelVersions!: Record<string, string>;
}
