import { types } from 'cassandra-driver';
import { ChatHistoryStore } from '../../../src/history/chat-history-store';
import type { ChatMapper } from '../../../src/mapping/chat-mapper';

/**
 * A jest-mocked cassandra-driver Mapper under the package's real repositories and facade: every
 * ModelMapper method, batch item builder, `mapWithQuery` executor and `mapper.batch` is a jest.fn
 * that records its call. Reads answer from `rows` (per model, filtered by the equality keys of the
 * query document), so the facade's read logic runs for real; writes change nothing.
 */
export interface RecordedCall {
  readonly model: string;
  readonly method: string;
  readonly args: unknown[];
}

export interface MockMapper {
  readonly chatMapper: ChatMapper;
  readonly calls: RecordedCall[];
  /** Rows `find` answers with, per model (`ChatMessage`, `MessageBucket`, ...). */
  readonly rows: Record<string, Record<string, unknown>[]>;
  /** Makes the next matching call reject with `error`. */
  failNext(model: string, method: string, error: Error): void;
  /** The batch calls, each with its items (model, kind, doc, docInfo) and options. */
  batches(): Array<{ items: BatchItem[]; options: Record<string, unknown> }>;
  /** The `mapWithQuery` executor calls, with their CQL, document and options. */
  queries(): Array<{ cql: string; doc: Record<string, unknown>; options: Record<string, unknown> | undefined }>;
}

export interface BatchItem {
  readonly model: string;
  readonly kind: 'insert' | 'update' | 'remove';
  readonly doc: Record<string, unknown>;
  readonly docInfo?: Record<string, unknown>;
}

const MODELS = ['ChatMessage', 'MessageBucket', 'Session', 'UserSession'] as const;

export function createMockMapper(): MockMapper {
  const calls: RecordedCall[] = [];
  const rows: Record<string, Record<string, unknown>[]> = {
    ChatMessage: [],
    MessageBucket: [],
    Session: [],
    UserSession: [],
  };
  const failures: Array<{ model: string; method: string; error: Error }> = [];

  const record = async <T>(model: string, method: string, args: unknown[], answer: () => T): Promise<T> => {
    calls.push({ model, method, args });
    const i = failures.findIndex((f) => f.model === model && f.method === method);
    if (i >= 0) throw failures.splice(i, 1)[0].error;
    return answer();
  };
  const result = (items: Record<string, unknown>[], applied = true) => ({
    toArray: () => items,
    first: () => items[0] ?? null,
    wasApplied: () => applied,
    length: items.length,
  });
  const matches = (row: Record<string, unknown>, doc: Record<string, unknown>) =>
    Object.entries(doc).every(([k, v]) => typeof v === 'object' || row[k] === v);

  const modelMapper = (model: string) => ({
    find: jest.fn((doc: Record<string, unknown>, docInfo?: Record<string, unknown>, options?: unknown) =>
      record(model, 'find', [doc, docInfo, options], () => {
        let found = rows[model].filter((r) => matches(r, doc));
        const limit =
          (docInfo?.limit as number | undefined) ?? (options as { fetchSize?: number } | undefined)?.fetchSize;
        if (limit !== undefined) found = found.slice(0, limit);
        return result(found);
      }),
    ),
    get: jest.fn((doc: Record<string, unknown>, docInfo?: unknown, options?: unknown) =>
      record(model, 'get', [doc, docInfo, options], () => rows[model].find((r) => matches(r, doc)) ?? null),
    ),
    insert: jest.fn((doc: unknown, docInfo?: unknown, options?: unknown) =>
      record(model, 'insert', [doc, docInfo, options], () => result([])),
    ),
    update: jest.fn((doc: unknown, docInfo?: unknown, options?: unknown) =>
      record(model, 'update', [doc, docInfo, options], () => result([])),
    ),
    remove: jest.fn((doc: unknown, docInfo?: unknown, options?: unknown) =>
      record(model, 'remove', [doc, docInfo, options], () => result([])),
    ),
    mapWithQuery: jest.fn((cql: string) =>
      jest.fn((doc: Record<string, unknown>, options?: Record<string, unknown>) =>
        record(model, 'query', [cql, doc, options], () => result([], true)),
      ),
    ),
    batching: {
      insert: (doc: Record<string, unknown>, docInfo?: Record<string, unknown>): BatchItem => ({
        model,
        kind: 'insert',
        doc,
        docInfo,
      }),
      update: (doc: Record<string, unknown>, docInfo?: Record<string, unknown>): BatchItem => ({
        model,
        kind: 'update',
        doc,
        docInfo,
      }),
      remove: (doc: Record<string, unknown>, docInfo?: Record<string, unknown>): BatchItem => ({
        model,
        kind: 'remove',
        doc,
        docInfo,
      }),
    },
  });
  const models = Object.fromEntries(MODELS.map((m) => [m, modelMapper(m)]));
  const mapper = {
    batch: jest.fn((items: BatchItem[], options: Record<string, unknown>) =>
      record('mapper', 'batch', [items, options], () => result([])),
    ),
  };
  const client = {
    execute: jest.fn(async () => ({ first: () => null, rows: [], rowLength: 0 })),
  };
  const chatMapper = {
    client,
    keyspace: 'ks',
    mapper,
    profile: { name: 'test-profile' },
    messages: models.ChatMessage,
    buckets: models.MessageBucket,
    sessions: models.Session,
    userSessions: models.UserSession,
  } as unknown as ChatMapper;

  return {
    chatMapper,
    calls,
    rows,
    failNext: (model, method, error) => failures.push({ model, method, error }),
    batches: () =>
      calls
        .filter((c) => c.model === 'mapper' && c.method === 'batch')
        .map((c) => ({ items: c.args[0] as BatchItem[], options: c.args[1] as Record<string, unknown> })),
    queries: () =>
      calls
        .filter((c) => c.method === 'query')
        .map((c) => ({
          cql: c.args[0] as string,
          doc: c.args[1] as Record<string, unknown>,
          options: c.args[2] as Record<string, unknown> | undefined,
        })),
  };
}

/**
 * A real ChatHistoryStore whose Mapper is the mock: `createChatMapper` is replaced for this store, and
 * the schema check is satisfied without a connection.
 */
export function storeOnMock(
  mock: MockMapper,
  options: { clockSkewToleranceMs?: number; bucketSpan?: number } = {},
): ChatHistoryStore {
  const chatMapperModule = jest.requireActual<typeof import('../../../src/mapping/chat-mapper')>(
    '../../../src/mapping/chat-mapper',
  );
  const spy = jest.spyOn(chatMapperModule, 'createChatMapper').mockReturnValue(mock.chatMapper);
  const client = {
    options: { policies: {} },
    connect: async () => undefined,
    metadata: {
      getTable: async () => ({ columnsByName: { expiry_slots: {} } }),
      refreshKeyspace: async () => undefined,
    },
  } as unknown as import('cassandra-driver').Client;
  try {
    return new ChatHistoryStore({
      client,
      keyspace: 'ks',
      bucketSpan: options.bucketSpan ?? 60_000,
      clockSkewToleranceMs: options.clockSkewToleranceMs ?? 0,
    });
  } finally {
    spy.mockRestore();
  }
}

export const idAt = (ms: number, tick = 0): string => types.TimeUuid.fromDate(new Date(ms), tick).toString();
