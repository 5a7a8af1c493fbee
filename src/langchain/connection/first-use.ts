import type { Client } from 'cassandra-driver';

const done = new WeakMap<Client, Map<string, Promise<void>>>();

/**
 * The value of `key` for `client` in `cache`, made by `make` the first time it is asked for.
 * `forget` removes it again, so that the next ask makes a new one. Held per client weakly: a client
 * that is gone takes its values with it.
 */
export function perClient<T>(
  cache: WeakMap<Client, Map<string, T>>,
  client: Client,
  key: string,
  make: (forget: () => void) => T,
): T {
  let byKey = cache.get(client);
  if (!byKey) {
    byKey = new Map();
    cache.set(client, byKey);
  }
  const map = byKey;
  if (!map.has(key))
    map.set(
      key,
      make(() => map.delete(key)),
    );
  return map.get(key) as T;
}

/**
 * Runs `task` once per client and key (a keyspace's migrations, a table's creation), however many
 * histories ask at once. A failure is not remembered: the next use tries again.
 */
export function oncePerClient(client: Client, key: string, task: () => Promise<void>): Promise<void> {
  return perClient(done, client, key, (forget) =>
    task().catch((error: unknown) => {
      forget();
      throw error;
    }),
  );
}
