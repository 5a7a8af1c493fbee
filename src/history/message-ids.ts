import { randomBytes } from 'node:crypto';
import { types } from 'cassandra-driver';

/**
 * Client-generated message ids: version 1 timeuuids, strictly increasing within this process.
 *
 * `TimeUuid.now()` draws 8 random bytes per call (two `crypto.randomBytes` calls, the largest CPU
 * cost of an append) and, past 10,000 ids in one millisecond or after the clock steps back, its
 * counter can repeat a (time, ticks) pair. Here the random node and clock ids are drawn once per
 * process (RFC 4122 §4.5: a random node id with the multicast bit set), which keeps ids of different
 * processes apart, and (time, ticks) never repeats nor goes backwards within the process, so one
 * writer's messages always keep the order they were added in.
 */
const NODE_ID = randomBytes(6);
NODE_ID[0] |= 0x01;
const CLOCK_ID = randomBytes(2);
const TICKS_PER_MS = 10_000;

let lastMs = 0;
let lastTicks = -1;

export interface GeneratedId {
  readonly id: string;
  /** The time inside the id, in ms since the epoch. */
  readonly timeMs: number;
}

export function nextMessageId(): GeneratedId {
  let ms = Date.now();
  let ticks = 0;
  if (ms <= lastMs) {
    ms = lastMs;
    ticks = lastTicks + 1;
    if (ticks >= TICKS_PER_MS) {
      ms += 1;
      ticks = 0;
    }
  }
  lastMs = ms;
  lastTicks = ticks;
  return { id: types.TimeUuid.fromDate(new Date(ms), ticks, NODE_ID, CLOCK_ID).toString(), timeMs: ms };
}

/**
 * A new message id for `addMessage({ id, ... })`. Take one before the call and reuse it when you
 * retry after a timeout or a connection error: the retry then overwrites the same row instead of
 * adding a second message.
 */
export function newMessageId(): string {
  return nextMessageId().id;
}
