import { type Client, errors, policies, types } from 'cassandra-driver';
import {
  ChatHistoryStore,
  type ChatHistoryStoreOptions,
  type ChatMessage,
  MessageValidationError,
  RequestTimeoutError,
  SessionAlreadyExistsError,
} from '../../../src';
import { createClient } from '../../../src/config';
import { MigrationRunner } from '../../../src/migrations';
import { uniqueKeyspaceName } from '../../support/cassandra';
import { idAt, useMigratedStore } from '../../support/store';

/**
 * Several instances of a service on one keyspace: each "instance" has its own client and its own
 * ChatHistoryStore (so its own caches). Every test here failed on the code before the fix for issue 9.
 */
describe('Nothing lost across instances', () => {
  const ctx = useMigratedStore('xinstance');
  const clients: Client[] = [];
  let n = 0;
  const sid = (label: string) => `${label}-${++n}-${Date.now()}`;

  /** A new instance: its own client (optionally with client options) and its own store. */
  function instance(options: Partial<ChatHistoryStoreOptions> = {}, client: Client = createClient()): ChatHistoryStore {
    clients.push(client);
    return new ChatHistoryStore({ client, keyspace: ctx.keyspace, ...options });
  }

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.shutdown()));
  });

  /** Every read path of `store`, as content lists, checked against each other. */
  async function everyReadPath(store: ChatHistoryStore, sessionId: string): Promise<string[]> {
    const history = store.history(sessionId);
    const all = (await history.getMessages()).map((m) => m.content);
    const last = (await history.getMessages({ limit: 1000 })).map((m) => m.content);
    const iterated: string[] = [];
    for await (const m of history.iterate({ pageSize: 2 })) iterated.push(m.content);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await history.getPage({ pageSize: 2, cursor });
      paged.push(...page.messages.map((m) => m.content));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const newest = await history.getMessages({ limit: 1 });
    const before =
      newest.length > 0 ? (await history.getMessages({ limit: 1000, before: newest[0].id })).map((m) => m.content) : [];
    expect(last).toEqual(all);
    expect(iterated).toEqual(all);
    expect(paged).toEqual(all);
    expect(before).toEqual(all.slice(0, -1));
    expect(await history.count()).toBe(all.length);
    return all;
  }

  it("a write after another instance's sessions.delete stays visible to every read path", async () => {
    const a = instance();
    const b = instance();
    const session = await a.sessions.create({ userId: 'x-user', title: 'doomed' });
    await b.history(session.sessionId).addUserMessage('before delete');
    await a.sessions.delete(session.sessionId);
    await b.history(session.sessionId).addUserMessage('after delete');
    for (const reader of [a, b, instance()]) {
      expect(await everyReadPath(reader, session.sessionId)).toEqual(['after delete']);
    }
  });

  it("a write after another instance's clear() into a bucket the writer used before stays visible", async () => {
    const span = 60_000;
    const a = instance({ bucketSpan: span });
    const b = instance({ bucketSpan: span });
    const session = sid('clear');
    // Old buckets (10 and 9 minutes ago): clear() used to drop their index rows while b still
    // remembered them as recorded, so b's next write there got no index row.
    const old = Date.now() - 10 * span;
    await b.history(session).addMessage({ id: idAt(old), role: 'user', content: 'old 1' });
    await b.history(session).addMessage({ id: idAt(old + span), role: 'user', content: 'old 2' });
    await a.history(session).clear();
    await b.history(session).addMessage({ id: idAt(old + 1), role: 'user', content: 'old 1 again' });
    await b.history(session).addMessage({ id: idAt(old + span + 1), role: 'user', content: 'old 2 again' });
    expect(await everyReadPath(a, session)).toEqual(['old 1 again', 'old 2 again']);
  });

  it('trim() by one instance leaves what another writes afterwards visible', async () => {
    const span = 60_000;
    const a = instance({ bucketSpan: span });
    const b = instance({ bucketSpan: span });
    const session = sid('trim');
    const base = Date.now() - 20 * span;
    for (let i = 0; i < 6; i++)
      await b.history(session).addMessage({ id: idAt(base + i * span), role: 'user', content: `m${i}` });
    await a.history(session).trim({ keepLast: 2 });
    expect(await everyReadPath(a, session)).toEqual(['m4', 'm5']);
    await b
      .history(session)
      .addMessage({ id: idAt(base + span + 5), role: 'user', content: 'late into a trimmed bucket' });
    expect(await everyReadPath(a, session)).toEqual(['late into a trimmed bucket', 'm4', 'm5']);
  });

  it('a TTL write beside a permanent one never makes the permanent message disappear', async () => {
    const a = instance({ bucketSpan: 60_000 });
    const b = instance({ bucketSpan: 60_000 });
    const session = sid('ttl-mix');
    await a.history(session).addUserMessage('permanent');
    await b.history(session, { ttlSeconds: 2 }).addUserMessage('short-lived');
    await a.history(session).addMessages([{ role: 'user', content: 'permanent 2' }]);
    await b.history(session, { ttlSeconds: 2 }).addMessages([{ role: 'user', content: 'short-lived 2' }]);
    expect(await everyReadPath(a, session)).toEqual(['permanent', 'short-lived', 'permanent 2', 'short-lived 2']);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(await everyReadPath(b, session)).toEqual(['permanent', 'permanent 2']);
    // The index entry of a TTL write outlives its message, and the permanent row has no TTL at all.
    const rs = await ctx
      .client()
      .execute(
        `SELECT bucket, expiry_slots, TTL(expiry_slots) AS ttls FROM ${ctx.keyspace}.chat_message_buckets WHERE session_id = ?`,
        [session],
        { prepare: true },
      );
    expect(rs.rowLength).toBe(1);
  });

  it("a TTL-only bucket's index entry lives at least as long as its messages", async () => {
    const store = instance({ bucketSpan: 60_000 });
    const session = sid('ttl-only');
    await store.history(session, { ttlSeconds: 600 }).addUserMessage('ten minutes');
    const rs = await ctx
      .client()
      .execute(
        `SELECT TTL(content) AS message_ttl FROM ${ctx.keyspace}.chat_messages WHERE session_id = ? ALLOW FILTERING`,
        [session],
        { prepare: true },
      );
    const index = await ctx
      .client()
      .execute(
        `SELECT TTL(expiry_slots) AS ttls FROM ${ctx.keyspace}.chat_message_buckets WHERE session_id = ?`,
        [session],
        { prepare: true },
      );
    const messageTtl = Number(rs.first().get('message_ttl'));
    const entryTtls = (index.first().get('ttls') as number[]).map(Number);
    expect(entryTtls).toHaveLength(1);
    expect(entryTtls[0]).toBeGreaterThanOrEqual(messageTtl + 60);
  });

  it('refuses caller ids dated beyond the window (configurable) with a typed error, writing nothing', async () => {
    const store = instance();
    const session = sid('future');
    const future = idAt(Date.now() + 60 * 60_000);
    const refused = await store
      .history(session)
      .addMessage({ id: future, role: 'user', content: 'from the future' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MessageValidationError);
    expect((refused as MessageValidationError).issues.map((i) => [i.property, Object.keys(i.constraints)])).toEqual([
      ['id', ['idWindow']],
    ]);
    const batch = await store
      .history(session)
      .addMessages([
        { role: 'user', content: 'fine' },
        { id: future, role: 'user', content: 'late' },
      ])
      .catch((e: unknown) => e);
    expect((batch as MessageValidationError).issues.map((i) => i.property)).toEqual(['messages[1].id']);
    expect(await store.history(session).count()).toBe(0);
    // A recent message then survives trim: nothing dated ahead can squat the "newest" place.
    await store.history(session).addUserMessage('recent');
    await store.history(session).trim({ keepLast: 1 });
    expect((await store.history(session).getMessages()).map((m) => m.content)).toEqual(['recent']);
    const lenient = instance({ messageIdWindow: { futureMs: 2 * 60 * 60_000, pastMs: 60_000 } });
    await expect(
      lenient.history(session).addMessage({ id: future, role: 'user', content: 'allowed' }),
    ).resolves.toBeDefined();
    await expect(
      lenient.history(session).addMessage({ id: idAt(Date.now() - 10 * 60_000), role: 'user', content: 'too old' }),
    ).rejects.toBeInstanceOf(MessageValidationError);
  });

  /** A client whose write timestamps run `offsetMs` off the machine clock. */
  function skewedClient(offsetMs: number): Client {
    class SkewedGenerator extends policies.timestampGeneration.MonotonicTimestampGenerator {
      override getDate(): number {
        return Date.now() + offsetMs;
      }
    }
    return createClient({ policies: { timestampGeneration: new SkewedGenerator(1000, 1000) } });
  }

  it('tolerates writer clocks behind a clearer by up to clockSkewToleranceMs', async () => {
    const a = instance({ clockSkewToleranceMs: 300 });
    const behind = instance({ clockSkewToleranceMs: 300 }, skewedClient(-250));
    const ahead = instance({ clockSkewToleranceMs: 300 }, skewedClient(250));
    for (let round = 0; round < 3; round++) {
      const session = sid('skew');
      await ahead.history(session).addUserMessage('acknowledged before the clear (clock ahead)');
      await a.history(session).clear();
      await behind.history(session).addUserMessage('after the clear (clock behind)');
      expect(await everyReadPath(a, session)).toEqual(['after the clear (clock behind)']);
    }
  });

  it('beyond the tolerance a lagging writer loses writes made right after a clear (the documented limit)', async () => {
    const a = instance({ clockSkewToleranceMs: 0 });
    const behind = instance({ clockSkewToleranceMs: 0 }, skewedClient(-3000));
    const session = sid('skew-beyond');
    await behind.history(session).addUserMessage('before');
    await a.history(session).clear();
    await behind.history(session).addUserMessage('after, but stamped 3 s in the past');
    expect(await a.history(session).count()).toBe(0);
  });

  it("an activity write never reverts another instance's concurrent title change", async () => {
    const a = instance();
    const bClient = createClient();
    const b = instance({}, bClient);
    const session = await a.sessions.create({ userId: 'race-user', title: 'original' });
    // b's activity write is held until a has renamed the session: the interleaving that used to
    // write the stale title back.
    let renamed = false;
    const hold = async (query: unknown): Promise<void> => {
      if (!renamed && JSON.stringify(query).includes('chat_sessions')) {
        renamed = true;
        await a.sessions.update(session.sessionId, { title: 'renamed' });
      }
    };
    const execute = bClient.execute.bind(bClient);
    const batch = bClient.batch.bind(bClient);
    const held = bClient as unknown as Record<'execute' | 'batch', (...args: unknown[]) => unknown>;
    held.execute = async (...args: unknown[]) => {
      if (/UPDATE|INSERT/i.test(String(args[0]))) await hold(args[0]);
      return (execute as (...a: unknown[]) => unknown)(...args);
    };
    held.batch = async (...args: unknown[]) => {
      await hold(args[0]);
      return (batch as (...a: unknown[]) => unknown)(...args);
    };
    await b.history(session.sessionId).addUserMessage('hello');
    expect(renamed).toBe(true);
    const after = await a.sessions.get(session.sessionId);
    expect(after?.title).toBe('renamed');
    expect(after!.lastActivityAt.getTime()).toBeGreaterThanOrEqual(session.lastActivityAt.getTime());
    expect((await a.sessions.listByUser('race-user')).sessions.map((s) => s.title)).toEqual(['renamed']);
  });

  it('two instances creating one session id at once: exactly one wins, and it is listed once', async () => {
    const a = instance();
    const b = instance();
    for (let round = 0; round < 8; round++) {
      const sessionId = sid('dup');
      const outcomes = await Promise.allSettled([
        a.sessions.create({ sessionId, userId: 'dup-user', title: 'a' }),
        b.sessions.create({ sessionId, userId: 'dup-user', title: 'b' }),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((o) => o.reason)).toEqual([expect.any(SessionAlreadyExistsError)]);
    }
    const listed = (await a.sessions.listByUser('dup-user', { limit: 100 })).sessions.map((s) => s.sessionId);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toHaveLength(8);
  });

  it('an add whose activity write fails still resolves (stored once); a failed add names its ids for the retry', async () => {
    const client = createClient();
    const store = instance({}, client);
    const session = await store.sessions.create({ userId: 'flaky', title: 't' });
    const history = store.history(session.sessionId);
    const execute = client.execute.bind(client);
    const batch = client.batch.bind(client);
    const patched = client as unknown as Record<'execute' | 'batch', (...args: unknown[]) => unknown>;
    let failSessionWrites = true;
    // Any write of the session record fails, whichever statement or batch carries it.
    const writesSession = (query: unknown) =>
      /(UPDATE|INSERT INTO)\s+[\w."]*chat_sessions\b/i.test(JSON.stringify(query));
    const timeout = () => new errors.OperationTimedOutError('held', '127.0.0.1:9042');
    patched.execute = async (...args: unknown[]) => {
      if (failSessionWrites && writesSession(args[0])) throw timeout();
      return (execute as (...a: unknown[]) => unknown)(...args);
    };
    patched.batch = async (...args: unknown[]) => {
      if (failSessionWrites && writesSession(args[0])) throw timeout();
      return (batch as (...a: unknown[]) => unknown)(...args);
    };
    await history.addUserMessage('stored once');
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['stored once']);

    // The message write itself applied, then timed out for the client: the error carries the ids.
    // (A single node replicates everything, so the write is one prepared statement: an execute.)
    failSessionWrites = false;
    const writesMessages = (query: unknown) => /INSERT INTO\s+[\w."]*chat_messages\b/i.test(JSON.stringify(query));
    let timedOut = 0;
    const appliedThenTimedOut =
      (send: (...a: unknown[]) => Promise<unknown>) =>
      async (...args: unknown[]): Promise<unknown> => {
        const result = await send(...args);
        if (!writesMessages(args[0])) return result;
        timedOut += 1;
        throw new errors.OperationTimedOutError('applied, then timed out', '127.0.0.1:9042');
      };
    patched.batch = appliedThenTimedOut(batch as (...a: unknown[]) => Promise<unknown>);
    patched.execute = appliedThenTimedOut(execute as (...a: unknown[]) => Promise<unknown>);
    const failure = await history.addUserMessage('unknown outcome').catch((e: unknown) => e);
    expect(timedOut).toBe(1);
    expect(failure).toBeInstanceOf(RequestTimeoutError);
    const ids = (failure as RequestTimeoutError).messageIds;
    expect(ids).toHaveLength(1);
    patched.batch = batch as unknown as (...args: unknown[]) => unknown;
    patched.execute = execute as unknown as (...args: unknown[]) => unknown;
    await history.addMessage({ id: ids![0], role: 'user', content: 'unknown outcome' });
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['stored once', 'unknown outcome']);
  });

  it('a mixed-case keyspace name means the same keyspace everywhere (CQL folds it to lower case)', async () => {
    const upper = ctx.keyspace.toUpperCase();
    const store = instance();
    const shouting = new ChatHistoryStore({ client: ctx.client(), keyspace: upper });
    expect(shouting.keyspace).toBe(ctx.keyspace);
    const session = sid('case');
    await shouting.history(session).addUserMessage('loud');
    expect((await store.history(session).getMessages()).map((m) => m.content)).toEqual(['loud']);
  });

  it('last-N reads a bounded number of index rows, and counts and clears keep at most 8 requests in flight', async () => {
    const client = createClient();
    const store = instance({ bucketSpan: 60_000 }, client);
    const session = sid('fanout');
    const base = Date.now() - 3 * 60 * 60_000;
    // 150 buckets, one message each.
    const messages = Array.from({ length: 150 }, (_, i) => ({
      id: idAt(base + i * 60_000),
      role: 'user' as const,
      content: `b${i}`,
    }));
    for (let i = 0; i < messages.length; i += 50) await store.history(session).addMessages(messages.slice(i, i + 50));

    const execute = client.execute.bind(client);
    const patched = client as unknown as Record<'execute', (...args: unknown[]) => unknown>;
    let indexRows = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    patched.execute = async (...args: unknown[]) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const rs = (await (execute as (...a: unknown[]) => Promise<types.ResultSet>)(...args)) as types.ResultSet;
        if (/FROM .*chat_message_buckets/i.test(String(args[0])) && /SELECT/i.test(String(args[0])))
          indexRows += rs.rowLength;
        return rs;
      } finally {
        inFlight--;
      }
    };
    const last: ChatMessage[] = await store.history(session).getMessages({ limit: 3 });
    expect(last.map((m) => m.content)).toEqual(['b147', 'b148', 'b149']);
    expect(indexRows).toBeLessThanOrEqual(8);
    maxInFlight = 0;
    expect(await store.history(session).count()).toBe(150);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    maxInFlight = 0;
    await store.history(session).clear();
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(await store.history(session).count()).toBe(0);
  });

  it('a store whose client connected before another process migrated the keyspace works at once', async () => {
    const keyspace = uniqueKeyspaceName('stale_meta');
    // Schema events debounced for a minute: the driver's metadata lags as it does under load.
    const early = createClient({ refreshSchemaDelay: 60_000 });
    clients.push(early);
    await early.connect();
    const migrator = createClient();
    try {
      await new MigrationRunner({ client: migrator, keyspace }).up();
    } finally {
      await migrator.shutdown();
    }
    const store = new ChatHistoryStore({ client: early, keyspace });
    try {
      await store.history('s').addUserMessage('works');
      expect(await store.history('s').count()).toBe(1);
    } finally {
      await ctx.client().execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    }
  });
});
