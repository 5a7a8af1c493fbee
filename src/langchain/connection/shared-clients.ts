import { Client, type DseClientOptions } from 'cassandra-driver';
import { closeRemovedHostPools } from '../../config';

/** A use of a shared client; `release()` once, when the user is done with it. */
export interface ClientLease {
  readonly client: Client;
  release(): Promise<void>;
}

interface SharedClient {
  readonly client: Client;
  refs: number;
  closed: boolean;
}

const clients = new Map<string, SharedClient>();
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/**
 * A key equal for equal configurations. Plain objects and arrays compare by content (keys sorted);
 * anything else that is an object (a policy, an auth provider, a Buffer, a function) compares by
 * identity, since two distinct instances may behave differently. Credentials stay in memory only.
 */
export function configurationKey(options: DseClientOptions): string {
  return JSON.stringify(normalise(options));
}

function normalise(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (Array.isArray(value)) return value.map(normalise);
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    const record = value as Record<string, unknown>;
    return Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => [key, normalise(record[key])]);
  }
  let id = objectIds.get(value);
  if (id === undefined) {
    id = ++nextObjectId;
    objectIds.set(value, id);
  }
  return { instance: id };
}

/**
 * One driver client per configuration, shared by every history built from it and shut down when
 * the last of them is released: a service that builds a history per request keeps one connection pool.
 */
export function acquireClient(options: DseClientOptions): ClientLease {
  const key = configurationKey(options);
  let shared = clients.get(key);
  if (!shared) {
    const client = new Client(options);
    closeRemovedHostPools(client);
    shared = { client, refs: 0, closed: false };
    clients.set(key, shared);
  }
  shared.refs++;
  const entry = shared;
  let released = false;
  return {
    client: entry.client,
    release: async () => {
      if (released || entry.closed) return;
      released = true;
      entry.refs--;
      if (entry.refs > 0) return;
      // A later acquire of the same configuration builds a new client rather than reviving this one.
      entry.closed = true;
      clients.delete(key);
      await entry.client.shutdown();
    },
  };
}

/** Shuts every shared client down (outstanding leases become no-ops): for process shutdown. */
export async function closeSharedClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  for (const entry of all) entry.closed = true;
  await Promise.all(all.map((entry) => entry.client.shutdown()));
}

/** How many shared clients are open (for tests and health checks). */
export function sharedClientCount(): number {
  return clients.size;
}
