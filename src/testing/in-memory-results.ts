// The driver objects the in-memory Mapper answers with (results, rows, page states, errors), and how
// it reads the options of a call.
import { QueryError } from '../errors';
import { decodeCql, encodeCql } from './cql-values';
import type { CallMatcher, CallOptions, MapperCall } from './types';

/** A Mapper document or options object. */
export type Doc = Record<string, unknown>;

/** The Result the Mapper resolves with: rows, `wasApplied()` for LWTs, the page state. */
export class MemoryResult<T> {
  constructor(
    private readonly items: T[],
    private readonly applied = true,
    readonly pageState?: string,
  ) {}
  get length(): number {
    return this.items.length;
  }
  first(): T | null {
    return this.items[0] ?? null;
  }
  toArray(): T[] {
    return [...this.items];
  }
  wasApplied(): boolean {
    return this.applied;
  }
  forEach(callback: (item: T, index: number) => void): void {
    this.items.forEach(callback);
  }
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}

/** A row of a raw `client.execute` answer: values by column name (or alias). */
export class MemoryRow {
  constructor(private readonly values: ReadonlyMap<string, unknown>) {}
  get(name: string): unknown {
    return this.values.get(name) ?? null;
  }
}

export function invalid(message: string): QueryError {
  return new QueryError(`In-memory Cassandra refused the statement: ${message}`, { code: 'invalid' });
}

export function profileName(profile: unknown): string | undefined {
  if (typeof profile === 'string') return profile;
  const name = (profile as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

export function callOptions(docInfo: Doc | undefined, options: Doc | undefined): CallOptions {
  const o = options ?? {};
  const d = docInfo ?? {};
  const pick = <K extends keyof CallOptions>(key: K, value: unknown): Partial<CallOptions> =>
    value === undefined ? {} : ({ [key]: value } as Partial<CallOptions>);
  return {
    ...pick('ttl', d.ttl),
    ...pick('ifNotExists', d.ifNotExists),
    ...pick('ifExists', d.ifExists),
    ...pick('when', d.when),
    ...pick('fields', d.fields),
    ...pick('orderBy', d.orderBy),
    ...pick('limit', d.limit),
    ...pick('executionProfile', profileName(o.executionProfile)),
    ...pick('isIdempotent', o.isIdempotent),
    ...pick('timestamp', o.timestamp === undefined ? undefined : Number(o.timestamp)),
    ...pick('logged', o.logged),
    ...pick('fetchSize', o.fetchSize),
    ...pick('pageState', o.pageState === undefined ? undefined : String(o.pageState)),
  };
}

export function matches(match: CallMatcher, call: MapperCall): boolean {
  if (match.method !== undefined && match.method !== call.method) return false;
  if (match.model === undefined || match.model === call.model) return true;
  return call.items?.some((item) => item.model === match.model) ?? false;
}

/** Page states are opaque hex strings, like the driver's: where the last page ended, and rows seen. */
export function encodePageState(after: readonly unknown[], seen: number): string {
  return Buffer.from(JSON.stringify({ a: after.map(encodeCql), n: seen }), 'utf8').toString('hex');
}

export function decodePageState(state: unknown): { after: unknown[]; seen: number } | undefined {
  if (state === undefined || state === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(String(state), 'hex').toString('utf8')) as { a: string[]; n: number };
    if (!Array.isArray(parsed.a) || typeof parsed.n !== 'number') throw new Error('malformed');
    return { after: parsed.a.map(decodeCql), seen: parsed.n };
  } catch (cause) {
    throw new QueryError('In-memory Cassandra refused the statement: invalid value for the paging state', {
      cause,
      code: 'protocolError',
    });
  }
}
