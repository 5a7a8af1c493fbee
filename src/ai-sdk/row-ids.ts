import { types } from 'cassandra-driver';
import { TIME_UUID_PATTERN } from '../entities';
import { MessageValidationError, type ValidationIssue } from '../errors';

/** 100-ns intervals per millisecond: a timeuuid's time resolution. BigInt: ms × 10,000 passes 2^53. */
const TICKS_PER_MS = 10_000n;

/**
 * The row id of each message of a chat, so that the store's order (by timeuuid) is the chat's order.
 *
 * - A UIMessage id that is a lower-case version 1 timeuuid (from `generateMessageId`) is its row id.
 * - Any other id keeps the row it was stored under before (`storedRowIds`: UIMessage id → row id).
 * - A new message with another id (e.g. a user message with the client's id) gets a fresh timeuuid
 *   between its neighbours' ids: right after the previous message, or after now at the end.
 *
 * Ids that would not keep the chat's order are refused (MessageValidationError naming the message),
 * as a chat stored in another order would load differently from how it was saved.
 */
export function assignRowIds(
  uiIds: readonly string[],
  storedRowIds: ReadonlyMap<string, string>,
  now: number = Date.now(),
): string[] {
  const fixed = uiIds.map((id) => (isRowId(id) ? id : storedRowIds.get(id)));
  const issues: ValidationIssue[] = [];
  let previous: { index: number; ticks: bigint } | undefined;
  for (let i = 0; i < fixed.length; i++) {
    const id = fixed[i];
    if (id === undefined) continue;
    const ticks = ticksOf(id);
    if (previous !== undefined && ticks <= previous.ticks) {
      issues.push({
        property: `messages[${i}].id`,
        constraints: {
          isOrdered: `the message's timeuuid is not later than that of messages[${previous.index}]: the chat would load in another order`,
        },
      });
    }
    previous = { index: i, ticks };
  }
  if (issues.length > 0) throw new MessageValidationError('ChatMessage', issues);
  return fillGaps(fixed, now);
}

/** True for ids that can be a row id as they are (reading back exactly: the driver prints lower case). */
export function isRowId(id: string): boolean {
  return TIME_UUID_PATTERN.test(id) && id === id.toLowerCase();
}

function fillGaps(fixed: readonly (string | undefined)[], now: number): string[] {
  const ids: string[] = [];
  let i = 0;
  while (i < fixed.length) {
    const known = fixed[i];
    if (known !== undefined) {
      ids.push(known);
      i++;
      continue;
    }
    let end = i;
    while (end < fixed.length && fixed[end] === undefined) end++;
    const count = BigInt(end - i);
    const before = i > 0 ? ticksOf(ids[i - 1]) : undefined;
    const after = end < fixed.length ? ticksOf(fixed[end] as string) : undefined;
    let first: bigint;
    if (after === undefined) {
      const fromNow = BigInt(now) * TICKS_PER_MS;
      first = before !== undefined && before >= fromNow ? before + 1n : fromNow;
    } else if (before === undefined) first = after - count;
    else first = before + 1n;
    if (after !== undefined && first + count > after) {
      throw new MessageValidationError('ChatMessage', [
        {
          property: `messages[${i}].id`,
          constraints: {
            hasRoom: `no timeuuid is left between its neighbours' ids for ${count} new message(s): give them ids from generateMessageId()`,
          },
        },
      ]);
    }
    for (let k = 0n; k < count; k++) ids.push(idAtTicks(first + k));
    i = end;
  }
  return ids;
}

/** A timeuuid's time in 100-ns intervals since the Unix epoch. */
function ticksOf(id: string): bigint {
  const { date, ticks } = types.TimeUuid.fromString(id).getDatePrecision();
  return BigInt(date.getTime()) * TICKS_PER_MS + BigInt(ticks);
}

/** A timeuuid at that time, with random node and clock ids (two writers never pick the same one). */
function idAtTicks(ticks: bigint): string {
  const ms = ticks / TICKS_PER_MS;
  return types.TimeUuid.fromDate(new Date(Number(ms)), Number(ticks - ms * TICKS_PER_MS)).toString();
}
