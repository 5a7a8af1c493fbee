import { types } from 'cassandra-driver';
import { ChatHistoryStore, MigrationRunner, SchemaNotMigratedError } from '../../../src';
import { useFreshKeyspace } from '../../support/cassandra';
import { idAt } from '../../support/store';

const DAY = 24 * 60 * 60_000;

/**
 * A keyspace at schema version 1 that already holds data written the version-1 way (index rows by
 * INSERT, with the TTL of whoever wrote last), upgraded to version 2 while it keeps its data.
 */
describe('upgrading a V1 keyspace that holds data', () => {
  const ctx = useFreshKeyspace('v1_upgrade', { create: false });

  /** What the version-1 writer did for one message: the message row, and an INSERTed index row. */
  async function writeV1(sessionId: string, id: string, content: string, ttl?: number): Promise<void> {
    const ks = ctx.keyspace;
    const bucket = Math.floor(types.TimeUuid.fromString(id).getDate().getTime() / DAY) * DAY;
    const using = ttl ? ` USING TTL ${ttl}` : '';
    const client = ctx.client();
    await client.execute(
      `UPDATE ${ks}.chat_message_buckets SET bucket_span_ms = ? WHERE session_id = ? IF bucket_span_ms = null`,
      [DAY, sessionId],
      {
        prepare: true,
      },
    );
    await client.execute(
      `INSERT INTO ${ks}.chat_messages (session_id, bucket, message_id, role, content, metadata) VALUES (?, ?, ?, 'user', ?, '{}')${using}`,
      [sessionId, bucket, id, content],
      { prepare: true },
    );
    const markerTtl = ttl ? ` USING TTL ${ttl + DAY / 1000 + 3600}` : '';
    await client.execute(
      `INSERT INTO ${ks}.chat_message_buckets (session_id, bucket) VALUES (?, ?)${markerTtl}`,
      [sessionId, bucket],
      { prepare: true },
    );
  }

  it('keeps every message readable, refuses to run before the upgrade, and writes the new way after it', async () => {
    const client = ctx.client();
    const runner = new MigrationRunner({ client, keyspace: ctx.keyspace });
    const applied = await runner.up({ target: 1 });
    expect(applied.map((m) => m.version)).toEqual([1]);

    const now = Date.now();
    await writeV1('old-permanent', idAt(now - 2 * DAY), 'two days ago');
    await writeV1('old-permanent', idAt(now - 60_000), 'a minute ago');
    await writeV1('old-ttl', idAt(now - 30_000), 'expiring', 3600);

    // Version-2 code on a version-1 keyspace: a typed error that says to migrate, before any write.
    const store = new ChatHistoryStore({ client, keyspace: ctx.keyspace });
    const early = await store
      .history('old-permanent')
      .addUserMessage('too early')
      .catch((e: unknown) => e);
    expect(early).toBeInstanceOf(SchemaNotMigratedError);
    expect((early as Error).message).toMatch(/chat_message_buckets\.expiry_slots/);

    expect((await runner.up()).map((m) => m.version)).toEqual([2, 3]);
    const upgraded = new ChatHistoryStore({ client, keyspace: ctx.keyspace });
    expect((await upgraded.history('old-permanent').getMessages()).map((m) => m.content)).toEqual([
      'two days ago',
      'a minute ago',
    ]);
    expect((await upgraded.history('old-permanent').getMessages({ limit: 1 })).map((m) => m.content)).toEqual([
      'a minute ago',
    ]);
    expect((await upgraded.history('old-ttl').getMessages()).map((m) => m.content)).toEqual(['expiring']);

    // New writes land beside the old rows; a TTL write into the old permanent bucket leaves its
    // row marker alone (the mixed-TTL fix applies to upgraded rows too).
    await upgraded.history('old-permanent', { ttlSeconds: 60 }).addUserMessage('new, expiring');
    await upgraded.history('old-permanent').addUserMessage('new, permanent');
    const contents = (await upgraded.history('old-permanent').getMessages()).map((m) => m.content);
    expect(contents).toEqual(['two days ago', 'a minute ago', 'new, expiring', 'new, permanent']);
    expect(await upgraded.history('old-permanent').count()).toBe(4);
    const rows = await client.execute(
      `SELECT bucket, expiry_slots FROM ${ctx.keyspace}.chat_message_buckets WHERE session_id = ?`,
      ['old-permanent'],
      {
        prepare: true,
      },
    );
    expect(rows.rowLength).toBe(2);
    expect(
      rows.rows.some((r) => Array.isArray(r.get('expiry_slots')) && (r.get('expiry_slots') as unknown[]).length === 1),
    ).toBe(true);

    // Status agrees: every version applied (V3, the LangGraph tables, came along), nothing pending.
    const status = await runner.status();
    expect(status.entries.map((s) => [s.version, s.state])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'applied'],
    ]);
  });
});
