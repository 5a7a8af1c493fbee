import { Client, types, type ClientOptions, type Host } from 'cassandra-driver';
import { ConfigurationError, QueryError, RequestTimeoutError, SchemaNotMigratedError } from '../errors';
import { withDriverErrors, type DriverErrorContext } from '../driver';

/** A result row as plain column → value. */
export type CqlRow = Readonly<Record<string, unknown>>;

/** What the runner needs from a driver result. */
export interface CqlOutcome {
  readonly rows: readonly CqlRow[];
  /** `[applied]` of a lightweight transaction; `true` for other statements. */
  readonly applied: boolean;
  /** `false` when a schema change was not yet seen by every node when the driver stopped waiting. */
  readonly schemaInAgreement: boolean;
}

/** Reads the `isSchemaInAgreement` flag the driver sets on results (missing from its typings). */
function outcomeOf(result: types.ResultSet): CqlOutcome {
  const rows = (result.rows ?? []) as unknown as CqlRow[];
  const appliedColumn = rows[0]?.['[applied]'];
  const info = result.info as unknown as { isSchemaInAgreement?: boolean } | undefined;
  return {
    rows,
    applied: appliedColumn === undefined ? true : appliedColumn === true,
    schemaInAgreement: info?.isSchemaInAgreement !== false,
  };
}

/**
 * A read with every page: a server may end a page early (a size cap, tombstones) and still have
 * rows, so it reads on while there is a page state. A history read that stopped at a short page
 * would take applied migrations for pending ones.
 */
async function readAllPages(run: (pageState?: string) => Promise<types.ResultSet>): Promise<CqlOutcome> {
  const first = await run();
  const rows = [...((first.rows ?? []) as unknown as CqlRow[])];
  // The typings say string, but the last page has none.
  let pageState = first.pageState as string | null | undefined;
  while (pageState) {
    const next = await run(pageState);
    rows.push(...((next.rows ?? []) as unknown as CqlRow[]));
    pageState = next.pageState as string | null | undefined;
  }
  return { ...outcomeOf(first), rows };
}

/**
 * True when an error leaves the outcome of a write unknown: the coordinator (or the client) timed
 * out, but the write, including a Paxos round, may still have been applied. Takes the translated
 * errors {@link MigrationConnection} throws.
 */
export function isUnknownWriteOutcome(error: unknown): boolean {
  return error instanceof RequestTimeoutError;
}

/**
 * True when replicas failed a request (readFailure / writeFailure): seen on the lock's first LWT
 * of a fresh keyspace on a loaded 3-node cluster, with nothing in any node's log. A write may have
 * been applied on some replicas, so it is settled like an unknown outcome, by reading back.
 */
export function isReplicaFailure(error: unknown): boolean {
  return error instanceof QueryError && (error.code === 'readFailure' || error.code === 'writeFailure');
}

/**
 * True when the coordinator does not know one of the runner's tables (yet). Runners started at the
 * same moment race on bootstrap: one sees another's lock table in system_schema before the table is
 * live on the coordinator, and its first statement on it fails this way for a few milliseconds.
 * Takes the translated errors {@link MigrationConnection} throws.
 */
export function isTableNotLiveYet(error: unknown): boolean {
  return error instanceof SchemaNotMigratedError;
}

/**
 * Builds the options of a client bound to `keyspace` from the options of the caller's client.
 * Stateful pieces (load balancing, speculative execution, request tracker, metrics, profiles) are
 * bound to the client they were built for and cannot be shared, and pooling is sized for an
 * application: the new, short-lived client gets the driver's defaults for them. Astra (`cloud`) clients keep only the bundle: the driver fills in contact points and TLS.
 */
export function keyspaceClientOptions(source: ClientOptions, keyspace: string): ClientOptions {
  const options: ClientOptions = {
    keyspace,
    authProvider: source.authProvider,
    credentials: source.credentials,
    encoding: source.encoding,
    protocolOptions: source.protocolOptions,
    queryOptions: source.queryOptions,
    socketOptions: source.socketOptions,
    policies: {
      addressResolution: source.policies?.addressResolution,
      retry: source.policies?.retry,
      reconnection: source.policies?.reconnection,
    },
  };
  if (source.cloud !== undefined) {
    options.cloud = source.cloud;
  } else {
    options.contactPoints = source.contactPoints;
    options.localDataCenter = source.localDataCenter;
    options.sslOptions = source.sslOptions;
  }
  // The driver's option merge treats `undefined` as a value: leave unset options out entirely.
  return pruneUndefined(options);
}

function pruneUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    out[key] =
      inner !== null && typeof inner === 'object' && Object.getPrototypeOf(inner) === Object.prototype
        ? pruneUndefined(inner as object)
        : inner;
  }
  return out as T;
}

/**
 * The runner's only door to the cluster. Its own bookkeeping (history, lock, existence checks) goes
 * through the caller's client with keyspace-qualified, prepared statements. Migration files are
 * written without a keyspace prefix, and the protocol Cassandra speaks (v4) has no per-request
 * keyspace, so their statements run on a client whose session keyspace is the target: the caller's
 * client itself when it is already bound to that keyspace, otherwise one built by
 * `createKeyspaceClient` or derived from the caller's client options ({@link keyspaceClientOptions}),
 * created once the keyspace exists and shut down by {@link close}. `USE` on the caller's client is
 * never issued: it would switch every pooled connection of an application's client.
 */
export class MigrationConnection {
  private keyspaceClient?: Client;
  private ownsKeyspaceClient = false;

  constructor(
    readonly client: Client,
    readonly keyspace: string,
    private readonly createKeyspaceClient?: (keyspace: string) => Client,
  ) {}

  /**
   * Connects the caller's client if it is not yet (idempotent). Host states and schema agreement
   * are only known once the control connection is up: before it, every check would say "no".
   */
  async connect(): Promise<void> {
    await this.guard(() => this.client.connect());
  }

  /** A prepared statement at QUORUM: history reads and writes, existence checks. */
  async query(
    cql: string,
    params: readonly unknown[] = [],
    consistency = types.consistencies.quorum,
  ): Promise<CqlOutcome> {
    return this.guard(() =>
      readAllPages((pageState) => this.client.execute(cql, [...params], { prepare: true, consistency, pageState })),
    );
  }

  /**
   * A lightweight transaction. SERIAL, not LOCAL_SERIAL: the migration lock must exclude runners in
   * every data center, since a schema change is cluster-wide.
   */
  async lwt(cql: string, params: readonly unknown[]): Promise<CqlOutcome> {
    const options = {
      prepare: true,
      consistency: types.consistencies.quorum,
      serialConsistency: types.consistencies.serial,
    };
    return this.guard(async () => outcomeOf(await this.client.execute(cql, [...params], options)));
  }

  /** A linearizable read (SERIAL): completes any in-flight Paxos round first, so it settles "unknown". */
  async serialRead(cql: string, params: readonly unknown[]): Promise<CqlOutcome> {
    const options = { prepare: true, consistency: types.consistencies.serial };
    return this.guard(async () => outcomeOf(await this.client.execute(cql, [...params], options)));
  }

  /** DDL of the runner's own objects (keyspace-qualified; DDL is not prepared). */
  async ddl(cql: string): Promise<CqlOutcome> {
    const options = { prepare: false, consistency: types.consistencies.quorum };
    return this.guard(async () => outcomeOf(await this.client.execute(cql, [], options)));
  }

  /** A statement of a migration file, run inside the target keyspace. */
  async runInKeyspace(cql: string, readTimeoutMs: number): Promise<CqlOutcome> {
    const client = await this.guard(() => this.bindKeyspaceClient());
    const options = { prepare: false, consistency: types.consistencies.quorum, readTimeout: readTimeoutMs };
    return this.guard(async () => outcomeOf(await client.execute(cql, [], options)), {
      operation: 'statement',
      migrationStatement: true,
    });
  }

  /** One check, no retry: do all nodes that are up report the same schema version? */
  async checkSchemaAgreement(): Promise<boolean> {
    const metadata = this.client.metadata as unknown as { checkSchemaAgreement?: () => Promise<boolean> };
    const check = metadata.checkSchemaAgreement;
    if (typeof check === 'function' && !(await this.guard(() => check.call(metadata)))) return false;
    return this.everyNodeReportsOneVersion();
  }

  /**
   * The driver's check compares the control node's own schema version with what that node's
   * gossip says of the others, and gossip lags: right after a DDL on another coordinator (another
   * runner's), it can report agreement while a node has not applied the change yet. Seen on the
   * 3-node cluster as "Keyspace ... doesn't exist" on the next CREATE TABLE and UnknownTableException
   * on the next write. So every node that is up is also asked for its own version, directly.
   */
  private async everyNodeReportsOneVersion(): Promise<boolean> {
    const answers = await this.askEveryNode('SELECT schema_version FROM system.local', []);
    if (answers.some((rows) => rows === undefined)) return false;
    return new Set(answers.map((rows) => String(rows?.[0]?.schema_version))).size <= 1;
  }

  /**
   * Runs a read on every node the driver considers up, each request pinned to its node (its own
   * local view: system tables are not replicated). `undefined` for a node that did not answer.
   */
  async askEveryNode(cql: string, params: readonly unknown[]): Promise<(readonly CqlRow[] | undefined)[]> {
    const hosts: Host[] = [];
    this.client.hosts?.forEach((host) => {
      if (host.isUp()) hosts.push(host);
    });
    return Promise.all(
      hosts.map(async (host) => {
        try {
          // Not prepared: the driver prepares on every host, including those this asks about.
          return outcomeOf(
            await this.client.execute(cql, [...params], { host, prepare: false, consistency: types.consistencies.one }),
          ).rows;
        } catch {
          return undefined;
        }
      }),
    );
  }

  /** Addresses of the nodes the driver knows and considers down. */
  downHosts(): string[] {
    const down: string[] = [];
    this.client.hosts?.forEach((host) => {
      if (!host.isUp()) down.push(host.address);
    });
    return down;
  }

  /** Shuts down the keyspace-bound client if this connection created it. */
  async close(): Promise<void> {
    const client = this.keyspaceClient;
    this.keyspaceClient = undefined;
    if (client !== undefined && this.ownsKeyspaceClient) await client.shutdown();
  }

  /**
   * Every driver call goes through here: the driver's errors become the package's typed errors,
   * whose messages are built from facts (codes, hosts, consistency levels), never from the server's
   * text verbatim, which can name the login role (a bad-credentials answer does). Those messages
   * end up in the CLI's output, in events and in the history table's `error` column.
   */
  private guard<T>(fn: () => Promise<T>, extra: Partial<DriverErrorContext> = {}): Promise<T> {
    return withDriverErrors({ operation: 'MigrationRunner', keyspace: this.keyspace, ...extra }, fn);
  }

  private async bindKeyspaceClient(): Promise<Client> {
    if (this.keyspaceClient !== undefined) return this.keyspaceClient;
    if (this.client.keyspace === this.keyspace) {
      this.keyspaceClient = this.client;
      this.ownsKeyspaceClient = false;
      return this.client;
    }
    const client = this.createKeyspaceClient
      ? this.createKeyspaceClient(this.keyspace)
      : new Client(keyspaceClientOptions(this.sourceOptions(), this.keyspace));
    this.keyspaceClient = client;
    this.ownsKeyspaceClient = true;
    await client.connect();
    return client;
  }

  private sourceOptions(): ClientOptions {
    // `options` is the driver's resolved copy of what the client was built with; it is not typed.
    const options = (this.client as unknown as { options?: ClientOptions }).options;
    if (options === undefined) {
      throw new ConfigurationError(
        'The client has no options to derive a keyspace-bound client from: pass createKeyspaceClient to the MigrationRunner',
      );
    }
    return options;
  }
}
