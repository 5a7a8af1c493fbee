/**
 * Client options from the environment, shared by the facade, the migrations CLI, the tests and the
 * benchmark so that one set of variables configures them all.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | CASSANDRA_CONTACT_POINTS | comma separated hosts | 127.0.0.1 |
 * | CASSANDRA_PORT | native protocol port | 9042 |
 * | CASSANDRA_LOCAL_DC | local datacenter for the load balancing policy | datacenter1 |
 * | CASSANDRA_USERNAME / CASSANDRA_PASSWORD | PasswordAuthenticator credentials | none |
 * | CASSANDRA_KEYSPACE | keyspace of the chat history tables | chat |
 * | CASSANDRA_TLS | `1` to use TLS | off |
 * | CASSANDRA_TLS_CA | path of a PEM CA bundle (implies TLS) | none |
 * | CASSANDRA_TLS_REJECT_UNAUTHORIZED | `0` to skip certificate checks (never in production) | 1 |
 * | CASSANDRA_SECURE_CONNECT_BUNDLE | Astra DB secure connect bundle path (replaces contact points) | none |
 * | CASSANDRA_REQUEST_TIMEOUT_MS | client read timeout per request | 12000 |
 * | CASSANDRA_CONNECT_TIMEOUT_MS | connection timeout | 5000 |
 * | CASSANDRA_REPLICATION | keyspace replication for migrations: `1` (SimpleStrategy RF) or `dc1:3,dc2:3` | 1 |
 */
import { readFileSync } from 'node:fs';
import { auth, Client, type ClientOptions } from 'cassandra-driver';
import { ConfigurationError } from './errors';

/** The subset of `process.env` this package reads. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Connection settings resolved from the environment. */
export interface ConnectionSettings {
  readonly contactPoints: readonly string[];
  readonly port: number;
  readonly localDataCenter: string;
  readonly username?: string;
  readonly password?: string;
  readonly keyspace: string;
  readonly secureConnectBundle?: string;
  readonly tls?: { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** Keyspace replication used by the migrations runner when it creates the keyspace. */
export type ReplicationSettings =
  | { readonly class: 'SimpleStrategy'; readonly replicationFactor: number }
  | { readonly class: 'NetworkTopologyStrategy'; readonly dataCenters: Readonly<Record<string, number>> };

function positiveInt(env: Environment, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flag(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigurationError(`${name} must be 1/0 (or true/false), got ${JSON.stringify(env[name])}`);
}

/** Reads the connection settings from the environment (default: `process.env`). */
export function connectionSettingsFromEnv(env: Environment = process.env): ConnectionSettings {
  const contactPoints = (env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (contactPoints.length === 0) {
    throw new ConfigurationError('CASSANDRA_CONTACT_POINTS is set but names no host');
  }
  const username = env.CASSANDRA_USERNAME || undefined;
  const password = env.CASSANDRA_PASSWORD;
  if (username !== undefined && password === undefined) {
    throw new ConfigurationError('CASSANDRA_USERNAME is set but CASSANDRA_PASSWORD is not');
  }
  const ca = env.CASSANDRA_TLS_CA || undefined;
  const tlsOn = flag(env, 'CASSANDRA_TLS', false) || ca !== undefined;
  return {
    contactPoints,
    port: positiveInt(env, 'CASSANDRA_PORT', 9042),
    localDataCenter: env.CASSANDRA_LOCAL_DC || 'datacenter1',
    username,
    password: username !== undefined ? password : undefined,
    keyspace: env.CASSANDRA_KEYSPACE || 'chat',
    secureConnectBundle: env.CASSANDRA_SECURE_CONNECT_BUNDLE || undefined,
    tls: tlsOn ? { ca, rejectUnauthorized: flag(env, 'CASSANDRA_TLS_REJECT_UNAUTHORIZED', true) } : undefined,
    requestTimeoutMs: positiveInt(env, 'CASSANDRA_REQUEST_TIMEOUT_MS', 12_000),
    connectTimeoutMs: positiveInt(env, 'CASSANDRA_CONNECT_TIMEOUT_MS', 5_000),
  };
}

/** Reads `CASSANDRA_REPLICATION`: `3` (SimpleStrategy RF 3) or `dc1:3,dc2:2` (NetworkTopologyStrategy). */
export function replicationFromEnv(env: Environment = process.env): ReplicationSettings {
  const raw = (env.CASSANDRA_REPLICATION ?? '1').trim();
  if (/^\d+$/.test(raw) && Number(raw) > 0) {
    return { class: 'SimpleStrategy', replicationFactor: Number(raw) };
  }
  const dataCenters: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const match = /^\s*([A-Za-z0-9_.-]+)\s*:\s*(\d+)\s*$/.exec(part);
    if (!match || Number(match[2]) <= 0) {
      throw new ConfigurationError(
        `CASSANDRA_REPLICATION must be a replication factor ("3") or per-DC factors ("dc1:3,dc2:3"), got ${JSON.stringify(raw)}`,
      );
    }
    dataCenters[match[1]] = Number(match[2]);
  }
  return { class: 'NetworkTopologyStrategy', dataCenters };
}

/** Turns settings into cassandra-driver `ClientOptions` (prepared statements on, sane timeouts). */
export function clientOptionsFrom(settings: ConnectionSettings): ClientOptions {
  const options: ClientOptions = {
    localDataCenter: settings.localDataCenter,
    protocolOptions: { port: settings.port },
    socketOptions: { readTimeout: settings.requestTimeoutMs, connectTimeout: settings.connectTimeoutMs },
    queryOptions: { prepare: true },
  };
  if (settings.secureConnectBundle !== undefined) {
    options.cloud = { secureConnectBundle: settings.secureConnectBundle };
  } else {
    options.contactPoints = [...settings.contactPoints];
  }
  if (settings.username !== undefined) {
    options.authProvider = new auth.PlainTextAuthProvider(settings.username, settings.password ?? '');
  }
  if (settings.tls !== undefined) {
    options.sslOptions = {
      rejectUnauthorized: settings.tls.rejectUnauthorized,
      ...(settings.tls.ca !== undefined ? { ca: [readFileSync(settings.tls.ca)] } : {}),
    };
  }
  return options;
}

/**
 * Creates a cassandra-driver `Client` from the environment. Extra options override the environment.
 * The client is not connected yet; the driver connects on first use.
 */
export function createClient(overrides: Partial<ClientOptions> = {}, env: Environment = process.env): Client {
  const client = new Client({ ...clientOptionsFrom(connectionSettingsFromEnv(env)), ...overrides });
  closeRemovedHostPools(client);
  return client;
}

/**
 * Works around a cassandra-driver 4.x leak: when a node comes back after an outage, the control
 * connection replaces its Host object and drops the old one without shutting its pool down; that
 * pool's reconnection later opens a socket nobody closes, and the process never exits after
 * `client.shutdown()`. Shutting removed hosts down closes it. Found by the kill -9 test.
 */
export function closeRemovedHostPools(client: Client): void {
  client.on('hostRemove', (host: unknown) => {
    const removed = host as { shutdown?: (waitForPending: boolean) => Promise<void> };
    if (typeof removed.shutdown === 'function') void removed.shutdown(false).catch(() => undefined);
  });
}
