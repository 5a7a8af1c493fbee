import type { ChatHistory } from '../../src';

/**
 * Every message content of `history`, read through `getPage` cursors in `order`, `pageSize` at a
 * time; each page is checked to hold at most `pageSize` messages.
 */
export async function contentsByPages(
  history: ChatHistory,
  pageSize: number,
  order: 'asc' | 'desc',
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await history.getPage({ pageSize, cursor, order });
    expect(page.messages.length).toBeLessThanOrEqual(pageSize);
    seen.push(...page.messages.map((m) => m.content));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return seen;
}
