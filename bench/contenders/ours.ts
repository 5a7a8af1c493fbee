import type { Client } from 'cassandra-driver';
import { ChatHistoryStore, MigrationRunner, createClient, type ChatHistory, type ChatMessage } from '../../src';
import { validateMessages } from '../../src/entities';
import { toStoredShape } from '../../src/history';
import { seedBucketedLayout } from '../support/bucketed-layout';
import { ownVersion } from '../support/machine';
import type { Turn } from '../support/messages';
import { RoundTripCounter } from '../support/round-trips';
import type { Contender, ContenderInstance, OpenOptions, SeedPlan, SessionHandle } from './contender';

const contents = (messages: readonly ChatMessage[]): string[] => messages.map((m) => m.content);

/** The package's facade, used as an application would: one store, a history per session. */
class OursSession implements SessionHandle {
  constructor(private readonly history: ChatHistory) {}

  async add(turn: Turn): Promise<void> {
    await this.history.addMessage({ role: turn.role, content: turn.content });
  }

  async addMany(turns: readonly Turn[]): Promise<void> {
    await this.history.addMessages(turns.map((t) => ({ role: t.role, content: t.content })));
  }

  async last(count: number): Promise<readonly string[]> {
    return contents(await this.history.getMessages({ limit: count }));
  }

  async all(): Promise<readonly string[]> {
    return contents(await this.history.getMessages());
  }

  async *iterate(): AsyncGenerator<string> {
    for await (const message of this.history.iterate()) yield message.content;
  }

  async clear(): Promise<void> {
    await this.history.clear();
  }

  async release(): Promise<void> {
    // Histories are cheap views on the shared store: nothing to free.
  }
}

class OursInstance implements ContenderInstance {
  constructor(
    readonly roundTrips: RoundTripCounter,
    private readonly client: Client,
    private readonly store: ChatHistoryStore,
    private readonly keyspace: string,
    private readonly bucketSpanMs: number,
  ) {}

  async session(sessionId: string): Promise<SessionHandle> {
    return new OursSession(this.store.history(sessionId));
  }

  /** Same layout as raw, so the same seeding serves both. */
  async seed(sessionId: string, count: number, plan: SeedPlan): Promise<void> {
    await seedBucketedLayout(this.client, this.keyspace, sessionId, count, plan, this.bucketSpanMs);
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.client.shutdown();
  }
}

export const oursContender: Contender = {
  name: 'ours',
  label: 'ours (ChatHistory)',
  version: `cassandra-chat-history ${ownVersion()}`,
  async open(keyspace: string, options: OpenOptions): Promise<ContenderInstance> {
    const setup = createClient();
    try {
      await new MigrationRunner({ client: setup, keyspace }).up();
    } finally {
      await setup.shutdown();
    }
    return this.attach(keyspace, options);
  },
  async attach(keyspace: string, options: OpenOptions): Promise<ContenderInstance> {
    const counter = new RoundTripCounter();
    const client = createClient({ requestTracker: counter });
    await client.connect();
    const store = new ChatHistoryStore({ client, keyspace, bucketSpan: options.bucketSpanMs });
    return new OursInstance(counter, client, store, keyspace, options.bucketSpanMs);
  },
  async transformProbe(options: OpenOptions) {
    // What ChatHistory.addMessages does per message before the Mapper (toStoredShape: id and
    // bucket, then validation into ChatMessage entities), with the package's own functions. The
    // public API has no CPU-only entry point, so this is the one place that reaches inside it.
    return {
      run(turns: readonly Turn[]): unknown {
        const plain = turns.map((t) => toStoredShape('session', t, options.bucketSpanMs));
        return validateMessages(plain, {});
      },
    };
  },
};
