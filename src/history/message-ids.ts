import { randomBytes } from 'node:crypto';

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
/** ms from the Gregorian epoch (1582-10-15, a version 1 UUID's origin) to the Unix epoch. */
const GREGORIAN_OFFSET_MS = 12_219_292_800_000;
const TWO_32 = 0x1_0000_0000;
/**
 * The clock sequence (with the RFC 4122 variant bits) and node id never change within the process,
 * so the last 17 characters of every id are formatted once.
 */
const SUFFIX = `-${((CLOCK_ID.readUInt16BE(0) & 0x3fff) | 0x8000).toString(16).padStart(4, '0')}-${NODE_ID.toString('hex')}`;

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
  return { id: formatTimeUuid(ms, ticks), timeMs: ms };
}

/**
 * The string form of the version 1 UUID of (ms, ticks) with this process's clock and node ids: what
 * `types.TimeUuid.fromDate(new Date(ms), ticks, NODE_ID, CLOCK_ID).toString()` returns, without its
 * Date, Buffer and 64-bit Long arithmetic (a large part of an append's CPU). The 60-bit count of
 * 100 ns since 1582 exceeds 2^53, so it is computed as two 32-bit halves.
 */
export function formatTimeUuid(ms: number, ticks: number): string {
  const t = ms + GREGORIAN_OFFSET_MS;
  const tHigh = Math.floor(t / TWO_32);
  const lowProduct = (t - tHigh * TWO_32) * TICKS_PER_MS + ticks; // < 2^46: exact
  const carry = Math.floor(lowProduct / TWO_32);
  const timeLow = lowProduct - carry * TWO_32;
  const timeHigh = tHigh * TICKS_PER_MS + carry; // the upper 28 bits of the 60-bit time
  const timeMid = timeHigh & 0xffff;
  const timeHiAndVersion = ((timeHigh >>> 16) & 0x0fff) | 0x1000;
  return `${hex32(timeLow)}-${hex16(timeMid)}-${hex16(timeHiAndVersion)}${SUFFIX}`;
}

/** Two hex digits per byte value: four look-ups format a 32-bit number, no toString/padStart. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hex32(value: number): string {
  return (
    HEX_BYTE[value >>> 24] + HEX_BYTE[(value >>> 16) & 0xff] + HEX_BYTE[(value >>> 8) & 0xff] + HEX_BYTE[value & 0xff]
  );
}

function hex16(value: number): string {
  return HEX_BYTE[value >>> 8] + HEX_BYTE[value & 0xff];
}

/**
 * A new message id for `addMessage({ id, ... })`. Take one before the call and reuse it when you
 * retry after a timeout or a connection error: the retry then overwrites the same row instead of
 * adding a second message.
 */
export function newMessageId(): string {
  return nextMessageId().id;
}
