import { ClusteringKey, Column, PartitionKey, Table } from '../metadata';

/**
 * The value of one channel at one version (a row of `langgraph_checkpoint_blobs`): written by the
 * checkpoint that changed the channel, read by every later checkpoint that did not.
 */
@Table('langgraph_checkpoint_blobs')
export class CheckpointBlobRecord {
  @PartitionKey('text')
  threadId!: string;

  @PartitionKey('text')
  checkpointNs!: string;

  @ClusteringKey('text')
  channel!: string;

  /** The version key: sorts as the channel's versions do. */
  @ClusteringKey('text', { name: 'version' })
  versionKey!: string;

  /** The serializer's type tag; `empty` when the channel had a version but no value. */
  @Column('text')
  valueType!: string;

  @Column('blob')
  value?: Buffer;
}
