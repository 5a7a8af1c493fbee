import { readFileSync, writeFileSync } from 'node:fs';

export const README_START = '<!-- bench:results:start -->';
export const README_END = '<!-- bench:results:end -->';

/**
 * Replaces the text between the two markers of the README's Performance section. Returns false
 * (and leaves the file alone) when the markers are missing.
 */
export function updateReadmeSection(path: string, content: string): boolean {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) return false;
  const updated = `${text.slice(0, start + README_START.length)}\n${content}\n${text.slice(end)}`;
  if (updated !== text) writeFileSync(path, updated);
  return true;
}
