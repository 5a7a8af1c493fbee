import { randomBytes } from 'node:crypto';

const NON_FINITE: ReadonlyArray<readonly [string, number]> = [
  ['-Infinity', -Infinity],
  ['Infinity', Infinity],
  ['NaN', NaN],
];

/**
 * JSON.parse that also reads what Python's `json.dumps` writes by default (`allow_nan=True`): bare
 * `NaN`, `Infinity` and `-Infinity` tokens, read as those numbers. A LangChain Python service writes
 * them when a float in response_metadata or additional_kwargs is not finite (a logprob, a score);
 * refusing such a row would lose the message over a number. Strict JSON takes the fast path.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const marker = `\u0000nonfinite-${randomBytes(8).toString('hex')}:`;
    const rewritten = quoteNonFiniteTokens(text, marker);
    if (rewritten === undefined) throw error;
    const values = new Map(NON_FINITE.map(([token, value]) => [marker + token, value]));
    return JSON.parse(rewritten, (_key, value: unknown) =>
      typeof value === 'string' && values.has(value) ? values.get(value) : value,
    );
  }
}

/** The text with every NaN/Infinity token outside strings quoted as `marker + token`; undefined when there is none. */
function quoteNonFiniteTokens(text: string, marker: string): string | undefined {
  let out = '';
  let found = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = NON_FINITE.find(([t]) => text.startsWith(t, i))?.[0];
    if (token !== undefined) {
      out += JSON.stringify(marker + token);
      i += token.length - 1;
      found = true;
      continue;
    }
    out += ch;
  }
  return found ? out : undefined;
}
