import type { Client } from 'cassandra-driver';

const done = new WeakMap<Client, Map<string, Promise<void>>>();

/**
 * Runs `task` once per client and key (a keyspace's migrations, a table's creation), however many
 * histories ask at once. A failure is not remembered: the next use tries again.
 */
export function oncePerClient(client: Client, key: string, task: () => Promise<void>): Promise<void> {
  let byKey = done.get(client);
  if (!byKey) {
    byKey = new Map();
    done.set(client, byKey);
  }
  let pending = byKey.get(key);
  if (!pending) {
    const map = byKey;
    pending = task().catch((error: unknown) => {
      map.delete(key);
      throw error;
    });
    byKey.set(key, pending);
  }
  return pending;
}
