import type { Session, UserSession } from '../entities';
import type { ChatMapper } from './chat-mapper';
import { MapperRepository } from './mapper-repository';
import { withDriverErrors } from '../driver';
import type { WriteTimestamp } from './message-repository';
import { pageStateOf, withPageState } from './page-state';

export interface UserSessionPage {
  readonly items: UserSession[];
  readonly pageState?: string;
}

/** What identifies a session's rows: its id, and the by-user row's key when it has an owner. */
export interface SessionKey {
  readonly sessionId: string;
  readonly userId?: string | null;
  readonly createdAt: Date;
}

/** The columns an update may change; only those given are written. */
export interface SessionChanges {
  readonly title?: string;
  readonly metadata?: Session['metadata'];
  readonly lastActivityAt: Date;
}

/** A session's key and the TTL its row has left (undefined: none). */
export interface SessionLife {
  readonly key: SessionKey;
  readonly ttlSeconds?: number;
}

/** The primary key of a session's row in the by-user listing. */
type UserSessionKey = Pick<UserSession, 'userId' | 'createdAt' | 'sessionId'>;

/**
 * `chat_sessions` and its by-user index `chat_sessions_by_user`. The session row is the authority:
 * it is created with `IF NOT EXISTS` and updated with `IF EXISTS`, so concurrent instances never
 * create one id twice nor resurrect a deleted session. A by-user row without a session row (left by
 * a lost race or a crash) is never listed: listings read the session rows.
 */
export class SessionRepository extends MapperRepository {
  private readonly lifeCql: string;

  constructor(models: ChatMapper) {
    super(models, 'chat_sessions');
    // TTL() has no entity shape to map to: it goes to the client directly. created_at is written
    // once, so its TTL is the row's remaining life.
    this.lifeCql = `SELECT user_id, created_at, TTL(created_at) AS ttl FROM ${models.keyspace}.chat_sessions WHERE session_id = ?`;
  }

  private indexKey(key: SessionKey): UserSessionKey | undefined {
    if (key.userId === undefined || key.userId === null) return undefined;
    return { userId: key.userId, createdAt: key.createdAt, sessionId: key.sessionId };
  }

  /**
   * Creates the session unless its id exists. Returns true when this call created it. The by-user
   * row goes first (idempotent), so a created session is always listed; a loser removes its own
   * by-user row unless it is the winner's too.
   */
  async insertIfAbsent(session: Session, ttlSeconds?: number): Promise<boolean> {
    const docInfo = ttlSeconds ? { ttl: ttlSeconds } : {};
    const index = await this.list(session, ttlSeconds, 'list session');
    const result = await withDriverErrors(this.context('create session'), () =>
      this.models.sessions.insert(session, { ...docInfo, ifNotExists: true }, this.options()),
    );
    if (result.wasApplied()) return true;
    if (index) {
      const winner = await this.get(session.sessionId);
      const sameRow =
        winner && winner.userId === index.userId && winner.createdAt.getTime() === index.createdAt.getTime();
      if (!sameRow) {
        await withDriverErrors(this.context('unlist session'), () =>
          this.models.userSessions.remove(index, undefined, this.options({ isIdempotent: true })),
        );
      }
    }
    return false;
  }

  /** The session's key and remaining TTL, or undefined when it does not exist. */
  async life(sessionId: string): Promise<SessionLife | undefined> {
    const rs = await withDriverErrors(this.context('read session ttl'), () =>
      this.models.client.execute(this.lifeCql, [sessionId], {
        prepare: true,
        executionProfile: this.models.profile,
        isIdempotent: true,
      }),
    );
    const row = rs.first();
    if (!row) return undefined;
    const createdAt = row.get('created_at') as Date | null;
    if (createdAt === null) return undefined;
    const ttl = row.get('ttl') as number | null;
    return {
      key: { sessionId, userId: row.get('user_id') as string | null, createdAt },
      ttlSeconds: ttl === null ? undefined : Math.max(1, ttl),
    };
  }

  /**
   * Writes only the given columns, and only if the session still exists (`IF EXISTS`): a concurrent
   * update of another column is never reverted, and a deleted session is never resurrected. Returns
   * false when the session does not exist.
   */
  async update(key: SessionKey, changes: SessionChanges, ttlSeconds?: number): Promise<boolean> {
    const docInfo = ttlSeconds ? { ttl: ttlSeconds } : {};
    const doc: Partial<Session> = { sessionId: key.sessionId, lastActivityAt: changes.lastActivityAt };
    if (changes.title !== undefined) doc.title = changes.title;
    if (changes.metadata !== undefined) doc.metadata = changes.metadata;
    const result = await withDriverErrors(this.context('update session'), () =>
      this.models.sessions.update(doc, { ...docInfo, ifExists: true }, this.options()),
    );
    if (!result.wasApplied()) return false;
    const index = this.indexKey(key);
    if (index) {
      const row: Partial<UserSession> = { ...index, lastActivityAt: changes.lastActivityAt };
      if (changes.title !== undefined) row.title = changes.title;
      await withDriverErrors(this.context('update session listing'), () =>
        this.models.userSessions.update(row, docInfo, this.options({ isIdempotent: true })),
      );
    }
    return true;
  }

  /**
   * Sliding TTL: rewrites every column of `session` with `ttlSeconds` (a TTL belongs to each cell, so
   * renewing it means rewriting them all), but only if title and metadata are still those of
   * `seen`: a concurrent change is never reverted. `changed`: re-read and try again; `gone`: the
   * session was deleted meanwhile (and is not resurrected).
   */
  async rewrite(session: Session, seen: Session, ttlSeconds: number): Promise<'applied' | 'changed' | 'gone'> {
    const result = await withDriverErrors(this.context('renew session'), () =>
      this.models.sessions.update(
        session,
        { ttl: ttlSeconds, when: { title: seen.title, metadata: seen.metadata } },
        this.options(),
      ),
    );
    if (!result.wasApplied()) return (await this.get(session.sessionId)) ? 'changed' : 'gone';
    await this.list(session, ttlSeconds, 'renew session listing');
    return 'applied';
  }

  /** Writes the session's whole by-user row (when it has a user), with `ttlSeconds`; returns its key. */
  private async list(
    session: Session,
    ttlSeconds: number | undefined,
    what: string,
  ): Promise<UserSessionKey | undefined> {
    const index = this.indexKey(session);
    if (index) {
      const row = { ...index, title: session.title, lastActivityAt: session.lastActivityAt };
      await withDriverErrors(this.context(what), () =>
        this.models.userSessions.insert(
          row,
          ttlSeconds ? { ttl: ttlSeconds } : {},
          this.options({ isIdempotent: true }),
        ),
      );
    }
    return index;
  }

  async get(sessionId: string): Promise<Session | null> {
    const session = await withDriverErrors(this.context('get session'), () =>
      this.models.sessions.get({ sessionId }, undefined, this.options()),
    );
    // A row without created_at is no session: only stray cells of a deleted one.
    return session && session.createdAt instanceof Date ? session : null;
  }

  /** A user's sessions, newest first, one page at a time: a single-partition read, never a scan. */
  async listByUser(userId: string, limit: number, pageState?: string): Promise<UserSessionPage> {
    const result = await withDriverErrors(this.context('list sessions'), () =>
      this.models.userSessions.find(
        { userId },
        { orderBy: { createdAt: 'desc', sessionId: 'asc' } },
        withPageState(this.options({ fetchSize: limit }), pageState),
      ),
    );
    return { items: result.toArray(), pageState: pageStateOf(result) };
  }

  /** Removes the session row and its by-user row at `timestamp`, atomically (a logged batch). */
  async remove(key: SessionKey, timestamp: WriteTimestamp): Promise<void> {
    const items = [this.models.sessions.batching.remove({ sessionId: key.sessionId })];
    const index = this.indexKey(key);
    if (index) items.push(this.models.userSessions.batching.remove(index));
    await withDriverErrors(this.context('delete session'), () =>
      this.models.mapper.batch(items, this.options({ isIdempotent: true, logged: true, timestamp })),
    );
  }
}
