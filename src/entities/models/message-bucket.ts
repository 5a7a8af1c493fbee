import { ClusteringKey, Column, PartitionKey, Table } from '../metadata';

/**
 * A time bucket a session has messages in (a row of `chat_message_buckets`), newest first. Written in
 * the same batch as every message of the bucket; see src/history/README.md for why it stays findable.
 */
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

  /**
   * Written only by writes with a TTL: one element per expiry slot, each with its own TTL, so the row
   * lives as long as the longest-lived message of the bucket (the row marker covers writes without TTL).
   */
  @Column('set<bigint>', { name: 'expiry_slots' })
  expirySlots?: number[];
}
