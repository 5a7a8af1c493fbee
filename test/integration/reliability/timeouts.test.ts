import { policies, tracker, types, type Client, type Host } from 'cassandra-driver';
import { ChatHistoryStore } from '../../../src';
import { createClient } from '../../../src/config';
import { RequestTimeoutError } from '../../../src/errors';
import { withDriverErrors } from '../../../src/driver/driver-errors';
import { uniqueKeyspaceName } from '../../support/cassandra';
import {
  dropKeyspaceOn,
  freezeNode,
  migrateKeyspaceOn,
  nodeEnv,
  STALL_NODE,
  thawNode,
  useLocalNode,
} from '../../support/nodes';
import { fastFailureOptions, insertMessage } from './raw-messages';

const READ_TIMEOUT_MS = 2_000;

/** Counts every attempt the driver sends (the tracker hears about each execution, retries included). */
class CountingTracker extends tracker.RequestLogger {
  readonly attempts = new Map<string, number>();

  constructor() {
    super({ logErroredRequests: false, logNormalRequests: false });
  }

  private count(query: string | Array<{ query: string }>): void {
    const key = typeof query === 'string' ? query : query.map((q) => q.query).join(';');
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
  }

  override onSuccess(_host: Host, query: string | Array<{ query: string }>): void {
    this.count(query);
  }

  override onError(_host: Host, query: string | Array<{ query: string }>): void {
    this.count(query);
  }

  override shutdown(): void {}
}

/** Retries a failed request once on the same coordinator, and counts how often it was asked. */
class RetryOnceOnSameHost extends policies.retry.RetryPolicy {
  consultations = 0;

  override onRequestError(
    info: policies.retry.OperationInfo,
    consistency: types.consistencies,
  ): policies.retry.DecisionInfo {
    this.consultations++;
    return info.nbRetry < 1 ? this.retryResult(consistency, true) : this.rethrowResult();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ outcome: T | unknown; elapsedMs: number }> {
  const started = Date.now();
  const outcome = await fn().catch((error: unknown) => error);
  return { outcome, elapsedMs: Date.now() - started };
}

async function counterValue(client: Client, table: string, key: string): Promise<number> {
  const rs = await client.execute(`SELECT n FROM ${table} WHERE k = ?`, [key], { prepare: true });
  const n = rs.first()?.get('n') as types.Long | undefined;
  return n ? n.toNumber() : 0;
}

/** Waits until the counter reaches `expected` (the thawed node works through its queue), then
 * leaves time for any extra increment to land, and reads it again. */
async function settledCounter(client: Client, table: string, key: string, expected: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while ((await counterValue(client, table, key)) < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return counterValue(client, table, key);
}

// At file level, so the node is stopped only after every hook of the tests below has run.
useLocalNode(STALL_NODE);

// Client timeouts made deterministic: the node's JVM is frozen with SIGSTOP, so its sockets stay
// open and nothing answers; SIGCONT lets it process what was queued. Runs on a node of its own.
describe('requests that exceed the client timeout', () => {
  const keyspace = uniqueKeyspaceName('timeouts');
  const counters = `${keyspace}.counters`;
  let client: Client;
  let retryPolicy: RetryOnceOnSameHost;
  let attempts: CountingTracker;

  beforeAll(async () => {
    retryPolicy = new RetryOnceOnSameHost();
    attempts = new CountingTracker();
    const base = fastFailureOptions(READ_TIMEOUT_MS);
    client = createClient(
      {
        ...base,
        policies: { ...base.policies, retry: retryPolicy },
        requestTracker: attempts,
        // No heartbeats: a heartbeat sent just before a freeze would time out first and close the
        // connection, turning the request's timeout into a (also typed) ConnectionError.
        pooling: { heartBeatInterval: 0 },
      },
      nodeEnv(STALL_NODE),
    );
    await migrateKeyspaceOn(STALL_NODE, keyspace, [`CREATE TABLE ${counters} (k text PRIMARY KEY, n counter)`]);
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    await thawNode(STALL_NODE).catch(() => undefined);
    await client?.shutdown();
    await dropKeyspaceOn(STALL_NODE, keyspace).catch(() => undefined);
  }, 60_000);

  afterEach(async () => {
    // A failing assertion must not leave the node frozen for the next test.
    await thawNode(STALL_NODE).catch(() => undefined);
  });

  it('surfaces a read and an idempotent write to a frozen node as RequestTimeoutError, then recovers', async () => {
    const context = { operation: 'getMessages', keyspace, table: 'chat_messages' };
    await freezeNode(STALL_NODE);
    const read = await timed(() =>
      withDriverErrors(context, () =>
        client.execute(
          `SELECT * FROM ${keyspace}.chat_messages WHERE session_id = ? AND bucket = ?`,
          ['s', types.Long.ZERO],
          {
            prepare: true,
          },
        ),
      ),
    );
    const write = await timed(() =>
      withDriverErrors({ ...context, operation: 'addMessage' }, () =>
        insertMessage(client, keyspace, 's', { id: types.TimeUuid.now(), content: 'written while frozen' }),
      ),
    );
    await thawNode(STALL_NODE);

    for (const { outcome, elapsedMs } of [read, write]) {
      expect(outcome).toBeInstanceOf(RequestTimeoutError);
      expect((outcome as Error).message).toMatch(/outcome is unknown/);
      expect(elapsedMs).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 50);
      // The idempotent write is retried once on the same host, so it may take two timeouts.
      expect(elapsedMs).toBeLessThan(2 * READ_TIMEOUT_MS + 1_500);
    }
    const after = await timed(() =>
      client.execute(
        `SELECT count(*) FROM ${keyspace}.chat_messages WHERE session_id = ? AND bucket = ?`,
        ['s', types.Long.ZERO],
        {
          prepare: true,
        },
      ),
    );
    expect(after.outcome).not.toBeInstanceOf(Error);
  });

  it('surfaces facade calls to a frozen node as RequestTimeoutError; a retry with the same id stores the message once', async () => {
    const store = new ChatHistoryStore({ client, keyspace });
    const history = store.history('frozen-facade');
    await history.addUserMessage('before the freeze');
    const id = types.TimeUuid.now().toString();

    await freezeNode(STALL_NODE);
    const write = await timed(() => history.addMessage({ id, role: 'assistant', content: 'during the freeze' }));
    const read = await timed(() => history.getMessages());
    await thawNode(STALL_NODE);

    for (const { outcome, elapsedMs } of [write, read]) {
      expect(outcome).toBeInstanceOf(RequestTimeoutError);
      expect(elapsedMs).toBeLessThan(2 * READ_TIMEOUT_MS + 1_500);
    }
    // The outcome was unknown; the documented answer is to retry with the same id.
    await history.addMessage({ id, role: 'assistant', content: 'during the freeze' });
    const messages = await history.getMessages();
    expect(messages.map((m) => m.content)).toEqual(['before the freeze', 'during the freeze']);
    expect(messages[1].id).toBe(id);
  });

  it('never re-sends a non-idempotent write that timed out', async () => {
    const update = `UPDATE ${counters} SET n = n + 1 WHERE k = ?`;
    await client.execute(update, ['warm-up'], { prepare: true });
    const consultationsBefore = retryPolicy.consultations;
    const attemptsBefore = attempts.attempts.get(update) ?? 0;

    await freezeNode(STALL_NODE);
    const { outcome, elapsedMs } = await timed(() =>
      withDriverErrors({ operation: 'incrementCounter' }, () =>
        client.execute(update, ['once'], { prepare: true, isIdempotent: false }),
      ),
    );
    await thawNode(STALL_NODE);

    expect(outcome).toBeInstanceOf(RequestTimeoutError);
    expect(elapsedMs).toBeLessThan(READ_TIMEOUT_MS + 1_500);
    // The retry policy was not even asked, the driver sent it once, and the server applied it once.
    expect(retryPolicy.consultations - consultationsBefore).toBe(0);
    expect((attempts.attempts.get(update) ?? 0) - attemptsBefore).toBe(1);
    expect(await settledCounter(client, counters, 'once', 1)).toBe(1);
  });

  it('lets the retry policy re-send an idempotent statement that timed out (why counters must never be marked idempotent)', async () => {
    const update = `UPDATE ${counters} SET n = n + 1 WHERE k = ?`;
    const consultationsBefore = retryPolicy.consultations;
    const attemptsBefore = attempts.attempts.get(update) ?? 0;

    await freezeNode(STALL_NODE);
    const { outcome } = await timed(() =>
      withDriverErrors({ operation: 'incrementCounter' }, () =>
        client.execute(update, ['twice'], { prepare: true, isIdempotent: true }),
      ),
    );
    await thawNode(STALL_NODE);

    expect(outcome).toBeInstanceOf(RequestTimeoutError);
    expect(retryPolicy.consultations - consultationsBefore).toBeGreaterThanOrEqual(1);
    expect((attempts.attempts.get(update) ?? 0) - attemptsBefore).toBe(2);
    // Both sends were applied: the timed-out request was not lost, only unanswered.
    expect(await settledCounter(client, counters, 'twice', 2)).toBe(2);
  });
});
