import type { Session } from '../entities';
import { ConcurrentModificationError } from '../errors';
import type { StoreDependencies } from './store-dependencies';
import type { SessionState } from './session-state-cache';

/**
 * The session-activity and TTL policy: a session's `lastActivityAt` follows its writes (throttled to
 * one write per `activityRefreshMs` per process), and under sliding TTL each such write also renews
 * the session's TTL. Only `last_activity_at` is written, and only while the session exists, so a
 * concurrent title change is never reverted and a deleted session is never resurrected.
 *
 * Best effort by design: it runs after the messages are acknowledged and its failure never fails the
 * add (the messages are stored; failing the call would invite a duplicating retry). A failed refresh
 * is retried by the next write.
 */
export class SessionActivity {
  constructor(
    private readonly sessionId: string,
    private readonly deps: StoreDependencies,
    private readonly ttlSeconds: number | undefined,
  ) {}

  /** Undefined when throttled (no await on the hot path); otherwise a promise that never rejects. */
  touch(state: SessionState): Promise<void> | undefined {
    const now = Date.now();
    if (now - state.lastActivityWriteMs < this.deps.settings.activityRefreshMs) return undefined;
    state.lastActivityWriteMs = now;
    return this.record(now).catch(() => {
      state.lastActivityWriteMs = 0;
    });
  }

  private async record(now: number): Promise<void> {
    const lastActivityAt = new Date(now);
    if (this.deps.settings.slidingTtl && this.ttlSeconds) {
      await renewSession(this.deps, this.sessionId, this.ttlSeconds, (current) => {
        current.lastActivityAt = lastActivityAt; // title and metadata, the compared columns, stay
        return current;
      });
      return;
    }
    const life = await this.deps.sessions.life(this.sessionId);
    if (life) await this.deps.sessions.update(life.key, { lastActivityAt }, life.ttlSeconds);
  }
}

/** Attempts of a compare-and-set renewal before giving up to a busy session. */
const RENEW_ATTEMPTS = 5;

/**
 * Sliding TTL: re-reads the session, applies `change`, and rewrites it with a fresh TTL unless a
 * concurrent writer changed it in between (then reads again). Returns the session as written, or
 * null when it does not exist (or no longer does).
 */
export async function renewSession(
  deps: StoreDependencies,
  sessionId: string,
  ttlSeconds: number,
  change: (current: Session) => Session,
): Promise<Session | null> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.sessions.get(sessionId);
    if (!current) return null;
    const next = change(current);
    const outcome = await deps.sessions.rewrite(next, current, ttlSeconds);
    if (outcome === 'applied') return next;
    if (outcome === 'gone') return null;
    if (attempt >= RENEW_ATTEMPTS)
      throw new ConcurrentModificationError(
        `Session ${JSON.stringify(sessionId)} kept changing while its TTL was renewed`,
      );
  }
}
