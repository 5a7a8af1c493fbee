import type { Client } from 'cassandra-driver';
import { CassandraSaver, type CassandraSaverOptions } from '../../src/langgraph';
import { createKeyspace, dropKeyspace, testClient, uniqueKeyspaceName } from './cassandra';
import { applySchema } from './schema';

/** A migrated keyspace of its own for one test file, and savers on it. */
export class SaverKeyspace {
  readonly keyspace: string;
  private client?: Client;

  constructor(label: string) {
    this.keyspace = uniqueKeyspaceName(label);
  }

  async open(): Promise<void> {
    this.client = testClient();
    await this.client.connect();
    await createKeyspace(this.client, this.keyspace);
    await applySchema(this.client, this.keyspace);
  }

  get driver(): Client {
    if (this.client === undefined) throw new Error('SaverKeyspace.open() first');
    return this.client;
  }

  saver(options: Partial<Omit<CassandraSaverOptions, 'client' | 'keyspace'>> = {}): CassandraSaver {
    return new CassandraSaver({ client: this.driver, keyspace: this.keyspace, ...options });
  }

  /** Deletes every thread the saver can list (what the conformance suite asks between checkpointers). */
  async deleteAllThreads(saver: CassandraSaver): Promise<void> {
    const threads = new Set<string>();
    for await (const tuple of saver.list({})) threads.add(String(tuple.config.configurable?.thread_id));
    for (const thread of threads) await saver.deleteThread(thread);
  }

  async close(): Promise<void> {
    if (this.client === undefined) return;
    await dropKeyspace(this.client, this.keyspace).catch(() => undefined);
    await this.client.shutdown();
  }
}
