/** A chat turn as the workloads produce it; each contender maps it to its own message type. */
export interface Turn {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

const FILLER =
  'The quick brown fox jumps over the lazy dog while the assistant explains bucketed partitions, ' +
  'paging state, prepared statements and why last-N reads must never scan a whole conversation. ';

/**
 * The `index`-th turn of a session: alternating roles, `bytes` characters of ASCII content that
 * start with `m<index>:` so reads can be checked for completeness and order.
 */
export function turn(index: number, bytes: number): Turn {
  const tag = `m${index}:`;
  let content = tag;
  while (content.length < bytes) content += FILLER;
  return { role: index % 2 === 0 ? 'user' : 'assistant', content: content.slice(0, Math.max(bytes, tag.length)) };
}

export function turns(from: number, count: number, bytes: number): Turn[] {
  return Array.from({ length: count }, (_, i) => turn(from + i, bytes));
}

/** The index a content string was generated with, or -1 when it carries no tag. */
export function indexOf(content: string): number {
  const match = /^m(\d+):/.exec(content);
  return match ? Number(match[1]) : -1;
}

/**
 * Whether `contents` are exactly turns `from .. from+count-1` in chronological order; otherwise a
 * short description of what came back instead.
 */
export function checkRange(contents: readonly string[], from: number, count: number): { ok: boolean; detail: string } {
  const indexes = contents.map(indexOf);
  const ok = indexes.length === count && indexes.every((value, i) => value === from + i);
  if (ok) return { ok, detail: `${count} of ${count}, in order` };
  const distinct = new Set(indexes.filter((i) => i >= from && i < from + count)).size;
  const first = indexes.length > 0 ? indexes[0] : undefined;
  const last = indexes.length > 0 ? indexes[indexes.length - 1] : undefined;
  return {
    ok,
    detail:
      `${indexes.length} returned, ${distinct} of the ${count} expected` +
      (first !== undefined ? ` (indexes ${first}..${last})` : ''),
  };
}
