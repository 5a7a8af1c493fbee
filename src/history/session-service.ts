import { randomUUID } from 'node:crypto';
import { type JsonObject, type Session, validateSession } from '../entities';
import { SessionAlreadyExistsError, SessionNotFoundError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import type { ChatHistory } from './chat-history';
import type { HistoryContext } from './history-context';

export interface CreateSessionInput {
  /** Defaults to a random UUID. */
  readonly sessionId?: string;
  readonly userId?: string;
  readonly title?: string;
  readonly metadata?: JsonObject;
}

export interface UpdateSessionInput {
  readonly title?: string;
  readonly metadata?: JsonObject;
}

export interface SessionListPage {
  readonly sessions: Session[];
  readonly nextCursor?: string;
}

/** `store.sessions`: session records, a user's sessions newest first, and deletion with messages. */
export class SessionService {
  /** @internal Use `store.sessions`. */
  constructor(
    private readonly ctx: HistoryContext,
    private readonly historyOf: (sessionId: string) => ChatHistory,
    private readonly ttlSeconds: number | undefined,
  ) {}

  /**
   * Creates a session. Throws SessionAlreadyExistsError when the id is taken (checked by a read
   * first: two concurrent creates of one id are not arbitrated; pick random ids to avoid it).
   */
  async create(input: CreateSessionInput = {}): Promise<Session> {
    const now = new Date();
    const session = validateSession({
      sessionId: input.sessionId ?? randomUUID(),
      userId: input.userId,
      title: input.title ?? '',
      metadata: input.metadata ?? {},
      createdAt: now,
      lastActivityAt: now,
    });
    await this.ctx.ready();
    if (await this.ctx.sessions.get(session.sessionId)) throw new SessionAlreadyExistsError(session.sessionId);
    await this.ctx.sessions.save(session, this.ttlSeconds);
    return session;
  }

  /** The session, or null. `withMessageCount` adds the exact message count (one COUNT per bucket). */
  async get(sessionId: string, options: { withMessageCount?: boolean } = {}): Promise<Session | null> {
    await this.ctx.ready();
    const session = await this.ctx.sessions.get(sessionId);
    if (session && options.withMessageCount) session.messageCount = await this.historyOf(sessionId).count();
    return session;
  }

  /** A user's sessions, newest first, `limit` per page (default 20), with an opaque cursor. */
  async listByUser(userId: string, options: { limit?: number; cursor?: string } = {}): Promise<SessionListPage> {
    const limit = options.limit ?? 20;
    validateSession({ sessionId: 'listing', userId, title: '', metadata: {}, createdAt: new Date(0), lastActivityAt: new Date(0) });
    await this.ctx.ready();
    const pageState = options.cursor !== undefined ? decodeCursor(options.cursor).pageState : undefined;
    const page = await this.ctx.sessions.listByUser(userId, limit, pageState);
    const sessions = await Promise.all(page.items.map((row) => this.ctx.sessions.get(row.sessionId)));
    return {
      sessions: sessions.filter((s): s is Session => s !== null),
      nextCursor: page.pageState !== undefined ? encodeCursor({ order: 'desc', bucket: 0, pageState: page.pageState }) : undefined,
    };
  }

  /** Changes title and/or metadata; throws SessionNotFoundError when the session does not exist. */
  async update(sessionId: string, changes: UpdateSessionInput): Promise<Session> {
    await this.ctx.ready();
    const current = await this.ctx.sessions.get(sessionId);
    if (!current) throw new SessionNotFoundError(sessionId);
    const updated = validateSession({
      sessionId: current.sessionId,
      userId: current.userId ?? undefined,
      title: changes.title ?? current.title,
      metadata: changes.metadata ?? current.metadata,
      createdAt: current.createdAt,
      lastActivityAt: new Date(),
    });
    if (this.ctx.slidingTtl && this.ttlSeconds) await this.ctx.sessions.save(updated, this.ttlSeconds);
    else await this.ctx.sessions.saveKeepingTtl(updated);
    return updated;
  }

  /** Deletes the session's messages (partition deletes), its bucket index and its records. */
  async delete(sessionId: string): Promise<void> {
    await this.ctx.ready();
    await this.historyOf(sessionId).clear();
    await this.ctx.buckets.removeAll(sessionId);
    this.ctx.cache.forget(sessionId);
    const session = await this.ctx.sessions.get(sessionId);
    if (session) await this.ctx.sessions.remove(session);
  }
}
