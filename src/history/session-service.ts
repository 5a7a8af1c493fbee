import { randomUUID } from 'node:crypto';
import { type JsonObject, type Session, validateSession } from '../entities';
import { SessionAlreadyExistsError, SessionNotFoundError } from '../errors';
import { sessionAttributes, sessionListAttributes } from '../telemetry';
import { decodeCursor, encodeCursor } from './cursor';
import type { ChatHistory } from './chat-history';
import type { StoreDependencies } from './store-dependencies';
import { renewSession } from './session-activity';
import { sessionMessages } from './session-messages';

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
    private readonly deps: StoreDependencies,
    private readonly historyOf: (sessionId: string) => ChatHistory,
    private readonly ttlSeconds: number | undefined,
  ) {}

  /**
   * Creates a session. Throws SessionAlreadyExistsError when the id is taken: creation is a
   * lightweight transaction (`IF NOT EXISTS`), so of two concurrent creates of one id exactly one
   * succeeds, on any number of instances.
   */
  create(input: CreateSessionInput = {}): Promise<Session> {
    return this.deps.spans.trace('sessions.create', () => this.createSession(input));
  }

  /** The session, or null. `withMessageCount` adds the exact message count (one COUNT per bucket). */
  get(sessionId: string, options: { withMessageCount?: boolean } = {}): Promise<Session | null> {
    return this.deps.spans.trace('sessions.get', () => this.getSession(sessionId, options), sessionAttributes);
  }

  /**
   * A user's sessions, newest first, `limit` per page (default 20), with an opaque cursor. Only
   * listing rows that match a live session row are returned: a row left by a lost creation race or a
   * deleted session is skipped, so no session is listed twice.
   */
  listByUser(userId: string, options: { limit?: number; cursor?: string } = {}): Promise<SessionListPage> {
    return this.deps.spans.trace(
      'sessions.list_by_user',
      () => this.listSessions(userId, options),
      sessionListAttributes,
    );
  }

  /**
   * Changes title and/or metadata, writing only those columns (a concurrent change of another column
   * or of the activity time is never reverted); throws SessionNotFoundError when the session does
   * not exist, or was deleted meanwhile (a conditional update: a deleted session is never resurrected).
   */
  update(sessionId: string, changes: UpdateSessionInput): Promise<Session> {
    return this.deps.spans.trace('sessions.update', () => this.updateSession(sessionId, changes));
  }

  /**
   * Deletes the session's messages (partition deletes), its bucket index and its records, all with
   * one deletion stamp (src/history/README.md), and resolves once that stamp has settled.
   */
  delete(sessionId: string): Promise<void> {
    return this.deps.spans.trace('sessions.delete', () => this.deleteSession(sessionId));
  }

  private async createSession(input: CreateSessionInput): Promise<Session> {
    const now = new Date();
    const session = validateSession({
      sessionId: input.sessionId ?? randomUUID(),
      userId: input.userId,
      title: input.title ?? '',
      metadata: input.metadata ?? {},
      createdAt: now,
      lastActivityAt: now,
    });
    await this.deps.ready();
    if (!(await this.deps.sessions.insertIfAbsent(session, this.ttlSeconds)))
      throw new SessionAlreadyExistsError(session.sessionId);
    return session;
  }

  private async getSession(sessionId: string, options: { withMessageCount?: boolean }): Promise<Session | null> {
    await this.deps.ready();
    const session = await this.deps.sessions.get(sessionId);
    if (session && options.withMessageCount) session.messageCount = await this.historyOf(sessionId).count();
    return session;
  }

  private async listSessions(userId: string, options: { limit?: number; cursor?: string }): Promise<SessionListPage> {
    const limit = options.limit ?? 20;
    validateSession({
      sessionId: 'listing',
      userId,
      title: '',
      metadata: {},
      createdAt: new Date(0),
      lastActivityAt: new Date(0),
    });
    await this.deps.ready();
    const pageState = options.cursor !== undefined ? decodeCursor(options.cursor).pageState : undefined;
    const page = await this.deps.sessions.listByUser(userId, limit, pageState);
    const sessions = await Promise.all(page.items.map((row) => this.deps.sessions.get(row.sessionId)));
    const listed = new Set<string>();
    const live = sessions.filter((s, i): s is Session => {
      const row = page.items[i];
      if (!s || s.userId !== userId || s.createdAt.getTime() !== row.createdAt.getTime() || listed.has(s.sessionId))
        return false;
      listed.add(s.sessionId);
      return true;
    });
    return {
      sessions: live,
      nextCursor:
        page.pageState !== undefined
          ? encodeCursor({ order: 'desc', bucket: 0, pageState: page.pageState })
          : undefined,
    };
  }

  private async updateSession(sessionId: string, changes: UpdateSessionInput): Promise<Session> {
    await this.deps.ready();
    if (this.deps.settings.slidingTtl && this.ttlSeconds) {
      const renewed = await renewSession(this.deps, sessionId, this.ttlSeconds, (current) => merge(current, changes));
      if (!renewed) throw new SessionNotFoundError(sessionId);
      return renewed;
    }
    const [current, life] = await Promise.all([this.deps.sessions.get(sessionId), this.deps.sessions.life(sessionId)]);
    if (!current || !life) throw new SessionNotFoundError(sessionId);
    const updated = merge(current, changes);
    const written = {
      title: changes.title === undefined ? undefined : updated.title,
      metadata: changes.metadata === undefined ? undefined : updated.metadata,
    };
    if (
      !(await this.deps.sessions.update(
        life.key,
        { ...written, lastActivityAt: updated.lastActivityAt },
        life.ttlSeconds,
      ))
    ) {
      throw new SessionNotFoundError(sessionId);
    }
    return updated;
  }

  private async deleteSession(sessionId: string): Promise<void> {
    const { remover } = sessionMessages(sessionId, this.deps, undefined); // refuses a bad id first
    await this.deps.ready();
    const stamp = remover.stamp();
    await remover.removeBuckets(undefined, stamp);
    await this.deps.buckets.removeSpan(sessionId, stamp.timestamp);
    this.deps.cache.forget(sessionId);
    const life = await this.deps.sessions.life(sessionId);
    if (life) await this.deps.sessions.remove(life.key, stamp.timestamp);
    await stamp.settle();
  }
}

/** The session with `changes` applied and a new activity time, validated. */
function merge(current: Session, changes: UpdateSessionInput): Session {
  return validateSession({
    sessionId: current.sessionId,
    userId: current.userId ?? undefined,
    title: changes.title ?? current.title,
    metadata: changes.metadata ?? current.metadata,
    createdAt: current.createdAt,
    lastActivityAt: new Date(),
  });
}
