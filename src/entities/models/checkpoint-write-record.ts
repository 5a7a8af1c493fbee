import { ClusteringKey, Column, PartitionKey, Table } from '../metadata';

/** One pending write of a task against a checkpoint (a row of `langgraph_checkpoint_writes`). */
@Table('langgraph_checkpoint_writes')
export class CheckpointWriteRecord {
  @PartitionKey('text')
  threadId!: string;

  @PartitionKey('text')
  checkpointNs!: string;

  @ClusteringKey('text', { order: 'DESC' })
  checkpointId!: string;

  @ClusteringKey('text')
  taskId!: string;

  /** The write's index in its task's list, or LangGraph's negative index of a special channel. */
  @ClusteringKey('int')
  idx!: number;

  @Column('text', { whenNull: () => '' })
  taskPath!: string;

  @Column('text')
  channel!: string;

  @Column('text')
  valueType!: string;

  @Column('blob')
  value!: Buffer;
}
