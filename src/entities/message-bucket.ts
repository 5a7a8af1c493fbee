import { ClusteringKey, Column, PartitionKey, Table } from './decorators';

/** A time bucket a session has messages in (a row of `chat_message_buckets`), newest first. */
@Table('chat_message_buckets')
export class MessageBucket {
  @PartitionKey('text')
  sessionId!: string;

  /** Start of the bucket in ms since the epoch. */
  @ClusteringKey('bigint', { order: 'DESC' })
  bucket!: number;

  /** The session's bucket span in ms: one value per session (static), set once. */
  @Column('bigint', { static: true })
  bucketSpanMs?: number;
}
