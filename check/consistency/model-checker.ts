/**
 * The model checker of `npm run check:consistency`: pure functions over a history (no I/O), so every
 * rule is unit-tested on synthetic histories.
 *
 * The model is a set of messages per session. Concurrency makes the exact set at a given moment
 * unknowable, so every rule works with two bounds:
 *  - a message MUST be visible to a read when its add was acknowledged before the read was invoked
 *    and nothing that could have removed it (a delete of its id, clear, a trim with enough newer
 *    messages, sessions.delete, its TTL) had started before the read completed;
 *  - a message MAY be visible when an add that did not certainly fail was invoked before the read
 *    completed, and it was not certainly removed before the read was invoked.
 * An operation whose outcome is unknown (timeout, killed worker) may take effect until its
 * "horizon": its end (or the kill), stretched over any node freeze it overlapped (a frozen node
 * applies queued requests when thawed), plus a margin.
 */
import type { FailEvent, FaultEvent, HistoryEvent, InvokeEvent, OkEvent, ReadPath } from './history';

export type ViolationKind =
  /** An acknowledged message missing from a whole-session read, with nothing that could excuse it. */
  | 'lost'
  /** A read returned a message no add (invoked before the read completed) wrote. */
  | 'phantom'
  /** A read returned a message whose add failed with an error class documented as "nothing written". */
  | 'failed-add-visible'
  /** A read returned a message that was certainly deleted, cleared or expired before it began. */
  | 'resurrected'
  /** The same message twice in one read, or one add stored under two ids. */
  | 'duplicate'
  /** A chronological read not in ascending id order (or a newest-first read not descending). */
  | 'order'
  /** count() outside [messages that must exist, messages that may exist]. */
  | 'count'
  /** A `limit` read that is not the newest N of what certainly exists. */
  | 'limit'
  /** In the quiescent phase: read paths or count() disagree about one session. */
  | 'paths-disagree'
  /** listByUser listed one session twice. */
  | 'session-listed-twice'
  /** sessions.get returned a value that an acknowledged later write had certainly replaced. */
  | 'session-value';

export interface Violation {
  readonly kind: ViolationKind;
  readonly session: string;
  /** The message concerned (its token is its content), when there is one. */
  readonly token?: string;
  readonly id?: string;
  /** The read (or get / list / count) that observed it. */
  readonly op: string;
  /** Operations involved: the add, and the removals that were considered and did not excuse it. */
  readonly related: readonly string[];
  readonly detail: string;
  /** How many reads observed the same violation (reported once). */
  occurrences: number;
}

export interface CheckOptions {
  /** How long after its end (or its worker's kill, or the freeze it overlapped) an unknown operation may still apply. */
  readonly unknownMarginMs?: number;
  /** Slack on TTL expiry: Cassandra computes it from the coordinator's clock in whole seconds. */
  readonly ttlMarginMs?: number;
  /** Workers whose write timestamps are skewed: named in the details of violations they take part in. */
  readonly skewedWorkers?: readonly string[];
}

export interface CheckSummary {
  readonly operations: number;
  /** Operations that completed ok. */
  readonly acknowledged: number;
  readonly acknowledgedMessages: number;
  /** Reads (every path) and counts that completed ok. */
  readonly reads: number;
  /** Worker kills and node freezes injected. */
  readonly faults: number;
  readonly violations: Violation[];
}

type Outcome = 'ok' | 'fail' | 'unknown';

export interface Op {
  readonly id: string;
  readonly worker: string;
  readonly kind: InvokeEvent['kind'];
  readonly session: string;
  readonly start: number;
  readonly end?: number;
  readonly outcome: Outcome;
  /** Latest moment the operation may have taken effect. */
  readonly horizon: number;
  readonly invoke: InvokeEvent;
  readonly ok?: OkEvent;
  readonly failure?: FailEvent;
  /** Invoked in the quiescent phase. */
  readonly final: boolean;
}

interface Msg {
  readonly token: string;
  readonly session: string;
  readonly add: Op;
  /** Caller id, acknowledged id, or the id a read showed. */
  id?: string;
  readonly ttlSeconds?: number;
  /** From this time on the message is certainly gone (deleted, cleared or expired). */
  goneAt: number;
}

const GREGORIAN_OFFSET = 0x01b21dd213814000n;
const FULL_PATHS: ReadonlySet<ReadPath> = new Set(['all', 'pagesAsc', 'pagesDesc', 'iterateAsc', 'iterateDesc']);
const DESC_PATHS: ReadonlySet<ReadPath> = new Set(['pagesDesc', 'iterateDesc']);
const REMOVALS: ReadonlySet<InvokeEvent['kind']> = new Set(['deleteMessage', 'trim', 'clear', 'sessionDelete']);
const SESSION_WRITES: ReadonlySet<InvokeEvent['kind']> = new Set(['sessionCreate', 'sessionUpdate', 'sessionDelete']);

/** The 60-bit timestamp of a version 1 UUID, in 100 ns units since 1582 (what Cassandra orders timeuuids by). */
export function timeuuidTicks(id: string): bigint {
  const hex = id.replace(/-/g, '');
  return BigInt(`0x${hex.slice(13, 16)}${hex.slice(8, 12)}${hex.slice(0, 8)}`);
}

export function timeuuidMs(id: string): number {
  return Number((timeuuidTicks(id) - GREGORIAN_OFFSET) / 10_000n);
}

function msToTicks(ms: number): bigint {
  return BigInt(Math.ceil(ms)) * 10_000n + GREGORIAN_OFFSET;
}

/** Builds the operations of a history: invocations paired with completions, horizons computed. */
export function buildOps(events: readonly HistoryEvent[], options: CheckOptions = {}): Op[] {
  const margin = options.unknownMarginMs ?? 3_000;
  const completions = new Map<string, OkEvent | FailEvent>();
  const kills = new Map<string, number>();
  const freezes: [number, number][] = [];
  let openFreeze: number | undefined;
  let historyEnd = 0;
  let quiescentAt = Number.POSITIVE_INFINITY;
  for (const e of events) {
    historyEnd = Math.max(historyEnd, e.time);
    if (e.type === 'ok' || e.type === 'fail' || e.type === 'info') completions.set(e.op, e);
    else if (e.type === 'phase') quiescentAt = Math.min(quiescentAt, e.time);
    else if (e.type === 'fault') {
      if (e.fault === 'kill' && e.worker !== undefined) kills.set(e.worker, e.time);
      // A node killed until its restart is, for outcomes, like a frozen one: a write it took may be
      // applied later (hints, commitlog replay).
      if (e.fault === 'freeze' || e.fault === 'node-kill') openFreeze = e.time;
      if ((e.fault === 'thaw' || e.fault === 'node-restart') && openFreeze !== undefined) {
        freezes.push([openFreeze, e.time]);
        openFreeze = undefined;
      }
    }
  }
  if (openFreeze !== undefined) freezes.push([openFreeze, historyEnd]);

  const ops: Op[] = [];
  for (const e of events) {
    if (e.type !== 'invoke') continue;
    const done = completions.get(e.op);
    const outcome: Outcome = done?.type === 'ok' ? 'ok' : done?.type === 'fail' ? 'fail' : 'unknown';
    let horizon = done?.time ?? kills.get(e.worker) ?? historyEnd;
    if (outcome === 'unknown') {
      // A frozen node still holds the request and applies it when thawed.
      for (const [from, to] of freezes) if (from <= horizon && to >= e.time) horizon = Math.max(horizon, to);
      horizon += margin;
    }
    ops.push({
      id: e.op,
      worker: e.worker,
      kind: e.kind,
      session: e.session,
      start: e.time,
      end: done?.time,
      outcome,
      horizon,
      invoke: e,
      ok: done?.type === 'ok' ? done : undefined,
      failure: done !== undefined && done.type !== 'ok' ? done : undefined,
      final: e.time >= quiescentAt,
    });
  }
  return ops;
}

/** Checks a history against the model; see {@link ViolationKind} for the rules. */
export function checkHistory(events: readonly HistoryEvent[], options: CheckOptions = {}): CheckSummary {
  return new Checker(events, options).run();
}

class Checker {
  private readonly ops: Op[];
  private readonly msgs = new Map<string, Msg>();
  private readonly bySession = new Map<string, Msg[]>();
  private readonly removals = new Map<string, Op[]>();
  private readonly sessionWrites = new Map<string, Op[]>();
  private readonly violations = new Map<string, Violation>();
  private readonly observedIds = new Map<string, Set<string>>();
  private readonly newerCache = new Map<string, bigint[]>();
  private readonly ttlMargin: number;
  private readonly skewed: ReadonlySet<string>;
  private readonly faults: number;

  constructor(events: readonly HistoryEvent[], options: CheckOptions) {
    this.ops = buildOps(events, options);
    this.ttlMargin = options.ttlMarginMs ?? 1_500;
    const spawnedSkewed = events.filter(
      (e): e is FaultEvent => e.type === 'fault' && e.fault === 'spawn' && (e.skewMs ?? 0) !== 0,
    );
    this.skewed = new Set([...(options.skewedWorkers ?? []), ...spawnedSkewed.map((e) => e.worker ?? '')]);
    this.faults = events.filter(
      (e): e is FaultEvent =>
        e.type === 'fault' && (e.fault === 'kill' || e.fault === 'freeze' || e.fault === 'node-kill'),
    ).length;
    for (const op of this.ops) {
      if (op.kind === 'add') {
        (op.invoke.messages ?? []).forEach((sent, i) => {
          const msg: Msg = {
            token: sent.token,
            session: op.session,
            add: op,
            id: sent.id ?? op.ok?.ids?.[i],
            ttlSeconds: op.invoke.ttlSeconds,
            goneAt: Number.POSITIVE_INFINITY,
          };
          this.msgs.set(sent.token, msg);
          listOf(this.bySession, op.session).push(msg);
        });
      }
      if (REMOVALS.has(op.kind)) listOf(this.removals, op.session).push(op);
      if (SESSION_WRITES.has(op.kind)) listOf(this.sessionWrites, op.session).push(op);
    }
    // Ids of adds without a caller id whose outcome is unknown are learnt from the reads.
    for (const op of this.ops) {
      for (const [id, token] of op.ok?.messages ?? []) {
        const msg = this.msgs.get(token);
        if (msg && msg.id === undefined) msg.id = id;
      }
    }
    for (const msg of this.msgs.values()) msg.goneAt = this.goneAt(msg);
  }

  run(): CheckSummary {
    const reads = this.ops.filter((op) => op.outcome === 'ok' && (op.kind === 'read' || op.kind === 'count'));
    for (const op of reads) {
      if (op.kind === 'count') this.checkCount(op);
      else this.checkRead(op);
    }
    for (const op of this.ops) {
      if (op.outcome !== 'ok') continue;
      if (op.kind === 'sessionList') this.checkListing(op);
      if (op.kind === 'sessionGet') this.checkSessionValue(op);
    }
    this.checkQuiescent();
    return {
      operations: this.ops.length,
      acknowledged: this.ops.filter((op) => op.outcome === 'ok').length,
      acknowledgedMessages: [...this.msgs.values()].filter((m) => m.add.outcome === 'ok').length,
      reads: reads.length,
      faults: this.faults,
      violations: [...this.violations.values()],
    };
  }

  // ---- the model ----------------------------------------------------------------------------

  /** When the message is certainly gone: an acknowledged removal that began after its add could apply, or its TTL. */
  private goneAt(msg: Msg): number {
    if (msg.add.outcome === 'fail') return Number.NEGATIVE_INFINITY;
    let gone =
      msg.ttlSeconds !== undefined
        ? msg.add.horizon + msg.ttlSeconds * 1000 + this.ttlMargin
        : Number.POSITIVE_INFINITY;
    for (const x of this.removals.get(msg.session) ?? []) {
      if (x.outcome !== 'ok' || x.start <= msg.add.horizon || x.end === undefined) continue;
      const certain = x.kind === 'deleteMessage' ? msg.id !== undefined && x.invoke.id === msg.id : x.kind !== 'trim';
      if (certain) gone = Math.min(gone, x.end);
    }
    return gone;
  }

  /** The removals (or 'ttl') that could explain why an acknowledged message is absent from `read`. */
  private excuses(msg: Msg, read: Op): string[] {
    const readEnd = read.end ?? read.horizon;
    const found: string[] = [];
    if (msg.ttlSeconds !== undefined && readEnd >= msg.add.start + msg.ttlSeconds * 1000 - this.ttlMargin)
      found.push('ttl');
    for (const x of this.removals.get(msg.session) ?? []) {
      if (x.start < readEnd && this.covers(x, msg)) found.push(x.id);
    }
    return found;
  }

  private covers(x: Op, msg: Msg): boolean {
    if (x.outcome === 'fail' || msg.add.start >= x.horizon) return false;
    switch (x.kind) {
      case 'deleteMessage':
        return msg.id !== undefined && x.invoke.id === msg.id;
      case 'clear':
      case 'sessionDelete':
        return true;
      case 'trim': {
        const keepLast = x.invoke.keepLast ?? 0;
        return keepLast === 0 || (msg.id !== undefined && this.possiblyNewer(x, msg.id) >= keepLast);
      }
      default:
        return false;
    }
  }

  /** How many messages of the session may have existed, newer than `id`, when trim `x` ran. */
  private possiblyNewer(x: Op, id: string): number {
    let ticks = this.newerCache.get(x.id);
    if (!ticks) {
      ticks = (this.bySession.get(x.session) ?? [])
        .filter((m) => m.add.outcome !== 'fail' && m.add.start < x.horizon)
        // An id not known yet lies before the add's horizon: count it as possibly newer.
        .map((m) => (m.id !== undefined ? timeuuidTicks(m.id) : msToTicks(m.add.horizon)))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.newerCache.set(x.id, ticks);
    }
    const own = timeuuidTicks(id);
    let lo = 0;
    let hi = ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ticks[mid] <= own) lo = mid + 1;
      else hi = mid;
    }
    return ticks.length - lo;
  }

  /** Acknowledged before `read` began, not certainly gone, and nothing could have removed it by its end. */
  private mustSee(msg: Msg, read: Op): boolean {
    return (
      msg.add.outcome === 'ok' &&
      msg.add.end! < read.start &&
      msg.goneAt >= read.start &&
      this.excuses(msg, read).length === 0
    );
  }

  private maySee(msg: Msg, read: Op): boolean {
    return msg.add.outcome !== 'fail' && msg.add.start < (read.end ?? read.horizon) && msg.goneAt >= read.start;
  }

  // ---- rules --------------------------------------------------------------------------------

  private checkRead(read: Op): void {
    const path = read.invoke.path ?? 'all';
    const returned = read.ok?.messages ?? [];
    const seenTokens = new Set<string>();
    const seenIds = new Set<string>();
    let previous: bigint | undefined;
    for (const [id, token] of returned) {
      if (seenTokens.has(token) || seenIds.has(id)) {
        this.report('duplicate', read, {
          token,
          id,
          detail: `${path} read returned ${seenTokens.has(token) ? 'the message' : 'the id'} twice`,
        });
      }
      seenTokens.add(token);
      seenIds.add(id);
      this.checkReturned(read, id, token);
      const ticks = timeuuidTicks(id);
      const desc = DESC_PATHS.has(path);
      // Equal timestamps (two processes in one 100 ns tick) may come in either order: Cassandra breaks the tie on other bytes.
      if (previous !== undefined && (desc ? ticks > previous : ticks < previous)) {
        this.report('order', read, {
          token,
          id,
          detail: `${path} read is not in ${desc ? 'descending' : 'ascending'} id order at ${id}`,
        });
      }
      previous = ticks;
    }
    if (FULL_PATHS.has(path)) this.checkNothingLost(read, seenTokens);
    else this.checkLimit(read, returned, seenTokens);
  }

  private checkReturned(read: Op, id: string, token: string): void {
    const msg = this.msgs.get(token);
    const readEnd = read.end ?? read.horizon;
    if (!msg || msg.session !== read.session || msg.add.start > readEnd) {
      this.report('phantom', read, {
        token,
        id,
        detail: msg ? `written by ${msg.add.id} to ${msg.session}, invoked after the read` : 'no add wrote it',
      });
      return;
    }
    if (msg.add.outcome === 'fail') {
      this.report('failed-add-visible', read, {
        token,
        id,
        related: [msg.add.id],
        detail: `${msg.add.id} failed with ${msg.add.failure?.error} (documented as nothing written), yet its message is stored`,
      });
      return;
    }
    const ids = this.observedIds.get(token) ?? new Set<string>();
    ids.add(id);
    this.observedIds.set(token, ids);
    if (
      (msg.add.ok?.ids !== undefined || msg.add.invoke.messages?.some((m) => m.token === token && m.id)) &&
      msg.id !== id
    ) {
      this.report('duplicate', read, {
        token,
        id,
        related: [msg.add.id],
        detail: `stored under ${id}, but the add wrote it as ${msg.id}`,
      });
    } else if (ids.size > 1) {
      this.report('duplicate', read, {
        token,
        id,
        related: [msg.add.id],
        detail: `one add stored under several ids: ${[...ids].join(', ')}`,
      });
    }
    if (msg.goneAt < read.start) {
      const by = this.certainRemovals(msg, read);
      this.report('resurrected', read, {
        token,
        id,
        related: [msg.add.id, ...by],
        detail: `certainly gone before the read began (${by.join(', ') || 'ttl'})`,
      });
    }
  }

  private certainRemovals(msg: Msg, read: Op): string[] {
    return (this.removals.get(msg.session) ?? [])
      .filter((x) => x.outcome === 'ok' && x.start > msg.add.horizon && x.end !== undefined && x.end < read.start)
      .filter((x) => (x.kind === 'deleteMessage' ? x.invoke.id === msg.id : x.kind !== 'trim'))
      .map((x) => x.id);
  }

  private checkNothingLost(read: Op, seen: ReadonlySet<string>): void {
    for (const msg of this.bySession.get(read.session) ?? []) {
      if (seen.has(msg.token) || !this.mustSee(msg, read)) continue;
      const near = this.nonExcusingRemovals(msg, read);
      this.report('lost', read, {
        token: msg.token,
        id: msg.id,
        related: [msg.add.id, ...near],
        detail: `acknowledged by ${msg.add.id} before the ${read.invoke.path} read began; no removal or TTL can explain its absence`,
      });
    }
  }

  /** Removals that began before the read ended but cannot explain the loss: named so a reader sees why. */
  private nonExcusingRemovals(msg: Msg, read: Op): string[] {
    const readEnd = read.end ?? read.horizon;
    return (
      (this.removals.get(msg.session) ?? [])
        // The ones of the last minute before the add: older ones are rarely the story.
        .filter(
          (x) =>
            x.start < readEnd &&
            x.start > msg.add.start - 60_000 &&
            (x.kind !== 'deleteMessage' || x.invoke.id === msg.id),
        )
        .map(
          (x) =>
            `${x.id}(${x.kind}${x.outcome === 'fail' ? ', failed' : ''}${x.horizon <= msg.add.start ? ', over before the add began' : ''})`,
        )
    );
  }

  private checkLimit(read: Op, returned: readonly (readonly [string, string])[], seen: ReadonlySet<string>): void {
    const limit = read.invoke.limit ?? Number.POSITIVE_INFINITY;
    const before = read.invoke.before !== undefined ? timeuuidTicks(read.invoke.before) : undefined;
    if (returned.length > limit) {
      this.report('limit', read, { detail: `returned ${returned.length} messages for limit ${limit}` });
    }
    if (before !== undefined) {
      for (const [id, token] of returned) {
        if (timeuuidTicks(id) > before)
          this.report('limit', read, {
            token,
            id,
            detail: `returned a message newer than before=${read.invoke.before}`,
          });
      }
    }
    const returnedTicks = returned.map(([id]) => timeuuidTicks(id));
    const missing = (this.bySession.get(read.session) ?? []).filter(
      (m) =>
        !seen.has(m.token) &&
        m.id !== undefined &&
        (before === undefined || timeuuidTicks(m.id) < before) &&
        this.mustSee(m, read),
    );
    const missingTicks = missing.map((m) => timeuuidTicks(m.id!));
    for (const msg of missing) {
      const ticks = timeuuidTicks(msg.id!);
      // Left out legitimately only when `limit` newer messages (returned, or owed) outrank it; ties are lenient.
      const newer = returnedTicks.filter((t) => t >= ticks).length + missingTicks.filter((t) => t > ticks).length;
      if (newer >= limit) continue;
      this.report('limit', read, {
        token: msg.token,
        id: msg.id,
        related: [msg.add.id],
        detail: `limit ${limit}${read.invoke.before !== undefined ? ` before ${read.invoke.before}` : ''} returned ${returned.length} messages without this acknowledged, newer one`,
      });
    }
  }

  private checkCount(read: Op): void {
    const count = read.ok?.count ?? 0;
    const session = this.bySession.get(read.session) ?? [];
    const must = session.filter((m) => this.mustSee(m, read)).length;
    const may = session.filter((m) => this.maySee(m, read)).length;
    if (count < must || count > may) {
      this.report('count', read, {
        detail: `count() = ${count}, but between ${must} (must exist) and ${may} (may exist) messages were there`,
      });
    }
  }

  /** In the quiescent phase every path of the final reader sees the same messages in the same order. */
  private checkQuiescent(): void {
    const finalOps = this.ops.filter(
      (op) => op.final && op.outcome === 'ok' && (op.kind === 'read' || op.kind === 'count'),
    );
    if (finalOps.length === 0) return;
    const from = Math.min(...finalOps.map((op) => op.start));
    const to = Math.max(...finalOps.map((op) => op.end ?? op.start));
    for (const session of new Set(finalOps.map((op) => op.session))) {
      // A TTL running out while the final reads run may make paths differ legitimately.
      const expiring = new Set(
        (this.bySession.get(session) ?? [])
          .filter(
            (m) =>
              m.ttlSeconds !== undefined &&
              m.add.start + m.ttlSeconds * 1000 - this.ttlMargin <= to &&
              m.goneAt >= from,
          )
          .map((m) => m.token),
      );
      const ops = finalOps.filter((op) => op.session === session);
      const full = ops.filter((op) => op.kind === 'read' && FULL_PATHS.has(op.invoke.path ?? 'all'));
      const reference = full.find((op) => op.invoke.path === 'all') ?? full[0];
      if (!reference) continue;
      const tokensOf = (op: Op): string[] => {
        const tokens = (op.ok?.messages ?? []).map(([, token]) => token).filter((t) => !expiring.has(t));
        return DESC_PATHS.has(op.invoke.path ?? 'all') ? tokens.reverse() : tokens;
      };
      const expected = tokensOf(reference);
      for (const op of full) {
        const got = tokensOf(op);
        if (got.join(',') !== expected.join(',')) {
          const missing = expected.filter((t) => !got.includes(t));
          const extra = got.filter((t) => !expected.includes(t));
          this.report('paths-disagree', op, {
            related: [reference.id],
            detail:
              `${op.invoke.path} differs from ${reference.invoke.path}: ${missing.length} missing, ${extra.length} extra, same set ${missing.length + extra.length === 0 ? '(order differs)' : ''}`.trim(),
          });
        }
      }
      const length = reference.ok?.messages?.length ?? 0;
      for (const op of ops.filter((o) => o.kind === 'count')) {
        const count = op.ok?.count ?? 0;
        if (Math.abs(count - length) > expiring.size) {
          this.report('paths-disagree', op, {
            related: [reference.id],
            detail: `count() = ${count} but the full read returned ${length}`,
          });
        }
      }
    }
  }

  private checkListing(op: Op): void {
    const listed = op.ok?.listed ?? [];
    const twice = [...new Set(listed.filter((id, i) => listed.indexOf(id) !== i))];
    for (const session of twice) {
      const creates = (this.sessionWrites.get(session) ?? []).filter(
        (w) => w.kind === 'sessionCreate' && w.outcome !== 'fail' && w.start < (op.end ?? op.horizon),
      );
      this.violation({
        kind: 'session-listed-twice',
        session,
        key: 'listed',
        op: op.id,
        related: creates.map((c) => c.id),
        detail: `listByUser listed ${session} ${listed.filter((s) => s === session).length} times`,
      });
    }
  }

  /**
   * A register check of the session record: the value a get returns must come from a create, update
   * or delete that was not certainly overwritten (by an acknowledged write invoked after it could
   * last apply, completed before the get began). Activity bookkeeping must never bring back an older value.
   */
  private checkSessionValue(get: Op): void {
    const value = get.ok?.session;
    if (value === undefined) return;
    const getEnd = get.end ?? get.horizon;
    const writes = (this.sessionWrites.get(get.session) ?? []).filter((w) => w.outcome !== 'fail' && w.start < getEnd);
    const overwritten = (w: Op): boolean =>
      writes.some((later) => later.outcome === 'ok' && later.start > w.horizon && later.end! < get.start);
    const candidates = writes.filter((w) => !overwritten(w));
    const initialPossible = !writes.some((w) => w.outcome === 'ok' && w.end! < get.start);
    const matches = (w: Op): boolean =>
      value === null ? w.kind === 'sessionDelete' : w.kind !== 'sessionDelete' && w.invoke.title === value.title;
    if (candidates.some(matches) || (value === null && initialPossible)) return;
    const source = writes.find(matches);
    this.violation({
      kind: 'session-value',
      session: get.session,
      key: JSON.stringify(value),
      op: get.id,
      related: [...(source ? [source.id] : []), ...candidates.map((c) => c.id)],
      detail:
        `get returned ${value === null ? 'no session' : `title ${JSON.stringify(value.title)}`}` +
        `${source ? ` (written by ${source.id}${this.skewNote(source)})` : ''}, but it could only be one of: ` +
        `${candidates.map((c) => `${c.id}=${c.kind === 'sessionDelete' ? 'deleted' : JSON.stringify(c.invoke.title)}${this.skewNote(c)}`).join(', ') || 'nothing'}`,
    });
  }

  // ---- reporting ----------------------------------------------------------------------------

  private skewNote(op: Op): string {
    return this.skewed.has(op.worker) ? ' [skewed clock]' : '';
  }

  private report(
    kind: ViolationKind,
    read: Op,
    details: { token?: string; id?: string; related?: readonly string[]; detail: string },
  ): void {
    const msg = details.token !== undefined ? this.msgs.get(details.token) : undefined;
    // Timestamps behind (or ahead) decide conflicts differently: say when the skewed worker took part.
    const skewedOps = [...(msg ? [msg.add.id] : []), ...(details.related ?? [])].filter((op) =>
      this.skewed.has(op.split('.')[0]),
    );
    const skew =
      skewedOps.length > 0
        ? ` [skewed-clock worker in ${[...new Set(skewedOps.map((op) => op.split('(')[0]))].join(', ')}]`
        : '';
    this.violation({
      kind,
      session: read.session,
      token: details.token,
      id: details.id,
      op: read.id,
      related: details.related ?? [],
      detail: `${details.detail}${skew}`,
    });
  }

  /** `key`: what makes two observations the same violation when no message is concerned. */
  private violation(v: Omit<Violation, 'occurrences'> & { key?: string }): void {
    // A lost message is missing from every later read: reported once, with how often it was seen.
    const key = v.token !== undefined ? `${v.kind}|${v.session}|${v.token}` : `${v.kind}|${v.session}|${v.key ?? v.op}`;
    const existing = this.violations.get(key);
    if (existing) existing.occurrences++;
    else {
      const { key: _key, ...rest } = v;
      this.violations.set(key, { ...rest, occurrences: 1 });
    }
  }
}

function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
