import type { Client } from 'cassandra-driver';
import { CassandraChatMessageHistory } from '@langchain/community/stores/message/cassandra';
import { AIMessage, HumanMessage, mapChatMessagesToStoredMessages, type BaseMessage } from '@langchain/core/messages';
import { clientOptionsFrom, connectionSettingsFromEnv, createClient } from '../../src/config';
import { BENCH_QUERY_OPTIONS } from '../support/consistency';
import { createKeyspace } from '../support/keyspaces';
import { packageVersion } from '../support/machine';
import { forEachConcurrently } from '../support/pool';
import { turn as seededTurn, type Turn } from '../support/messages';
import { RoundTripCounter } from '../support/round-trips';
import type { Contender, ContenderInstance, SeedPlan, SessionHandle } from './contender';

/** LangChain.js's own table: `(session_id text, message_ts timestamp, message_type text, data text)`. */
const TABLE = 'message_history';
const ROWS_PER_SEED_BATCH = 100;
const SEED_CONCURRENCY = 32;

function toBaseMessage(turn: Turn): BaseMessage {
  return turn.role === 'user' ? new HumanMessage(turn.content) : new AIMessage(turn.content);
}

function contentOf(message: BaseMessage): string {
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

interface HistoryInternals {
  ensureTable(): Promise<void>;
  cassandraTable?: { client?: Client; initialize(): Promise<void> };
}

/**
 * Connects a history's own client and creates its table, without reading any message. The public
 * API has no such call, and ensureTable() returns before the table's asynchronous initialisation
 * is done, hence the reach into its internals.
 */
async function connectHistory(history: CassandraChatMessageHistory): Promise<void> {
  const internals = history as unknown as HistoryInternals;
  await internals.ensureTable();
  await internals.cassandraTable?.initialize();
}

/**
 * CassandraChatMessageHistory creates its own driver Client (from the options) inside a private
 * CassandraTable and has no close method; the benchmark reaches in to shut it down so that dozens of
 * sessions don't leak connections into later workloads.
 */
async function shutdownHistory(history: CassandraChatMessageHistory): Promise<void> {
  await (history as unknown as HistoryInternals).cassandraTable?.client?.shutdown();
}

class LangChainSession implements SessionHandle {
  constructor(private readonly history: CassandraChatMessageHistory) {}

  add(turn: Turn): Promise<void> {
    return this.history.addMessage(toBaseMessage(turn));
  }

  addMany(turns: readonly Turn[]): Promise<void> {
    return this.history.addMessages(turns.map(toBaseMessage));
  }

  /** LangChain.js has no "last N": read the session and keep the tail, as its callers do. */
  async last(count: number): Promise<readonly string[]> {
    return (await this.history.getMessages()).slice(-count).map(contentOf);
  }

  async all(): Promise<readonly string[]> {
    return (await this.history.getMessages()).map(contentOf);
  }

  /** No streaming API: everything getMessages returns is loaded first. */
  async *iterate(): AsyncGenerator<string> {
    for (const message of await this.history.getMessages()) yield contentOf(message);
  }

  clear(): Promise<void> {
    return this.history.clear();
  }

  release(): Promise<void> {
    return shutdownHistory(this.history);
  }
}

class LangChainInstance implements ContenderInstance {
  readonly roundTrips = new RoundTripCounter();
  /** Only for seeding; created on first use so an attached instance holds no client of its own. */
  private admin?: Client;

  constructor(private readonly keyspace: string) {}

  /** A history as an application builds one, connected and with its table ensured. */
  async session(sessionId: string): Promise<SessionHandle> {
    const history = new CassandraChatMessageHistory({
      ...clientOptionsFrom(connectionSettingsFromEnv()),
      queryOptions: BENCH_QUERY_OPTIONS,
      requestTracker: this.roundTrips,
      keyspace: this.keyspace,
      table: TABLE,
      sessionId,
    });
    await connectHistory(history);
    return new LangChainSession(history);
  }

  async seed(sessionId: string, count: number, plan: SeedPlan): Promise<void> {
    const insert = `INSERT INTO ${this.keyspace}.${TABLE} (session_id, message_ts, message_type, data) VALUES (?, ?, ?, ?)`;
    const batches: { query: string; params: unknown[] }[][] = [];
    for (let from = 0; from < count; from += ROWS_PER_SEED_BATCH) {
      const batch: { query: string; params: unknown[] }[] = [];
      for (let i = from; i < Math.min(count, from + ROWS_PER_SEED_BATCH); i += 1) {
        const [stored] = mapChatMessagesToStoredMessages([toBaseMessage(seededTurn(i, plan.contentBytes))]);
        const at = new Date(plan.endMs - (count - 1 - i) * plan.intervalMs);
        batch.push({ query: insert, params: [sessionId, at, stored.type, JSON.stringify(stored.data)] });
      }
      batches.push(batch);
    }
    const admin = (this.admin ??= createClient());
    await forEachConcurrently(batches, SEED_CONCURRENCY, async (batch) => {
      await admin.batch(batch, { prepare: true, logged: false });
    });
  }

  async close(): Promise<void> {
    await this.admin?.shutdown();
  }
}

export const langchainContender: Contender = {
  name: 'langchain',
  label: 'LangChain.js',
  version: `@langchain/community ${packageVersion('@langchain/community')}`,
  async open(keyspace: string): Promise<ContenderInstance> {
    // LangChain.js expects the keyspace to exist; it creates its table itself on first use.
    const setup = createClient();
    try {
      await createKeyspace(setup, keyspace);
    } finally {
      await setup.shutdown();
    }
    const instance = new LangChainInstance(keyspace);
    await (await instance.session('__table_setup__')).release();
    return instance;
  },
  async attach(keyspace: string): Promise<ContenderInstance> {
    return new LangChainInstance(keyspace);
  },
  async transformProbe() {
    // What addMessage does before the driver: the caller builds a message, LangChain.js maps it to
    // its stored form and serialises the data as JSON.
    return {
      run(turns: readonly Turn[]): unknown {
        let last: unknown[] = [];
        for (const turn of turns) {
          const [stored] = mapChatMessagesToStoredMessages([toBaseMessage(turn)]);
          last = ['session', stored.type, Date.now(), JSON.stringify(stored.data)];
        }
        return last;
      },
    };
  },
};
