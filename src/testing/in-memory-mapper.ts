import type { Client, ExecutionProfile } from 'cassandra-driver';
import { ChatMessage, compileEntity, type EntityMetadata, MessageBucket, Session, UserSession } from '../entities';
import type { ChatHistoryError } from '../errors';
import type { ChatMapper } from '../mapping';
import { interpretCql } from './in-memory-cql';
import { conditionHolds, isConditional, remover, upserter } from './in-memory-writes';
import { selectPage } from './in-memory-page';
import { callOptions, type Doc, invalid, matches, MemoryResult } from './in-memory-results';
import { InMemoryTable } from './in-memory-table';
import type { BatchItemCall, CallMatcher, FailureOptions, InMemoryMapper, MapperCall, ModelName } from './types';

/**
 * The Mapper / ModelMapper surface the package uses (src/mapping/*), over in-memory tables, plus the
 * few raw `client.execute` statements it sends. Documents go through the entities' own converters
 * (property ↔ column, JS ↔ driver values) both ways, as with the driver's Mapper, so a value the real
 * Mapper would refuse is refused here too and reads return real entity instances.
 */

const ENTITIES = [ChatMessage, MessageBucket, Session, UserSession] as const;
const metaOf = (model: ModelName): EntityMetadata =>
  compileEntity(ENTITIES.find((e) => e.name === model) ?? ChatMessage);

interface Fault {
  readonly match: CallMatcher;
  readonly error: ChatHistoryError;
  readonly applied: boolean;
}

interface PendingItem {
  readonly call: BatchItemCall;
  readonly apply: (ts: number) => void;
}

/** The in-memory keyspace: tables, a write clock, the recorded calls and the pending faults. */
export class InMemoryDatabase implements InMemoryMapper {
  readonly calls: MapperCall[] = [];
  private readonly faults: Fault[] = [];
  private tables = new Map<string, InMemoryTable>();
  private lastTimestamp = 0;

  constructor(readonly keyspace: string) {
    this.reset();
  }

  reset(): void {
    this.tables = new Map(
      ENTITIES.map((entity) => [compileEntity(entity).table, new InMemoryTable(compileEntity(entity))]),
    );
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  failNext(match: CallMatcher, error: ChatHistoryError, options: FailureOptions = {}): void {
    this.faults.push({ match, error, applied: options.applied ?? false });
  }

  private shortPageRows?: number;
  shortPages(rows: number | undefined): void {
    this.shortPageRows = rows;
  }

  /** Write timestamps in µs, monotonic, from `Date.now()`: the driver's default generator, in memory. */
  nextTimestamp(): number {
    this.lastTimestamp = Math.max(Date.now() * 1000, this.lastTimestamp + 1);
    return this.lastTimestamp;
  }

  /** Records the call, then answers it, unless a fault is due (before or after applying it). */
  private async run<T>(call: MapperCall, operation: () => T): Promise<T> {
    this.calls.push(call);
    // Answer asynchronously, as the driver does: code after the call runs before its outcome.
    await Promise.resolve();
    const i = this.faults.findIndex((f) => matches(f.match, call));
    const fault = i >= 0 ? this.faults.splice(i, 1)[0] : undefined;
    if (fault && !fault.applied) throw fault.error;
    const result = operation();
    if (fault) throw fault.error;
    return result;
  }

  private table(name: string): InMemoryTable {
    const table = this.tables.get(name);
    if (!table) throw invalid(`unconfigured table ${name}`);
    return table;
  }

  /** A write through a ModelMapper method: conditional (LWT, server-side timestamp) or plain. */
  private async write(
    model: ModelName,
    method: 'insert' | 'update' | 'remove',
    doc: Doc,
    docInfo: Doc | undefined,
    options: Doc | undefined,
  ) {
    const meta = metaOf(model);
    const call: MapperCall = { model, method, document: { ...doc }, options: callOptions(docInfo, options) };
    const table = this.table(meta.table);
    return this.run(call, () => {
      const apply =
        method === 'remove'
          ? remover(table, meta, doc, docInfo)
          : upserter(table, meta, doc, docInfo, method === 'insert');
      if (isConditional(docInfo)) {
        if (!conditionHolds(table, meta, doc, docInfo)) return new MemoryResult<never>([], false);
        // Cassandra stamps a lightweight transaction itself (its Paxos ballot), never with the client's timestamp.
        apply(this.nextTimestamp());
        return new MemoryResult<never>([], true);
      }
      apply(typeof options?.timestamp === 'number' ? options.timestamp : this.nextTimestamp());
      return new MemoryResult<never>([]);
    });
  }

  // ---- reads --------------------------------------------------------------------------------

  private async find(
    model: ModelName,
    method: 'find' | 'get',
    doc: Doc,
    docInfo: Doc | undefined,
    options: Doc | undefined,
  ) {
    const meta = metaOf(model);
    const call: MapperCall = { model, method, document: { ...doc }, options: callOptions(docInfo, options) };
    return this.run(call, () =>
      selectPage(this.table(meta.table), meta, method, doc, docInfo, options, this.shortPageRows),
    );
  }

  // ---- batches and statements ---------------------------------------------------------------

  private batchItem(model: ModelName, method: 'insert' | 'update' | 'remove', doc: Doc, docInfo?: Doc): PendingItem {
    const meta = metaOf(model);
    const table = this.table(meta.table);
    const apply =
      method === 'remove'
        ? remover(table, meta, doc, docInfo)
        : upserter(table, meta, doc, docInfo, method === 'insert');
    return { call: { model, method, document: { ...doc }, options: callOptions(docInfo, undefined) }, apply };
  }

  private async batch(items: readonly PendingItem[], options: Doc | undefined) {
    const call: MapperCall = {
      model: 'Mapper',
      method: 'batch',
      items: items.map((i) => i.call),
      options: callOptions(undefined, options),
    };
    return this.run(call, () => {
      // Every item with one timestamp, applied at once: nothing can observe half a batch.
      const ts = typeof options?.timestamp === 'number' ? options.timestamp : this.nextTimestamp();
      for (const item of items) item.apply(ts);
      return new MemoryResult<never>([]);
    });
  }

  /** The package's few hand-written statements (`mapWithQuery` and the raw `client.execute`s). */
  private async statement(
    model: ModelName,
    method: 'query' | 'execute',
    cql: string,
    params: readonly unknown[],
    options: Doc | undefined,
    document?: Doc,
  ) {
    const call: MapperCall = {
      model,
      method,
      cql,
      params: [...params],
      ...(document ? { document: { ...document } } : {}),
      options: callOptions(undefined, options),
    };
    return this.run(call, () =>
      interpretCql(
        { table: (name) => this.table(name), nextTimestamp: () => this.nextTimestamp() },
        cql,
        params,
        options,
      ),
    );
  }

  // ---- the surfaces the package sees --------------------------------------------------------

  private modelMapper(model: ModelName) {
    const meta = metaOf(model);
    return {
      name: model,
      insert: (doc: Doc, docInfo?: Doc, options?: Doc) => this.write(model, 'insert', doc, docInfo, options),
      update: (doc: Doc, docInfo?: Doc, options?: Doc) => this.write(model, 'update', doc, docInfo, options),
      remove: (doc: Doc, docInfo?: Doc, options?: Doc) => this.write(model, 'remove', doc, docInfo, options),
      find: (doc: Doc, docInfo?: Doc, options?: Doc) => this.find(model, 'find', doc, docInfo, options),
      get: async (doc: Doc, docInfo?: Doc, options?: Doc) =>
        (await this.find(model, 'get', doc, docInfo, options)).first(),
      mapWithQuery: (cql: string, paramsHandler: (doc: Doc) => unknown[], common?: Doc) => (doc: Doc, options?: Doc) =>
        this.statement(model, 'query', cql, paramsHandler(doc), { ...common, ...options }, doc),
      batching: {
        insert: (doc: Doc, docInfo?: Doc) => this.batchItem(model, 'insert', doc, docInfo),
        update: (doc: Doc, docInfo?: Doc) => this.batchItem(model, 'update', doc, docInfo),
        remove: (doc: Doc, docInfo?: Doc) => this.batchItem(model, 'remove', doc, docInfo),
      },
      table: meta.table,
    };
  }

  /**
   * A stand-in for the driver Client: exactly what the store calls (connect, schema metadata, the
   * write-timestamp generator, the raw SELECTs) and nothing that could open a socket.
   */
  client(): Client {
    const fake = {
      options: { policies: { timestampGeneration: { next: () => this.nextTimestamp() } } },
      connect: async () => undefined,
      shutdown: async () => undefined,
      metadata: {
        refreshKeyspace: async () => undefined,
        getTable: async (_keyspace: string, name: string) => {
          const table = this.tables.get(name);
          return table
            ? {
                name,
                columnsByName: Object.fromEntries(
                  table.metadata.columns.map((c) => [c.columnName, { name: c.columnName }]),
                ),
              }
            : null;
        },
      },
      execute: (cql: string, params: readonly unknown[] = [], options?: Doc) => {
        const table = /FROM \w+\.(\w+)/.exec(cql)?.[1];
        const entity = ENTITIES.find((e) => compileEntity(e).table === table);
        return this.statement((entity?.name ?? 'ChatMessage') as ModelName, 'execute', cql, params, options);
      },
    };
    return fake as unknown as Client;
  }

  /** The store's {@link ChatMapper}, over this database. */
  chatMapper(client: Client, profile: ExecutionProfile): ChatMapper {
    const chatMapper = {
      client,
      keyspace: this.keyspace,
      profile,
      mapper: { batch: (items: readonly PendingItem[], options?: Doc) => this.batch(items, options) },
      messages: this.modelMapper('ChatMessage'),
      buckets: this.modelMapper('MessageBucket'),
      sessions: this.modelMapper('Session'),
      userSessions: this.modelMapper('UserSession'),
    };
    return chatMapper as unknown as ChatMapper;
  }
}
