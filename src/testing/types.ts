import type { ChatHistoryError } from '../errors';

/** The package's four models (entity classes), as `mapper.calls` names them. */
export type ModelName = 'ChatMessage' | 'MessageBucket' | 'Session' | 'UserSession';

/**
 * What reached the database layer: a ModelMapper method, `query` (a `mapWithQuery` statement),
 * `batch` (`mapper.batch`) or `execute` (the two raw `client.execute` SELECTs: count and TTL).
 */
export type MapperMethod = 'insert' | 'update' | 'remove' | 'get' | 'find' | 'query' | 'batch' | 'execute';

/** The options a call carried, from its document info and its execution options. */
export interface CallOptions {
  /** TTL in seconds (document info). */
  readonly ttl?: number;
  readonly ifNotExists?: boolean;
  readonly ifExists?: boolean;
  /** `IF col = value` conditions, by property. */
  readonly when?: Readonly<Record<string, unknown>>;
  readonly fields?: readonly string[];
  readonly orderBy?: Readonly<Record<string, string>>;
  readonly limit?: number;
  /** Name of the execution profile (the store's carries its consistency levels). */
  readonly executionProfile?: string;
  readonly isIdempotent?: boolean;
  /** Explicit write timestamp, µs since the epoch. */
  readonly timestamp?: number;
  /** Batches: logged (atomic across partitions) or not. */
  readonly logged?: boolean;
  readonly fetchSize?: number;
  readonly pageState?: string;
}

/** One item of a recorded `batch` call. */
export interface BatchItemCall {
  readonly model: ModelName;
  readonly method: 'insert' | 'update' | 'remove';
  readonly document: Readonly<Record<string, unknown>>;
  readonly options: CallOptions;
}

/** One call that reached the database layer, in the order made. */
export interface MapperCall {
  /** The model, or `Mapper` for `mapper.batch`. */
  readonly model: ModelName | 'Mapper';
  readonly method: MapperMethod;
  /** The document (ModelMapper methods and `query`). */
  readonly document?: Readonly<Record<string, unknown>>;
  /** The CQL of `query` and `execute` calls. */
  readonly cql?: string;
  /** The bound values of `query` and `execute` calls, by position. */
  readonly params?: readonly unknown[];
  /** The items of a `batch`. */
  readonly items?: readonly BatchItemCall[];
  readonly options: CallOptions;
}

/**
 * Which call a fault hits. Every given field must match; a `batch` matches `model` when one of its
 * items is of that model, so `{ model: 'ChatMessage', method: 'batch' }` hits a message write.
 */
export interface CallMatcher {
  readonly model?: ModelName | 'Mapper';
  readonly method?: MapperMethod;
}

export interface FailureOptions {
  /**
   * `true`: apply the write, then fail ("applied, then timed out": what a client sees when the
   * coordinator's answer is lost). Default false: fail without applying anything.
   */
  readonly applied?: boolean;
}

/** The in-memory database layer under a test store: inspection and fault injection. */
export interface InMemoryMapper {
  /** Every call that reached the database layer, oldest first. */
  readonly calls: readonly MapperCall[];
  /** Forgets the recorded calls (the data stays). */
  clearCalls(): void;
  /**
   * Makes the next call matching `match` reject with `error` (one of the package's typed errors,
   * e.g. `new RequestTimeoutError('...')`), optionally after applying it. Faults queue up in order.
   */
  failNext(match: CallMatcher, error: ChatHistoryError, options?: FailureOptions): void;
  /** Drops every stored row (a fresh, migrated keyspace). Calls and pending faults stay. */
  reset(): void;
  /**
   * Every read returns at most `rows` rows, with a page state when more follow, whatever the fetch
   * size (as a server capping pages by size, or skipping tombstones, does); `undefined` turns it off.
   */
  shortPages(rows: number | undefined): void;
}
