import { type Client, type ExecutionProfile, mapping, types } from 'cassandra-driver';
import {
  ChatMessage,
  type ColumnMetadata,
  compileEntity,
  type EntityMetadata,
  MessageBucket,
  Session,
  UserSession,
} from '../entities';
import { type ChatHistoryError, QueryError } from '../errors';
import type { ChatMapper } from '../mapping';
import { decodeCql, encodeCql } from './cql-values';
import { type ClusteringBound, InMemoryTable, type LiveRow } from './in-memory-table';
import type { BatchItemCall, CallMatcher, CallOptions, FailureOptions, InMemoryMapper, MapperCall, ModelName } from './types';

/**
 * The Mapper / ModelMapper surface the package uses (src/mapping/*), over in-memory tables, plus the
 * few raw `client.execute` statements it sends. Documents go through the entities' own converters
 * (property ↔ column, JS ↔ driver values) both ways, as with the driver's Mapper, so a value the real
 * Mapper would refuse is refused here too and reads return real entity instances.
 */

type Doc = Record<string, unknown>;
type Operator = { readonly key: string; readonly value: unknown };
type Assignment = { readonly sign: string; readonly value: unknown; readonly inverted: boolean };

// The driver's q helpers build instances of classes its typings do not export: recognised by constructor.
const OPERATOR = mapping.q.lt(0).constructor;
const ASSIGNMENT = mapping.q.append([]).constructor;
const RANGE_OPS = new Set(['=', '<', '<=', '>', '>=']);
const DEFAULT_FETCH_SIZE = 5000;
const ENTITIES = [ChatMessage, MessageBucket, Session, UserSession] as const;

/** The Result the Mapper resolves with: rows, `wasApplied()` for LWTs, the page state. */
class MemoryResult<T> {
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
class MemoryRow {
  constructor(private readonly values: ReadonlyMap<string, unknown>) {}
  get(name: string): unknown {
    return this.values.get(name) ?? null;
  }
}

interface Fault {
  readonly match: CallMatcher;
  readonly error: ChatHistoryError;
  readonly applied: boolean;
}

interface PendingItem {
  readonly call: BatchItemCall;
  readonly apply: (ts: number) => void;
}

/** Which columns a document sets or restricts, as driver values (converted by the entity's converters). */
interface DocColumn {
  readonly column: ColumnMetadata;
  readonly op: string;
  readonly value: unknown;
  /** `q.append`: elements added to a set. */
  readonly append?: readonly unknown[];
}

function invalid(message: string): QueryError {
  return new QueryError(`In-memory Cassandra refused the statement: ${message}`, { code: 'invalid' });
}

function profileName(profile: unknown): string | undefined {
  if (typeof profile === 'string') return profile;
  const name = (profile as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

function callOptions(docInfo: Doc | undefined, options: Doc | undefined): CallOptions {
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

function matches(match: CallMatcher, call: MapperCall): boolean {
  if (match.method !== undefined && match.method !== call.method) return false;
  if (match.model === undefined || match.model === call.model) return true;
  return call.items?.some((item) => item.model === match.model) ?? false;
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
    this.tables = new Map(ENTITIES.map((entity) => [compileEntity(entity).table, new InMemoryTable(compileEntity(entity))]));
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  failNext(match: CallMatcher, error: ChatHistoryError, options: FailureOptions = {}): void {
    this.faults.push({ match, error, applied: options.applied ?? false });
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

  // ---- documents ----------------------------------------------------------------------------

  private docColumns(meta: EntityMetadata, doc: Doc, fields?: readonly string[]): DocColumn[] {
    const out: DocColumn[] = [];
    for (const property of fields && fields.length > 0 ? fields : Object.keys(doc)) {
      const column = meta.byProperty.get(property);
      const value = doc[property];
      // Properties that are no column are ignored, undefined ones left unset: as the Mapper does.
      if (!column || value === undefined) continue;
      if (value instanceof OPERATOR) {
        const op = value as unknown as Operator;
        if (!RANGE_OPS.has(op.key)) throw invalid(`operator ${op.key} is not supported in memory`);
        out.push({ column, op: op.key, value: column.fromModel(op.value) });
      } else if (value instanceof ASSIGNMENT) {
        const a = value as unknown as Assignment;
        if (a.sign !== '+' || a.inverted) throw invalid('only q.append is supported in memory');
        out.push({ column, op: '=', value: undefined, append: column.fromModel(a.value) as unknown[] });
      } else {
        out.push({ column, op: '=', value: column.fromModel(value) });
      }
    }
    return out;
  }

  private keyOf(meta: EntityMetadata, columns: readonly DocColumn[], kind: 'partitionKey' | 'clusteringKey'): Array<unknown> | undefined {
    const keys = kind === 'partitionKey' ? meta.partitionKeys : meta.clusteringKeys;
    const values = keys.map((k) => columns.find((c) => c.column === k && c.op === '='));
    if (values.every((v) => v === undefined)) return undefined;
    if (values.some((v) => v === undefined)) {
      throw invalid(`some ${kind === 'partitionKey' ? 'partition' : 'clustering'} key parts of ${meta.table} are missing`);
    }
    return values.map((v) => v?.value);
  }

  private partitionOf(meta: EntityMetadata, columns: readonly DocColumn[]): unknown[] {
    const key = this.keyOf(meta, columns, 'partitionKey');
    if (!key) throw invalid(`the partition key of ${meta.table} is missing`);
    return key;
  }

  private toEntity(meta: EntityMetadata, row: LiveRow, fields?: readonly string[]): object {
    const instance = new meta.target() as Doc;
    const selected = fields && fields.length > 0 ? fields.map((f) => meta.byProperty.get(f)) : meta.columns;
    for (const column of selected) if (column) instance[column.propertyName] = column.toModel(row.get(column.columnName) ?? null);
    return instance;
  }

  private rowExists(table: InMemoryTable, partition: unknown[], clustering: unknown[] | undefined): LiveRow | undefined {
    const bounds: ClusteringBound[] = (clustering ?? []).map((value, position) => ({ position, op: '=', value }));
    return table.select(partition, bounds, false)[0];
  }

  // ---- writes -------------------------------------------------------------------------------

  private upsert(meta: EntityMetadata, doc: Doc, docInfo: Doc | undefined, marker: boolean): (ts: number) => void {
    const columns = this.docColumns(meta, doc, docInfo?.fields as string[] | undefined);
    const partition = this.partitionOf(meta, columns);
    const clustering = this.keyOf(meta, columns, 'clusteringKey');
    const others = columns.filter((c) => c.column.kind === 'regular' || c.column.kind === 'static');
    if (meta.clusteringKeys.length > 0 && !clustering && others.some((c) => c.column.kind === 'regular')) {
      throw invalid(`the clustering key of ${meta.table} is missing`);
    }
    const table = this.table(meta.table);
    return (ts) =>
      table.upsert({
        partition,
        clustering,
        marker,
        values: new Map(others.filter((c) => !c.append).map((c) => [c.column.columnName, c.value])),
        appends: new Map(others.filter((c) => c.append).map((c) => [c.column.columnName, c.append ?? []])),
        ts,
        ttlSeconds: typeof docInfo?.ttl === 'number' ? docInfo.ttl : undefined,
      });
  }

  private remover(meta: EntityMetadata, doc: Doc, docInfo: Doc | undefined): (ts: number) => void {
    const columns = this.docColumns(meta, doc, docInfo?.fields as string[] | undefined);
    const partition = this.partitionOf(meta, columns);
    const clustering = this.keyOf(meta, columns, 'clusteringKey');
    const table = this.table(meta.table);
    if (meta.clusteringKeys.length > 0 && !clustering) throw invalid(`the primary key of ${meta.table} is incomplete`);
    return (ts) => table.deleteRow(partition, clustering ?? [], ts);
  }

  /** Evaluates an LWT's condition: `ifNotExists`, `ifExists` or `when`. */
  private conditionHolds(meta: EntityMetadata, doc: Doc, docInfo: Doc | undefined): boolean {
    const columns = this.docColumns(meta, doc);
    const table = this.table(meta.table);
    const existing = this.rowExists(table, this.partitionOf(meta, columns), this.keyOf(meta, columns, 'clusteringKey'));
    if (docInfo?.ifNotExists) return !existing;
    if (docInfo?.ifExists) return existing !== undefined;
    const when = docInfo?.when as Doc | undefined;
    if (!when) return true;
    return this.docColumns(meta, when).every((c) => encodeCql(existing?.get(c.column.columnName) ?? null) === encodeCql(c.value ?? null));
  }

  private isConditional(docInfo: Doc | undefined): boolean {
    return Boolean(docInfo?.ifNotExists || docInfo?.ifExists || docInfo?.when);
  }

  /** A write through a ModelMapper method: conditional (LWT, server-side timestamp) or plain. */
  private async write(model: ModelName, method: 'insert' | 'update' | 'remove', doc: Doc, docInfo: Doc | undefined, options: Doc | undefined) {
    const meta = compileEntity(ENTITIES.find((e) => e.name === model) ?? ChatMessage);
    const call: MapperCall = { model, method, document: { ...doc }, options: callOptions(docInfo, options) };
    return this.run(call, () => {
      const apply = method === 'remove' ? this.remover(meta, doc, docInfo) : this.upsert(meta, doc, docInfo, method === 'insert');
      if (this.isConditional(docInfo)) {
        if (!this.conditionHolds(meta, doc, docInfo)) return new MemoryResult<never>([], false);
        // Cassandra stamps a lightweight transaction itself (its Paxos ballot), never with the client's timestamp.
        apply(this.nextTimestamp());
        return new MemoryResult<never>([], true);
      }
      apply(typeof options?.timestamp === 'number' ? options.timestamp : this.nextTimestamp());
      return new MemoryResult<never>([]);
    });
  }

  // ---- reads --------------------------------------------------------------------------------

  private async find(model: ModelName, method: 'find' | 'get', doc: Doc, docInfo: Doc | undefined, options: Doc | undefined) {
    const meta = compileEntity(ENTITIES.find((e) => e.name === model) ?? ChatMessage);
    const call: MapperCall = { model, method, document: { ...doc }, options: callOptions(docInfo, options) };
    return this.run(call, () => {
      const columns = this.docColumns(meta, doc);
      const partition = this.partitionOf(meta, columns);
      const bounds: ClusteringBound[] = [];
      for (const c of columns) {
        if (c.column.kind === 'partitionKey') continue;
        if (c.column.kind !== 'clusteringKey') throw invalid(`filtering on ${c.column.columnName} needs ALLOW FILTERING`);
        bounds.push({ position: c.column.position ?? 0, op: c.op as ClusteringBound['op'], value: c.value });
      }
      const orderBy = Object.entries((docInfo?.orderBy as Record<string, string> | undefined) ?? {});
      const first = orderBy[0];
      const firstColumn = first ? meta.byProperty.get(first[0]) : undefined;
      if (first && firstColumn?.kind !== 'clusteringKey') throw invalid(`ORDER BY is only supported on clustering columns`);
      const reversed = first !== undefined && first[1].toUpperCase() !== (firstColumn?.order ?? 'ASC');
      const table = this.table(meta.table);
      let rows = table.select(partition, bounds, reversed);
      const limit = typeof docInfo?.limit === 'number' ? docInfo.limit : method === 'get' ? 1 : undefined;
      const position = decodePageState(options?.pageState);
      if (position) rows = rows.filter((r) => table.isAfter(meta.clusteringKeys.map((k) => r.get(k.columnName)), position.after, reversed));
      const seen = position?.seen ?? 0;
      const fetchSize = typeof options?.fetchSize === 'number' ? options.fetchSize : DEFAULT_FETCH_SIZE;
      const page = rows.slice(0, Math.max(0, Math.min(fetchSize, (limit ?? Number.POSITIVE_INFINITY) - seen)));
      // Cassandra returns a page state whenever a page is full, even when nothing follows; not past LIMIT.
      const last = page.at(-1);
      const more = last !== undefined && page.length === fetchSize && seen + page.length < (limit ?? Number.POSITIVE_INFINITY);
      const pageState = more ? encodePageState(meta.clusteringKeys.map((k) => last.get(k.columnName)), seen + page.length) : undefined;
      const fields = docInfo?.fields as string[] | undefined;
      return new MemoryResult(page.map((row) => this.toEntity(meta, row, fields)), true, pageState);
    });
  }

  // ---- batches and statements ---------------------------------------------------------------

  private batchItem(model: ModelName, method: 'insert' | 'update' | 'remove', doc: Doc, docInfo?: Doc): PendingItem {
    const meta = compileEntity(ENTITIES.find((e) => e.name === model) ?? ChatMessage);
    const apply = method === 'remove' ? this.remover(meta, doc, docInfo) : this.upsert(meta, doc, docInfo, method === 'insert');
    return { call: { model, method, document: { ...doc }, options: callOptions(docInfo, undefined) }, apply };
  }

  private async batch(items: readonly PendingItem[], options: Doc | undefined) {
    const call: MapperCall = { model: 'Mapper', method: 'batch', items: items.map((i) => i.call), options: callOptions(undefined, options) };
    return this.run(call, () => {
      // Every item with one timestamp, applied at once: nothing can observe half a batch.
      const ts = typeof options?.timestamp === 'number' ? options.timestamp : this.nextTimestamp();
      for (const item of items) item.apply(ts);
      return new MemoryResult<never>([]);
    });
  }

  /** The package's few hand-written statements (`mapWithQuery` and the raw `client.execute`s). */
  private async statement(model: ModelName, method: 'query' | 'execute', cql: string, params: readonly unknown[], options: Doc | undefined, document?: Doc) {
    const call: MapperCall = { model, method, cql, params: [...params], ...(document ? { document: { ...document } } : {}), options: callOptions(undefined, options) };
    return this.run(call, () => this.interpret(cql, params, options));
  }

  private interpret(cql: string, params: readonly unknown[], options: Doc | undefined): MemoryResult<never> | { rows: MemoryRow[]; rowLength: number; first(): MemoryRow | null } {
    const ts = typeof options?.timestamp === 'number' ? options.timestamp : this.nextTimestamp();
    let m = /^DELETE (?:([\w, ]+) )?FROM \w+\.(\w+) WHERE (.+)$/.exec(cql);
    if (m) {
      const table = this.table(m[2]);
      const { partition, clustering, bounds } = this.whereClause(table, m[3], params);
      if (m[1]) table.deleteColumns(partition, clustering, m[1].split(',').map((c) => c.trim()), ts);
      else if (clustering) table.deleteRow(partition, clustering, ts);
      else if (bounds.length > 0) for (const b of bounds) table.deleteRange(partition, b, ts);
      else table.deletePartition(partition, ts);
      return new MemoryResult<never>([]);
    }
    m = /^UPDATE \w+\.(\w+) SET (\w+) = \? WHERE (.+?)(?: IF (\w+) = null)?$/.exec(cql);
    if (m) {
      const table = this.table(m[1]);
      const column = this.column(table, m[2]);
      const { partition, clustering } = this.whereClause(table, m[3], params.slice(1));
      if (m[4]) {
        const current = table.select(partition, [], false)[0]?.get(this.column(table, m[4]).columnName) ?? null;
        if (current !== null) return new MemoryResult<never>([], false);
      }
      const write = { partition, clustering, marker: false, values: new Map([[column.columnName, column.fromModel(params[0])]]), appends: new Map() };
      table.upsert({ ...write, ts: m[4] ? this.nextTimestamp() : ts });
      return new MemoryResult<never>([], true);
    }
    m = /^SELECT (.+) FROM \w+\.(\w+) WHERE (.+)$/.exec(cql);
    if (m) {
      const table = this.table(m[2]);
      const { partition, clustering, bounds } = this.whereClause(table, m[3], params);
      const allBounds = [...bounds, ...(clustering ?? []).map((value, position) => ({ position, op: '=' as const, value }))];
      const rows = table.select(partition, allBounds, false);
      let answer: MemoryRow[];
      if (m[1] === 'count(*)') {
        answer = [new MemoryRow(new Map([['count', types.Long.fromNumber(rows.length)]]))];
      } else {
        const selectors = m[1].split(',').map((s) => s.trim());
        answer = rows.map((row) => {
          const values = new Map<string, unknown>();
          for (const selector of selectors) {
            const ttl = /^TTL\((\w+)\) AS (\w+)$/.exec(selector);
            if (ttl) values.set(ttl[2], table.ttlOf(partition, clustering ?? [], ttl[1]) ?? null);
            else values.set(selector, row.get(this.column(table, selector).columnName) ?? null);
          }
          return new MemoryRow(values);
        });
      }
      return { rows: answer, rowLength: answer.length, first: () => answer[0] ?? null };
    }
    throw invalid(`the in-memory mapper does not interpret ${JSON.stringify(cql)}`);
  }

  private column(table: InMemoryTable, name: string): ColumnMetadata {
    const column = table.metadata.byColumn.get(name);
    if (!column) throw invalid(`undefined column name ${name} in table ${table.name}`);
    return column;
  }

  /** `a = ? AND b = ? AND c < ?` with its parameters: the partition, a full clustering key, or bounds. */
  private whereClause(table: InMemoryTable, where: string, params: readonly unknown[]) {
    const conditions = where.split(' AND ').map((part, i) => {
      const c = /^(\w+) (=|<|<=|>|>=) \?$/.exec(part.trim());
      if (!c) throw invalid(`unsupported condition ${part}`);
      const column = this.column(table, c[1]);
      return { column, op: c[2] as ClusteringBound['op'], value: column.fromModel(params[i]) };
    });
    const meta = table.metadata;
    const partition = meta.partitionKeys.map((k) => {
      const c = conditions.find((x) => x.column === k && x.op === '=');
      if (!c) throw invalid(`the partition key of ${meta.table} is missing`);
      return c.value;
    });
    const restrictions = conditions.filter((c) => c.column.kind === 'clusteringKey');
    const full = meta.clusteringKeys.length > 0 && meta.clusteringKeys.every((k) => restrictions.some((c) => c.column === k && c.op === '='));
    return {
      partition,
      clustering: full ? meta.clusteringKeys.map((k) => restrictions.find((c) => c.column === k)?.value) : undefined,
      bounds: full ? [] : restrictions.map((c) => ({ position: c.column.position ?? 0, op: c.op, value: c.value })),
    };
  }

  // ---- the surfaces the package sees --------------------------------------------------------

  private modelMapper(model: ModelName) {
    const meta = compileEntity(ENTITIES.find((e) => e.name === model) ?? ChatMessage);
    return {
      name: model,
      insert: (doc: Doc, docInfo?: Doc, options?: Doc) => this.write(model, 'insert', doc, docInfo, options),
      update: (doc: Doc, docInfo?: Doc, options?: Doc) => this.write(model, 'update', doc, docInfo, options),
      remove: (doc: Doc, docInfo?: Doc, options?: Doc) => this.write(model, 'remove', doc, docInfo, options),
      find: (doc: Doc, docInfo?: Doc, options?: Doc) => this.find(model, 'find', doc, docInfo, options),
      get: async (doc: Doc, docInfo?: Doc, options?: Doc) => (await this.find(model, 'get', doc, docInfo, options)).first(),
      mapWithQuery:
        (cql: string, paramsHandler: (doc: Doc) => unknown[], common?: Doc) =>
        (doc: Doc, options?: Doc) =>
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
          return table ? { name, columnsByName: Object.fromEntries(table.metadata.columns.map((c) => [c.columnName, { name: c.columnName }])) } : null;
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

/** Page states are opaque hex strings, like the driver's: where the last page ended, and rows seen. */
function encodePageState(after: readonly unknown[], seen: number): string {
  return Buffer.from(JSON.stringify({ a: after.map(encodeCql), n: seen }), 'utf8').toString('hex');
}

function decodePageState(state: unknown): { after: unknown[]; seen: number } | undefined {
  if (state === undefined || state === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(String(state), 'hex').toString('utf8')) as { a: string[]; n: number };
    if (!Array.isArray(parsed.a) || typeof parsed.n !== 'number') throw new Error('malformed');
    return { after: parsed.a.map(decodeCql), seen: parsed.n };
  } catch (cause) {
    throw new QueryError('In-memory Cassandra refused the statement: invalid value for the paging state', { cause, code: 'protocolError' });
  }
}

