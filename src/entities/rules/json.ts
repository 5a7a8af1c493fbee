/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Nesting deeper than this is refused: it protects recursive readers (ours and the caller's). */
export const MAX_JSON_DEPTH = 32;

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const name = proto?.constructor?.name;
  return name ? `a ${name}` : 'a non-plain object';
}

function isPlainPrototype(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True for `{}`-style objects (prototype Object.prototype or null), false for arrays, Dates, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainPrototype(value);
}

/**
 * Returns why `value` would not survive a JSON round trip unchanged, or `undefined` when it would.
 * Refused: undefined, functions, symbols, bigints, NaN/±Infinity, non-plain objects (Date, Map,
 * class instances: JSON would silently turn them into something else), sparse arrays, symbol keys,
 * circular references and nesting deeper than `maxDepth`. The path in the answer is relative to
 * `path` (e.g. `metadata.tags[2]`). Accepted although not exact: -0, which JSON writes as 0.
 */
export function jsonProblem(value: unknown, path: string, maxDepth: number = MAX_JSON_DEPTH): string | undefined {
  return walk(value, path, 0, maxDepth, []);
}

function walk(value: unknown, path: string, depth: number, maxDepth: number, ancestors: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${describe(value)}, which JSON cannot represent`;
    case 'object':
      break;
    default:
      return `${path} is ${describe(value)}, which JSON cannot represent`;
  }
  if (value === null) return undefined;
  if (depth >= maxDepth) return `${path} is nested deeper than ${maxDepth} levels`;
  if (ancestors.includes(value)) return `${path} is a circular reference`;
  if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys, which JSON drops`;
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) return `${path}[${i}] is a hole in a sparse array`;
        const problem = walk(value[i], `${path}[${i}]`, depth + 1, maxDepth, ancestors);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    if (!isPlainPrototype(value)) return `${path} is ${describe(value)}; only plain objects and arrays are JSON`;
    for (const key of Object.keys(value)) {
      const problem = walk((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, maxDepth, ancestors);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}
