import { types, type Client } from 'cassandra-driver';
import { ChatHistoryStore } from '../../../src';
import { createClient } from '../../../src/config';
import { ConnectionError, RequestTimeoutError } from '../../../src/errors';
import { translateDriverError } from '../../../src/driver/driver-errors';
import { uniqueKeyspaceName } from '../../support/cassandra';
import {
  CHAOS_NODE,
  dropKeyspaceOn,
  killNode,
  migrateKeyspaceOn,
  nodeEnv,
  startNode,
  useLocalNode,
} from '../../support/nodes';
import { fastFailureOptions, insertMessage, readAllMessages } from './raw-messages';

const READ_TIMEOUT_MS = 2_000;
// A failed call must come back within the client's timeout (plus scheduling slack), never hang.
const FAILURE_BOUND_MS = READ_TIMEOUT_MS + 1_500;
// Our own watchdog: a call still pending after this is recorded as a hang instead of blocking the test.
const HANG_MS = 10_000;
const SESSIONS_PER_PATH = 3;

interface FailedCall {
  readonly session: string;
  readonly errorClass: string;
  readonly elapsedMs: number;
}

/** One session's messages, written and read either through the facade or with the raw driver. */
interface SessionSink {
  readonly path: 'facade' | 'raw';
  readonly session: string;
  append(id: string, content: string): Promise<void>;
  /** Oldest first. */
  readAll(): Promise<{ id: string; content: string }[]>;
}

function facadeSink(store: ChatHistoryStore, session: string): SessionSink {
  return {
    path: 'facade',
    session,
    async append(id, content) {
      await store.history(session).addMessage({ id, role: 'user', content });
    },
    async readAll() {
      const messages: { id: string; content: string }[] = [];
      for await (const m of store.history(session).iterate({ order: 'asc' }))
        messages.push({ id: m.id, content: m.content });
      return messages;
    },
  };
}

function rawSink(client: Client, keyspace: string, session: string): SessionSink {
  return {
    path: 'raw',
    session,
    append: (id, content) => insertMessage(client, keyspace, session, { id: types.TimeUuid.fromString(id), content }),
    async readAll() {
      return (await readAllMessages(client, keyspace, session)).map((m) => ({
        id: m.id.toString(),
        content: m.content,
      }));
    },
  };
}

/** One writer per session: appends numbered messages, retrying a failed call with the same id. */
class SessionWriter {
  readonly acknowledged: { id: string; seq: number }[] = [];
  readonly failures: FailedCall[] = [];
  readonly hangs: number[] = [];
  /** Ids whose outcome stayed unknown because the writer was stopped before a retry succeeded. */
  readonly abandoned: string[] = [];
  private stopping = false;
  private done: Promise<void> | undefined;

  constructor(readonly sink: SessionSink) {}

  get session(): string {
    return this.sink.session;
  }

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  ackedSince(time: number): number {
    return this.acknowledged.filter((a) => types.TimeUuid.fromString(a.id).getDate().getTime() >= time).length;
  }

  private async run(): Promise<void> {
    for (let seq = 0; !this.stopping; seq++) {
      const id = types.TimeUuid.now();
      const content = `${this.session}#${seq}`;
      // Retry until acknowledged: the same id makes a retry of an applied write a no-op.
      for (;;) {
        const started = Date.now();
        const outcome = await this.attempt(id.toString(), content);
        if (outcome === 'ok') {
          this.acknowledged.push({ id: id.toString(), seq });
          break;
        }
        if (outcome === 'hang') this.hangs.push(Date.now() - started);
        else
          this.failures.push({
            session: this.session,
            errorClass: outcome.constructor.name,
            elapsedMs: Date.now() - started,
          });
        if (this.stopping) {
          this.abandoned.push(id.toString());
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private async attempt(id: string, content: string): Promise<'ok' | 'hang' | Error> {
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<'hang'>((resolve) => {
      timer = setTimeout(() => resolve('hang'), HANG_MS);
    });
    // The facade throws the package's errors itself; raw driver errors are translated here.
    const call = this.sink.append(id, content).then(
      () => 'ok' as const,
      (error: unknown) => translateDriverError(error, { operation: 'addMessage', table: 'chat_messages' }),
    );
    try {
      return await Promise.race([call, watchdog]);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// At file level, so the node is stopped only after every hook of the tests below has run.
useLocalNode(CHAOS_NODE);

// kill -9 of a node of our own (127.0.0.3, never the shared one) while writers append: calls fail
// fast with typed errors, retries with the same ids succeed after the restart, and the commitlog
// replay brings back every acknowledged message exactly once.
describe('a node killed with kill -9 mid-stream', () => {
  const keyspace = uniqueKeyspaceName('node_kill');
  let client: Client;
  let store: ChatHistoryStore;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    client = createClient(fastFailureOptions(READ_TIMEOUT_MS), nodeEnv(CHAOS_NODE));
    await migrateKeyspaceOn(CHAOS_NODE, keyspace);
    await client.connect();
    store = new ChatHistoryStore({ client, keyspace });
    await store.ready();
  }, 120_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await client?.shutdown();
    await dropKeyspaceOn(CHAOS_NODE, keyspace).catch(() => undefined);
  }, 60_000);

  it('keeps every acknowledged message exactly once (facade and raw driver) and fails fast, typed, while the node is down', async () => {
    const writers = [
      ...Array.from({ length: SESSIONS_PER_PATH }, (_, i) => new SessionWriter(facadeSink(store, `facade-${i}`))),
      ...Array.from({ length: SESSIONS_PER_PATH }, (_, i) => new SessionWriter(rawSink(client, keyspace, `raw-${i}`))),
    ];
    writers.forEach((w) => w.start());
    let ackedBeforeKill = 0;
    let killedAt = 0;
    let restartedAt = 0;
    try {
      await waitFor(() => writers.every((w) => w.acknowledged.length >= 50), 30_000, 'writes before the kill');
      ackedBeforeKill = writers.reduce((n, w) => n + w.acknowledged.length, 0);
      await killNode(CHAOS_NODE);
      killedAt = Date.now();

      // While it is down every writer keeps calling; each call must fail on its own, typed and bounded.
      await waitFor(() => writers.every((w) => w.failures.length >= 3), 30_000, 'failures while the node is down');
      expect(await startNode(CHAOS_NODE)).toBe(true);
      restartedAt = Date.now();

      await waitFor(() => writers.every((w) => w.ackedSince(restartedAt) >= 30), 60_000, 'writes after the restart');
    } finally {
      // Stopped even when a wait fails, so no writer outlives the test.
      await Promise.all(writers.map((w) => w.stop()));
    }

    const failures = writers.flatMap((w) => w.failures);
    const failureClasses = new Set(failures.map((f) => f.errorClass));
    expect(writers.flatMap((w) => w.hangs)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect([...failureClasses].filter((c) => ![ConnectionError.name, RequestTimeoutError.name].includes(c))).toEqual(
      [],
    );
    expect(Math.max(...failures.map((f) => f.elapsedMs))).toBeLessThan(FAILURE_BOUND_MS);
    expect(restartedAt - killedAt).toBeGreaterThan(0);

    for (const writer of writers) {
      const stored = await writer.sink.readAll();
      const storedIds = stored.map((m) => m.id);
      const acked = writer.acknowledged.map((a) => a.id);
      // Every acknowledged message is there, none twice (one row per seq: a retry never made a new
      // id), and nothing that was never sent.
      expect(new Set(storedIds).size).toBe(storedIds.length);
      expect(acked.filter((id) => !storedIds.includes(id))).toEqual([]);
      expect(storedIds.filter((id) => !acked.includes(id) && !writer.abandoned.includes(id))).toEqual([]);
      const seqs = stored.map((m) => Number(m.content.split('#')[1]));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    for (const path of ['facade', 'raw'] as const) {
      const group = writers.filter((w) => w.sink.path === path);
      const groupFailures = group.flatMap((w) => w.failures);
      // Both paths really went through the outage.
      expect(groupFailures.length).toBeGreaterThan(0);
      console.log(
        `node-kill ${path}: ${group.reduce((n, w) => n + w.acknowledged.length, 0)} acknowledged, ` +
          `${groupFailures.length} failed calls (${[...new Set(groupFailures.map((f) => f.errorClass))].join(', ')}), ` +
          `slowest failure ${Math.max(...groupFailures.map((f) => f.elapsedMs))} ms; down for ${restartedAt - killedAt} ms`,
      );
    }
    const total = writers.reduce((n, w) => n + w.acknowledged.length, 0);
    expect(total).toBeGreaterThan(ackedBeforeKill);
  }, 150_000);
});
