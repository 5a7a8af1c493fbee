/**
 * One worker process of `npm run check:consistency`: its own client and ChatHistoryStore, a random
 * mix of operations on the shared sessions (seeded per worker), every invocation and completion
 * appended to the history file synchronously. Uses the package's public API (and src/config) only.
 *
 * argv[2]: a JSON {@link WorkerConfig}. IPC: sends `ready` once connected; stops after its current
 * operation on `stop`. Mode `final` is the quiescent-phase reader: every read path on every session
 * once, then exit.
 */
import 'reflect-metadata';
import { policies } from 'cassandra-driver';
import {
  AuthenticationError,
  AuthorizationError,
  ChatHistoryStore,
  ConfigurationError,
  InvalidCursorError,
  MessageValidationError,
  newMessageId,
  SchemaNotMigratedError,
  SessionAlreadyExistsError,
  SessionNotFoundError,
  UnavailableError,
  type ChatMessage,
  type NewChatMessage,
} from '../../src';
import { createClient } from '../../src/config';
import { appendEvent, now, type InvokeEvent, type OkEvent, type ReadPath } from './history';
import { Prng } from './prng';

export interface WorkerConfig {
  readonly historyFile: string;
  readonly keyspace: string;
  readonly worker: string;
  readonly seed: number;
  /** Added to this worker's Cassandra write timestamps (never to history times). */
  readonly skewMs: number;
  readonly sessions: readonly string[];
  readonly userId: string;
  readonly mode: 'run' | 'final';
  /** false: no deleteMessage, trim, clear or sessions.delete (a run where nothing may disappear but TTLs). */
  readonly removals: boolean;
  readonly bucketSpanMs: number;
}

export type WorkerToParent = { readonly type: 'ready' } | { readonly type: 'stopped'; readonly operations: number };
export type ParentToWorker = { readonly type: 'stop' };

/**
 * Error classes the package documents as "nothing was written / executed": an operation failing
 * with one of them certainly had no effect. Any other error leaves the outcome unknown.
 */
const DEFINITE_FAILURES = [
  MessageValidationError,
  UnavailableError,
  SessionNotFoundError,
  SessionAlreadyExistsError,
  InvalidCursorError,
  SchemaNotMigratedError,
  ConfigurationError,
  AuthenticationError,
  AuthorizationError,
];

const TTLS = [8, 15, 30];

type Action =
  | 'add'
  | 'addBatch'
  | 'readAll'
  | 'readLimit'
  | 'readBefore'
  | 'pagesAsc'
  | 'pagesDesc'
  | 'iterateAsc'
  | 'iterateDesc'
  | 'count'
  | 'deleteMessage'
  | 'trim'
  | 'clear'
  | 'sessionCreate'
  | 'sessionUpdate'
  | 'sessionDelete'
  | 'sessionGet'
  | 'sessionList';

const WEIGHTS: Readonly<Record<Action, number>> = {
  add: 30,
  addBatch: 10,
  readAll: 6,
  readLimit: 5,
  readBefore: 3,
  pagesAsc: 3,
  pagesDesc: 3,
  iterateAsc: 2,
  iterateDesc: 2,
  count: 4,
  deleteMessage: 3,
  trim: 1.5,
  clear: 1,
  sessionCreate: 1.5,
  sessionUpdate: 3,
  sessionDelete: 0.5,
  sessionGet: 3,
  sessionList: 2,
};

const REMOVAL_ACTIONS: readonly Action[] = ['deleteMessage', 'trim', 'clear', 'sessionDelete'];

/** The driver's monotonic generator on a clock that runs `skewMs` off: only write timestamps move. */
class SkewedTimestamps extends policies.timestampGeneration.MonotonicTimestampGenerator {
  constructor(private readonly skewMs: number) {
    // No drift warnings: the skew is deliberate.
    super(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  override getDate(): number {
    return Date.now() + this.skewMs;
  }
}

type Completion = Omit<OkEvent, 'type' | 'op' | 'time'>;

class Worker {
  private readonly prng: Prng;
  private readonly store: ChatHistoryStore;
  private readonly client: ReturnType<typeof createClient>;
  /** Ids this worker saw per session, for deleteMessage and `before` reads. */
  private readonly knownIds = new Map<string, string[]>();
  private opNo = 0;
  stopping = false;

  constructor(private readonly config: WorkerConfig) {
    this.prng = Prng.derive(config.seed, config.worker);
    this.client = createClient(
      config.skewMs !== 0 ? { policies: { timestampGeneration: new SkewedTimestamps(config.skewMs) } } : {},
    );
    this.store = new ChatHistoryStore({
      client: this.client,
      keyspace: config.keyspace,
      bucketSpan: config.bucketSpanMs,
    });
  }

  /** A replacement may start while the node is frozen: it keeps trying for a minute. */
  async connect(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await this.store.ready();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
  }

  async close(): Promise<void> {
    await Promise.race([this.client.shutdown(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }

  get operations(): number {
    return this.opNo;
  }

  async runMix(): Promise<void> {
    const weights: Record<Action, number> = { ...WEIGHTS };
    if (!this.config.removals) for (const action of REMOVAL_ACTIONS) weights[action] = 0;
    // Every worker creates every session at start: concurrent creates of one id are part of the test.
    for (const session of this.config.sessions) {
      if (this.stopping) return;
      await this.act('sessionCreate', session);
    }
    while (!this.stopping) {
      const action = this.prng.weighted(weights);
      const session = this.prng.pick(this.config.sessions);
      await this.act(action, session);
      // A short pause keeps the machine (shared with other nodes) responsive.
      await sleep(this.prng.int(0, 15));
    }
  }

  async runFinal(): Promise<void> {
    const reads: Action[] = [
      'readAll',
      'pagesAsc',
      'pagesDesc',
      'iterateAsc',
      'iterateDesc',
      'count',
      'readLimit',
      'sessionGet',
    ];
    for (const session of this.config.sessions) for (const action of reads) await this.act(action, session);
    await this.act('sessionList', this.config.sessions[0]);
  }

  /**
   * Draws every random value an action may need up front, the same number each time, so a seed
   * replays the same schedule whatever the outcomes were.
   */
  private async act(action: Action, session: string): Promise<void> {
    const r = { a: this.prng.next(), b: this.prng.next(), c: this.prng.next(), d: this.prng.next() };
    const op = `${this.config.worker}.${++this.opNo}`;
    const base = { type: 'invoke' as const, op, worker: this.config.worker, session };
    const ttlSeconds = r.c < 0.25 ? TTLS[Math.floor(r.d * TTLS.length)] : undefined;
    const history = this.store.history(session, ttlSeconds !== undefined ? { ttlSeconds } : {});
    const known = this.knownIds.get(session) ?? [];
    const knownId = known.length > 0 ? known[Math.floor(r.a * known.length)] : undefined;
    switch (action) {
      case 'add':
      case 'addBatch': {
        const size = action === 'add' ? 1 : 2 + Math.floor(r.a * 3);
        // Caller ids for about 40% of the messages (a bit pattern of r.b picks which).
        const bits = Math.floor(r.b * 1024);
        const messages = Array.from({ length: size }, (_, i) => ({
          token: `${op}.${i}`,
          ...((bits >> i) % 5 < 2 ? { id: newMessageId() } : {}),
        }));
        const input: NewChatMessage[] = messages.map((m) => ({
          ...(m.id ? { id: m.id } : {}),
          role: 'user',
          content: m.token,
        }));
        await this.record({ ...base, kind: 'add', messages, batch: action === 'addBatch', ttlSeconds }, async () => {
          const stored = action === 'add' ? [await history.addMessage(input[0])] : await history.addMessages(input);
          this.remember(session, stored);
          return { ids: stored.map((m) => m.id) };
        });
        return;
      }
      case 'readAll':
        return this.read(base, 'all', {}, () => history.getMessages());
      case 'readLimit': {
        const limit = 1 + Math.floor(r.b * 20);
        return this.read(base, 'limit', { limit }, () => history.getMessages({ limit }));
      }
      case 'readBefore': {
        const limit = 1 + Math.floor(r.b * 20);
        if (knownId === undefined) return this.read(base, 'limit', { limit }, () => history.getMessages({ limit }));
        return this.read(base, 'before', { limit, before: knownId }, () =>
          history.getMessages({ limit, before: knownId }),
        );
      }
      case 'pagesAsc':
      case 'pagesDesc': {
        const order = action === 'pagesAsc' ? 'asc' : 'desc';
        const pageSize = 2 + Math.floor(r.b * 8);
        return this.read(base, action, {}, async () => {
          const all: ChatMessage[] = [];
          let cursor: string | undefined;
          do {
            const page = await history.getPage({ pageSize, order, ...(cursor !== undefined ? { cursor } : {}) });
            all.push(...page.messages);
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          return all;
        });
      }
      case 'iterateAsc':
      case 'iterateDesc': {
        const order = action === 'iterateAsc' ? 'asc' : 'desc';
        const pageSize = 2 + Math.floor(r.b * 49);
        return this.read(base, action, {}, async () => {
          const all: ChatMessage[] = [];
          for await (const m of history.iterate({ order, pageSize })) all.push(m);
          return all;
        });
      }
      case 'count':
        return this.record({ ...base, kind: 'count' }, async () => ({ count: await history.count() }));
      case 'deleteMessage':
        if (knownId === undefined)
          return this.record({ ...base, kind: 'count' }, async () => ({ count: await history.count() }));
        return this.record({ ...base, kind: 'deleteMessage', id: knownId }, async () => {
          await history.deleteMessage(knownId);
          return {};
        });
      case 'trim': {
        const keepLast = 2 + Math.floor(r.b * 19);
        return this.record({ ...base, kind: 'trim', keepLast }, async () => {
          await history.trim({ keepLast });
          return {};
        });
      }
      case 'clear':
        return this.record({ ...base, kind: 'clear' }, async () => {
          await history.clear();
          return {};
        });
      case 'sessionCreate': {
        const title = `title ${op}`;
        return this.record({ ...base, kind: 'sessionCreate', title }, async () => {
          await this.store.sessions.create({ sessionId: session, userId: this.config.userId, title });
          return {};
        });
      }
      case 'sessionUpdate': {
        const title = `title ${op}`;
        return this.record({ ...base, kind: 'sessionUpdate', title }, async () => {
          await this.store.sessions.update(session, { title });
          return {};
        });
      }
      case 'sessionDelete':
        return this.record({ ...base, kind: 'sessionDelete' }, async () => {
          await this.store.sessions.delete(session);
          return {};
        });
      case 'sessionGet':
        return this.record({ ...base, kind: 'sessionGet' }, async () => {
          const found = await this.store.sessions.get(session);
          return { session: found ? { title: found.title } : null };
        });
      case 'sessionList':
        return this.record({ ...base, kind: 'sessionList' }, async () => {
          const listed: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const page = await this.store.sessions.listByUser(this.config.userId, {
              limit: 20,
              ...(cursor !== undefined ? { cursor } : {}),
            });
            listed.push(...page.sessions.map((s) => s.sessionId));
            cursor = page.nextCursor;
          } while (cursor !== undefined && ++pages < 20);
          return { listed };
        });
    }
  }

  private read(
    base: Pick<InvokeEvent, 'type' | 'op' | 'worker' | 'session'>,
    path: ReadPath,
    args: { limit?: number; before?: string },
    call: () => Promise<ChatMessage[]>,
  ): Promise<void> {
    return this.record({ ...base, kind: 'read', path, ...args }, async () => {
      const messages = await call();
      this.remember(base.session, messages);
      return { messages: messages.map((m) => [m.id, m.content] as const) };
    });
  }

  private remember(session: string, messages: readonly ChatMessage[]): void {
    const known = this.knownIds.get(session) ?? [];
    known.push(...messages.map((m) => m.id));
    // The most recent ones are the interesting targets; a bounded list keeps picks cheap.
    this.knownIds.set(session, known.slice(-200));
  }

  private async record(invoke: Omit<InvokeEvent, 'time'>, call: () => Promise<Completion>): Promise<void> {
    const file = this.config.historyFile;
    appendEvent(file, { ...invoke, time: now() });
    try {
      const result = await call();
      appendEvent(file, { type: 'ok', op: invoke.op, time: now(), ...result });
    } catch (error) {
      const definite = DEFINITE_FAILURES.some((cls) => error instanceof cls);
      appendEvent(file, {
        type: definite ? 'fail' : 'info',
        op: invoke.op,
        time: now(),
        error: error instanceof Error ? error.constructor.name : typeof error,
        message: error instanceof Error ? error.message.slice(0, 300) : String(error),
      });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
  const worker = new Worker(config);
  process.on('message', (message: ParentToWorker) => {
    if (message.type === 'stop') worker.stopping = true;
  });
  // The parent is gone (crashed or killed): no orphan keeps writing into the keyspace.
  process.on('disconnect', () => process.exit(3));
  await worker.connect();
  process.send?.({ type: 'ready' } satisfies WorkerToParent);
  if (config.mode === 'final') await worker.runFinal();
  else await worker.runMix();
  await worker.close();
  process.send?.({ type: 'stopped', operations: worker.operations } satisfies WorkerToParent);
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(`[worker] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
