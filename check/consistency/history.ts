/**
 * The history of a consistency run, one JSON object per line (Jepsen's model): every operation's
 * invocation and its completion, plus the faults the parent injected. Workers append their own
 * lines synchronously before and after each call, so a worker killed mid-operation still leaves its
 * invocation in the file (and no completion: the outcome is unknown).
 *
 * Times are wall-clock milliseconds (`performance.timeOrigin + performance.now()`): every process
 * runs on the same machine, so times of different processes are comparable. A worker's clock skew
 * applies to its Cassandra write timestamps only, never to these times.
 */
import { appendFileSync, readFileSync } from 'node:fs';

export type OpKind =
  | 'add'
  | 'read'
  | 'count'
  | 'deleteMessage'
  | 'trim'
  | 'clear'
  | 'sessionCreate'
  | 'sessionUpdate'
  | 'sessionDelete'
  | 'sessionGet'
  | 'sessionList';

/** How a read went: `all`/`limit`/`before` are getMessages, `pages*` a full getPage chain, `iterate*` iterate(). */
export type ReadPath = 'all' | 'limit' | 'before' | 'pagesAsc' | 'pagesDesc' | 'iterateAsc' | 'iterateDesc';

/** A message an add sends: its token (also its content) and the caller id, when the caller chose one. */
export interface SentMessage {
  readonly token: string;
  readonly id?: string;
}

export interface InvokeEvent {
  readonly type: 'invoke';
  readonly op: string;
  readonly worker: string;
  readonly kind: OpKind;
  readonly session: string;
  readonly time: number;
  /** add: the messages sent (one for addMessage, several for addMessages). */
  readonly messages?: readonly SentMessage[];
  readonly batch?: boolean;
  /** add: the TTL of the history the add went through. */
  readonly ttlSeconds?: number;
  readonly path?: ReadPath;
  readonly limit?: number;
  readonly before?: string;
  /** deleteMessage: the id deleted. */
  readonly id?: string;
  readonly keepLast?: number;
  /** sessionCreate / sessionUpdate: the title written (unique per operation). */
  readonly title?: string;
}

/** A session as `sessions.get` returned it (`null`: absent). */
export type SessionValue = { readonly title: string } | null;

export interface OkEvent {
  readonly type: 'ok';
  readonly op: string;
  readonly time: number;
  /** add: the stored ids, in the order of the invocation's messages. */
  readonly ids?: readonly string[];
  /** read: `[id, content]` pairs in the order returned. */
  readonly messages?: readonly (readonly [string, string])[];
  readonly count?: number;
  readonly session?: SessionValue;
  /** sessionList: the session ids listed, in order. */
  readonly listed?: readonly string[];
}

/**
 * `fail`: the operation certainly had no effect (the package documents the error class as "nothing
 * was executed/written"). `info`: the outcome is unknown (timeouts, lost connections, other errors).
 */
export interface FailEvent {
  readonly type: 'fail' | 'info';
  readonly op: string;
  readonly time: number;
  readonly error: string;
  readonly message?: string;
}

export interface FaultEvent {
  readonly type: 'fault';
  readonly fault: 'kill' | 'freeze' | 'thaw' | 'spawn' | 'node-kill' | 'node-restart';
  readonly time: number;
  readonly worker?: string;
  readonly node?: string;
  /** spawn: the worker's write-timestamp skew, so a history file can be checked on its own. */
  readonly skewMs?: number;
}

/** The quiescent phase begins: workers stopped, faults healed; only the final reader runs after. */
export interface PhaseEvent {
  readonly type: 'phase';
  readonly phase: 'quiescent';
  readonly time: number;
}

export type HistoryEvent = InvokeEvent | OkEvent | FailEvent | FaultEvent | PhaseEvent;

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Appends one event. Synchronous on purpose: the line is in the file before the call it announces
 * starts, whatever happens to the process afterwards. O_APPEND keeps lines of several processes whole.
 */
export function appendEvent(file: string, event: HistoryEvent): void {
  appendFileSync(file, `${JSON.stringify(event)}\n`);
}

/** Reads a history file; a torn last line (a process killed while writing it) is ignored. */
export function readHistory(file: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
    } catch {
      // Only a killed writer's last line can be partial; it carries no completed fact.
    }
  }
  return events;
}
