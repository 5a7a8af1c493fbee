import { randomInt } from 'node:crypto';

/** LangGraph's channel version: what `getNextVersion` returns and `channel_versions` holds. */
export type ChannelVersion = number | string;

const INTEGER_WIDTH = 32;
const FRACTION_STEPS = 2 ** 31;

/**
 * The key a channel value is stored under. The integer part of a number is zero-padded, so that keys
 * sort in the blob table's clustering order (text) as the versions themselves do: trimming can then
 * drop a channel's old values with one range delete. Other values keep their text.
 */
export function channelVersionKey(version: ChannelVersion): string {
  if (typeof version !== 'number' || !Number.isFinite(version) || version < 0) return String(version);
  const text = String(version);
  if (text.includes('e')) return text;
  const [integer = '', fraction] = text.split('.');
  return fraction === undefined
    ? integer.padStart(INTEGER_WIDTH, '0')
    : `${integer.padStart(INTEGER_WIDTH, '0')}.${fraction}`;
}

/**
 * The version after `current`: the next integer plus a random fraction (LangGraph's Python Postgres
 * saver appends a random suffix for the same reason). The fraction is what makes forks safe: a run
 * resumed from an earlier checkpoint counts up from that checkpoint's versions, and with plain
 * integers its values would land on the keys the abandoned branch already used (one branch would
 * then read the other's). Still a number, so the saver stays a `BaseCheckpointSaver<number>`, and
 * still increasing: `floor(current) + 1 + f > current` for any fraction f in (0, 1).
 */
export function nextChannelVersion(current: ChannelVersion | undefined): number {
  const counter = current === undefined ? 0 : counterOf(current);
  return counter + 1 + randomInt(1, FRACTION_STEPS) / FRACTION_STEPS;
}

function counterOf(version: ChannelVersion): number {
  const counter = typeof version === 'number' ? Math.floor(version) : Number.parseInt(version.split('.')[0] ?? '', 10);
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new TypeError(
      `Cannot count up from channel version ${JSON.stringify(version)}: expected a number or "<counter>.<suffix>"`,
    );
  }
  return counter;
}

/** Compares version keys in Cassandra's text clustering order (UTF-8 bytes, i.e. code points). */
export function compareVersionKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
