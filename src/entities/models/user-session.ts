import { ClusteringKey, Column, PartitionKey, Table } from '../metadata';

/** A user's session in `chat_sessions_by_user`: lists a user's sessions newest first without a scan. */
@Table('chat_sessions_by_user')
export class UserSession {
  @PartitionKey('text')
  userId!: string;

  @ClusteringKey('timestamp', { order: 'DESC' })
  createdAt!: Date;

  @ClusteringKey('text', { order: 'ASC' })
  sessionId!: string;

  @Column('text', { whenNull: () => '' })
  title = '';

  @Column('timestamp')
  lastActivityAt!: Date;
}
