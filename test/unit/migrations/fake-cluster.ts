import { errors, types, type Client, type QueryOptions } from 'cassandra-driver';

type Row = Record<string, unknown>;

/** One call the runner made, with the options that matter for consistency checks. */
export interface RecordedCall {
  readonly query: string;
  readonly params: readonly unknown[];
  readonly options: QueryOptions;
}

interface LockRow {
  owner: string;
  expiresAt: number;
  acquired_at?: unknown;
  renewed_at?: unknown;
}

/**
 * An in-memory stand-in for a cassandra-driver Client that understands exactly the statements the
 * migrations runner sends (system_schema look-ups, its own DDL, history rows, lock LWTs with TTL)
 * and records every other statement as "run in the keyspace". Hooks inject failures.
 */
export class FakeCluster {
  readonly keyspaces = new Set<string>();
  readonly tables = new Map<string, Set<string>>();
  readonly history = new Map<number, Row>();
  lock?: LockRow;
  /** Statements of migration files, in the order they ran. */
  readonly executed: string[] = [];
  readonly calls: RecordedCall[] = [];
  readonly downHosts = new Set<string>();
  schemaAgreement: () => boolean = () => true;
  /** `isSchemaInAgreement` reported after a DDL statement of a migration file. */
  agreementAfterDdl = true;
  /** Throw from here to make a statement fail; return 'applied-then-timeout' to simulate an unknown LWT. */
  hook: (query: string, params: readonly unknown[]) => void | 'applied-then-timeout' | Promise<void> = () => undefined;
  shutdowns = 0;

  constructor(readonly hostAddresses: readonly string[] = ['127.0.0.1:9042']) {}

  /** The object the runner receives as its client. */
  client(keyspace?: string): Client {
    const fake = {
      keyspace,
      execute: (query: string, params: unknown[] = [], options: QueryOptions = {}) =>
        this.execute(query, params, options),
      hosts: {
        forEach: (callback: (host: { address: string; isUp(): boolean }) => void) => {
          for (const address of this.hostAddresses) callback({ address, isUp: () => !this.downHosts.has(address) });
        },
      },
      metadata: { checkSchemaAgreement: async () => this.schemaAgreement() },
      shutdown: async () => {
        this.shutdowns++;
      },
      connect: async () => undefined,
    };
    return fake as unknown as Client;
  }

  historyRows(): Row[] {
    return [...this.history.values()].sort((a, b) => Number(a.version) - Number(b.version));
  }

  private async execute(query: string, params: unknown[], options: QueryOptions): Promise<unknown> {
    this.calls.push({ query, params, options });
    const hooked = await this.hook(query, params);
    const rows = this.interpret(query, params);
    if (hooked === 'applied-then-timeout') {
      throw new errors.ResponseError(
        types.responseErrorCodes.writeTimeout,
        'Operation timed out - received only 0 responses.',
      );
    }
    return rows;
  }

  private result(rows: Row[], isSchemaInAgreement = true): unknown {
    return { rows, info: { isSchemaInAgreement } };
  }

  private lwtResult(applied: boolean, extra: Row = {}): unknown {
    return this.result([{ '[applied]': applied, ...extra }]);
  }

  private liveLock(): LockRow | undefined {
    if (this.lock !== undefined && this.lock.expiresAt <= Date.now()) this.lock = undefined;
    return this.lock;
  }

  private interpret(query: string, params: unknown[]): unknown {
    let m: RegExpExecArray | null;
    if (/FROM system\.local/.test(query)) {
      // Each node's own schema version; disagreement is modelled by `schemaAgreement` alone.
      return this.result([{ schema_version: 'fake-schema-version' }]);
    }
    if (/FROM system_schema\.keyspaces/.test(query)) {
      return this.result(this.keyspaces.has(String(params[0])) ? [{ keyspace_name: params[0] }] : []);
    }
    // The node's live tables (a virtual table of per-table metrics), modelled as the listed ones.
    if (/FROM system_schema\.tables|FROM system_views\.local_read_latency/.test(query)) {
      return this.result([...(this.tables.get(String(params[0])) ?? [])].map((table_name) => ({ table_name })));
    }
    if ((m = /^CREATE KEYSPACE IF NOT EXISTS (\w+)/.exec(query))) {
      this.keyspaces.add(m[1]);
      this.tables.set(m[1], this.tables.get(m[1]) ?? new Set());
      return this.result([]);
    }
    if ((m = /^CREATE TABLE IF NOT EXISTS (\w+)\.(\w+)/.exec(query))) {
      if (!this.keyspaces.has(m[1])) throw new Error(`Keyspace ${m[1]} does not exist`);
      this.tables.get(m[1])?.add(m[2]);
      return this.result([]);
    }
    if (/\.schema_migrations /.test(query) || /\.schema_migrations$/.test(query))
      return this.historyQuery(query, params);
    if (/\.schema_migrations_lock/.test(query)) return this.lockQuery(query, params);
    this.executed.push(query);
    return this.result([], /^\s*(CREATE|ALTER|DROP)\b/i.test(query) ? this.agreementAfterDdl : true);
  }

  private historyQuery(query: string, params: unknown[]): unknown {
    if (query.startsWith('SELECT')) return this.result(this.historyRows());
    if (query.startsWith('INSERT')) {
      const columns =
        /\(([^)]*)\) VALUES/
          .exec(query)?.[1]
          .split(',')
          .map((c) => c.trim()) ?? [];
      const row: Row = {};
      columns.forEach((column, i) => {
        if (column !== 'keyspace_name') row[column] = params[i];
      });
      this.history.set(Number(row.version), row);
      return this.result([]);
    }
    if (query.startsWith('DELETE')) {
      this.history.delete(Number(params[1]));
      return this.result([]);
    }
    if (query.startsWith('UPDATE')) {
      const row = this.history.get(Number(params[2]));
      if (row) row.checksum = params[0];
      return this.result([]);
    }
    throw new Error(`FakeCluster: unexpected history statement ${query}`);
  }

  private lockQuery(query: string, params: unknown[]): unknown {
    const current = this.liveLock();
    if (query.startsWith('SELECT')) return this.result(current ? [{ owner: current.owner }] : []);
    if (query.startsWith('INSERT')) {
      if (current) return this.lwtResult(false, { lock_name: params[0], owner: current.owner });
      const [, owner, acquired_at, renewed_at, ttl] = params;
      this.lock = { owner: String(owner), acquired_at, renewed_at, expiresAt: Date.now() + Number(ttl) * 1000 };
      return this.lwtResult(true);
    }
    if (query.startsWith('UPDATE')) {
      const [ttl, owner, acquired_at, renewed_at, , expected] = params;
      if (current?.owner !== expected) return this.lwtResult(false, { owner: current?.owner ?? null });
      this.lock = { owner: String(owner), acquired_at, renewed_at, expiresAt: Date.now() + Number(ttl) * 1000 };
      return this.lwtResult(true);
    }
    if (query.startsWith('DELETE')) {
      if (current?.owner !== params[1]) return this.lwtResult(false, { owner: current?.owner ?? null });
      this.lock = undefined;
      return this.lwtResult(true);
    }
    throw new Error(`FakeCluster: unexpected lock statement ${query}`);
  }

  /** A lock row held by someone else (a dead runner) for `ttlMs`. */
  holdLock(owner: string, ttlMs: number): void {
    this.lock = { owner, expiresAt: Date.now() + ttlMs };
  }
}
