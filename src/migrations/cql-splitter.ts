import { CqlSyntaxError } from '../errors';

/** One statement of a CQL script, as the splitter found it. */
export interface CqlStatement {
  /** Position in the file, from 0. */
  readonly index: number;
  /** Line (from 1) of the statement's first token; comments before it are not part of it. */
  readonly line: number;
  /** The statement's text without its terminating `;` (inner comments are kept: Cassandra accepts them). */
  readonly text: string;
}

type Mode = 'code' | 'single' | 'double' | 'dollar' | 'line-comment' | 'block-comment';

const OPENER_NAMES: Record<Exclude<Mode, 'code' | 'line-comment'>, string> = {
  single: "string literal ('...')",
  double: 'quoted identifier ("...")',
  dollar: '$$ block',
  'block-comment': 'block comment (/* ... */)',
};

/** Turns CRLF and lone CR line endings into LF, so line numbers and checksums ignore the platform. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Splits a CQL script into statements with a state machine that knows where a `;` does not end a
 * statement: inside `'...'` strings (with `''` escapes), `"..."` identifiers (with `""`), `$$...$$`
 * blocks, `--` and `//` line comments and `/* *\/` block comments.
 *
 * Strict by design, so that a truncated or badly merged file never runs half a statement:
 * an unterminated string, identifier, block or comment, and a last statement without its `;`, are
 * {@link CqlSyntaxError}s naming the file and the line where the offending construct starts.
 * Empty statements (`;;`) and comment-only text are dropped.
 */
export function splitCql(script: string, file?: string): CqlStatement[] {
  const text = normalizeLineEndings(script);
  const statements: CqlStatement[] = [];
  let mode: Mode = 'code';
  let line = 1;
  let openedAtLine = 1;
  /** Offset and line of the current statement's first token; -1 while no token was seen yet. */
  let start = -1;
  let startLine = 1;

  const beginToken = (at: number): void => {
    if (start < 0) {
      start = at;
      startLine = line;
    }
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const next = text[i + 1];
    switch (mode) {
      case 'code':
        if (ch === ';') {
          if (start >= 0) {
            statements.push({ index: statements.length, line: startLine, text: text.slice(start, i).trim() });
          }
          start = -1;
        } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
          mode = 'line-comment';
          i++;
        } else if (ch === '/' && next === '*') {
          mode = 'block-comment';
          openedAtLine = line;
          i++;
        } else if (ch === "'") {
          beginToken(i);
          mode = 'single';
          openedAtLine = line;
        } else if (ch === '"') {
          beginToken(i);
          mode = 'double';
          openedAtLine = line;
        } else if (ch === '$' && next === '$') {
          beginToken(i);
          mode = 'dollar';
          openedAtLine = line;
          i++;
        } else if (!/\s/.test(ch)) {
          beginToken(i);
        }
        break;
      case 'single':
      case 'double': {
        const quote = mode === 'single' ? "'" : '"';
        if (ch === quote) {
          if (next === quote)
            i++; // a doubled quote is an escaped quote, not the end
          else mode = 'code';
        }
        break;
      }
      case 'dollar':
        if (ch === '$' && next === '$') {
          mode = 'code';
          i++;
        }
        break;
      case 'line-comment':
        if (ch === '\n') mode = 'code';
        break;
      case 'block-comment':
        if (ch === '*' && next === '/') {
          mode = 'code';
          i++;
        }
        break;
    }
    if (ch === '\n') line++;
  }

  if (mode !== 'code' && mode !== 'line-comment') {
    throw syntaxError(`unterminated ${OPENER_NAMES[mode]} starting`, file, openedAtLine);
  }
  if (start >= 0) {
    throw syntaxError('statement without a terminating ";" starting', file, startLine);
  }
  return statements;
}

function syntaxError(what: string, file: string | undefined, line: number): CqlSyntaxError {
  const where = file !== undefined ? `${file}:${line}` : `line ${line}`;
  return new CqlSyntaxError(`CQL syntax error: ${what} at ${where}`, { file, line });
}
