import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { types } from 'cassandra-driver';
import { ChatHistoryStore } from '../../../src';
import { useFreshKeyspace } from '../../support/cassandra';
import { applySchema } from '../../support/schema';
import type { WorkerMessage } from './append-worker';
import { insertMessage, readAllMessages } from './raw-messages';

const PER_PROCESS = 5_000;

function startWorker(args: string[]): {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<WorkerMessage & { type: 'done' }>;
} {
  const child = fork(join(__dirname, 'append-worker.ts'), args, {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) => {
    child.on('exit', (code) => reject(new Error(`worker exited with code ${code} before reporting`)));
    child.on('error', reject);
  });
  // Unawaited branches of a race must not surface as unhandled rejections.
  exited.catch(() => undefined);
  const message = (type: WorkerMessage['type']): Promise<WorkerMessage> =>
    Promise.race([
      new Promise<WorkerMessage>((resolve) => {
        child.on('message', (m: WorkerMessage) => {
          if (m.type === type) resolve(m);
        });
      }),
      exited,
    ]);
  const ready = message('ready').then(() => undefined);
  const done = message('done') as Promise<WorkerMessage & { type: 'done' }>;
  return { child, ready, done };
}

// Writers in separate OS processes and hundreds of sessions through one pool: nothing lost, nothing
// doubled, every writer's messages in its own order.
describe('concurrent appends', () => {
  const ctx = useFreshKeyspace('concurrency');
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await applySchema(ctx.client(), ctx.keyspace);
  });

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  /** Every message of a session, oldest first, read the way its writer wrote it. */
  async function readBack(path: 'facade' | 'raw', session: string): Promise<{ id: string; content: string }[]> {
    if (path === 'raw') {
      return (await readAllMessages(ctx.client(), ctx.keyspace, session)).map((m) => ({
        id: m.id.toString(),
        content: m.content,
      }));
    }
    const store = new ChatHistoryStore({ client: ctx.client(), keyspace: ctx.keyspace });
    const messages: { id: string; content: string }[] = [];
    for await (const m of store.history(session).iterate({ order: 'asc' }))
      messages.push({ id: m.id, content: m.content });
    return messages;
  }

  it.each(['facade', 'raw'] as const)(
    `keeps exactly 2 × ${PER_PROCESS} messages from two processes appending to one session, each in its own order (%s)`,
    async (path) => {
      const session = `shared-session-${path}`;
      const workers = ['A', 'B'].map((writer) =>
        startWorker([ctx.keyspace, session, writer, String(PER_PROCESS), '32', path]),
      );
      children.push(...workers.map((w) => w.child));
      await Promise.all(workers.map((w) => w.ready));
      // Released together, so the two streams really interleave.
      workers.forEach((w) => w.child.send('go'));
      const reports = await Promise.all(workers.map((w) => w.done));

      for (const report of reports) {
        expect(report.errors).toEqual([]);
        expect(report.acknowledged).toBe(PER_PROCESS);
      }
      const stored = await readBack(path, session);
      expect(stored).toHaveLength(2 * PER_PROCESS);
      expect(new Set(stored.map((m) => m.id)).size).toBe(2 * PER_PROCESS);
      const expectedSeqs = Array.from({ length: PER_PROCESS }, (_, i) => i);
      for (const writer of ['A', 'B']) {
        // Timeuuid order (the table's) restricted to one writer is exactly that writer's order.
        const seqs = stored
          .filter((m) => m.content.startsWith(`${writer}#`))
          .map((m) => Number(m.content.split('#')[1]));
        expect(seqs).toEqual(expectedSeqs);
      }
      // The two writers really overlapped: neither one's messages form a single block.
      const writerRuns = stored.reduce(
        (runs, m, i) => (i > 0 && m.content[0] !== stored[i - 1].content[0] ? runs + 1 : runs),
        1,
      );
      expect(writerRuns).toBeGreaterThan(2);
    },
    150_000,
  );

  it.each(['facade', 'raw'] as const)(
    'serves hundreds of sessions in parallel through one client without errors or lost writes (%s)',
    async (path) => {
      const client = ctx.client();
      const store = new ChatHistoryStore({ client, keyspace: ctx.keyspace });
      const sessions = Array.from({ length: 300 }, (_, i) => `parallel-${path}-${i}`);
      const perSession = 20;
      const failures: unknown[] = [];
      await Promise.all(
        sessions.map(async (session) => {
          for (let seq = 0; seq < perSession; seq++) {
            const content = `${session}#${seq}`;
            const write =
              path === 'facade'
                ? store.history(session).addMessage({ role: 'user', content })
                : insertMessage(client, ctx.keyspace, session, { id: types.TimeUuid.now(), content });
            await write.catch((error: unknown) => failures.push(error));
          }
        }),
      );
      expect(failures).toEqual([]);

      const contents = await Promise.all(
        sessions.map((s) => (path === 'facade' ? store.history(s).getMessages() : readBack('raw', s))),
      );
      contents.forEach((messages, i) => {
        expect(messages.map((m) => m.content)).toEqual(
          Array.from({ length: perSession }, (_, seq) => `${sessions[i]}#${seq}`),
        );
      });
    },
    120_000,
  );
});
