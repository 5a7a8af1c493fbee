import type { mapping } from 'cassandra-driver';
import type { Session, UserSession } from '../entities';
import { type ChatMapper, mapperOptions } from './chat-mapper';
import { withDriverErrors } from './driver-errors';
import { pageStateOf, withPageState } from './page-state';

export interface UserSessionPage {
  readonly items: UserSession[];
  readonly pageState?: string;
}

/**
 * `chat_sessions` and its by-user index `chat_sessions_by_user`. Both rows are written in one
 * LOGGED batch, so a session is never listed without existing, nor exists without being listed.
 */
export class SessionRepository {
  constructor(private readonly m: ChatMapper) {}

  private options(extra: mapping.MappingExecutionOptions = {}): mapping.MappingExecutionOptions {
    return mapperOptions(this.m, extra);
  }

  private context(operation: string) {
    return { operation, keyspace: this.m.keyspace, table: 'chat_sessions' };
  }

  private indexRow(session: Session): Partial<UserSession> | undefined {
    if (session.userId === undefined || session.userId === null) return undefined;
    return {
      userId: session.userId,
      createdAt: session.createdAt,
      sessionId: session.sessionId,
      title: session.title,
      lastActivityAt: session.lastActivityAt,
    };
  }

  /** Writes the session and its index row (insert or overwrite), atomically. */
  async save(session: Session, ttlSeconds?: number): Promise<void> {
    const docInfo = ttlSeconds ? { ttl: ttlSeconds } : undefined;
    const items = [this.m.sessions.batching.insert(session, docInfo)];
    const index = this.indexRow(session);
    if (index) items.push(this.m.userSessions.batching.insert(index, docInfo));
    await withDriverErrors(this.context('save session'), () =>
      this.m.mapper.batch(items, this.options({ isIdempotent: true, logged: true })),
    );
  }

  /**
   * Re-writes the session keeping the TTL its row has left (none stays none): an activity update or
   * a title change must neither make an expiring session permanent nor extend its life.
   */
  async saveKeepingTtl(session: Session): Promise<void> {
    const rs = await withDriverErrors(this.context('read session ttl'), () =>
      this.m.client.execute(`SELECT TTL(title) AS ttl FROM ${this.m.keyspace}.chat_sessions WHERE session_id = ?`, [session.sessionId], {
        prepare: true,
        executionProfile: this.m.profile,
        isIdempotent: true,
      }),
    );
    const row = rs.first();
    if (!row) return; // deleted or expired meanwhile: do not resurrect it
    const ttl = row.get('ttl') as number | null;
    await this.save(session, ttl === null ? undefined : Math.max(1, ttl));
  }

  async get(sessionId: string): Promise<Session | null> {
    return withDriverErrors(this.context('get session'), () =>
      this.m.sessions.get({ sessionId }, undefined, this.options()),
    );
  }

  /** A user's sessions, newest first, one page at a time: a single-partition read, never a scan. */
  async listByUser(userId: string, limit: number, pageState?: string): Promise<UserSessionPage> {
    const result = await withDriverErrors(this.context('list sessions'), () =>
      this.m.userSessions.find(
        { userId },
        { orderBy: { createdAt: 'desc', sessionId: 'asc' } },
        withPageState(this.options({ fetchSize: limit }), pageState),
      ),
    );
    return { items: result.toArray(), pageState: pageStateOf(result) };
  }

  /** Removes the session row and its index row, atomically. */
  async remove(session: Session): Promise<void> {
    const items = [this.m.sessions.batching.remove({ sessionId: session.sessionId })];
    const index = this.indexRow(session);
    if (index) {
      items.push(
        this.m.userSessions.batching.remove({
          userId: index.userId,
          createdAt: index.createdAt,
          sessionId: index.sessionId,
        }),
      );
    }
    await withDriverErrors(this.context('delete session'), () =>
      this.m.mapper.batch(items, this.options({ isIdempotent: true, logged: true })),
    );
  }
}
