import { types } from 'cassandra-driver';
import { useFreshKeyspace } from '../support/cassandra';

// Proves the wiring: a real node, a fresh keyspace, prepared writes and ordered reads.
describe('the real Cassandra node', () => {
  const ctx = useFreshKeyspace('wiring');

  it('runs Apache Cassandra 5.0', async () => {
    const rs = await ctx.client().execute('SELECT release_version FROM system.local');
    expect(rs.first().get('release_version')).toMatch(/^5\.0\./);
  });

  it('writes rows with prepared statements and reads them back in clustering order', async () => {
    const client = ctx.client();
    const ks = ctx.keyspace;
    await client.execute(
      `CREATE TABLE ${ks}.events (stream text, seq int, body text, at timestamp, PRIMARY KEY ((stream), seq)) WITH CLUSTERING ORDER BY (seq DESC)`,
    );
    const insert = `INSERT INTO ${ks}.events (stream, seq, body, at) VALUES (?, ?, ?, ?)`;
    const bodies = ['zéro', '一', 'two 🚀', "th'ree", ''];
    for (let i = 0; i < bodies.length; i++) {
      await client.execute(insert, ['s1', i, bodies[i], new Date(1_700_000_000_000 + i)], { prepare: true });
    }
    await client.execute(insert, ['s2', 0, 'other stream', new Date()], { prepare: true });

    const rs = await client.execute(`SELECT seq, body, at FROM ${ks}.events WHERE stream = ?`, ['s1'], {
      prepare: true,
    });
    expect(rs.rows.map((r) => r.get('seq'))).toEqual([4, 3, 2, 1, 0]);
    expect(rs.rows.map((r) => r.get('body'))).toEqual([...bodies].reverse());
    expect((rs.rows[4].get('at') as Date).getTime()).toBe(1_700_000_000_000);

    const limited = await client.execute(`SELECT seq FROM ${ks}.events WHERE stream = ? LIMIT 2`, ['s1'], {
      prepare: true,
    });
    expect(limited.rows.map((r) => r.get('seq'))).toEqual([4, 3]);
  });

  it('binds values as parameters, never as CQL text', async () => {
    const client = ctx.client();
    const ks = ctx.keyspace;
    await client.execute(`CREATE TABLE ${ks}.kv (k text PRIMARY KEY, v text)`);
    const hostile = "x'); DROP KEYSPACE system; --";
    await client.execute(`INSERT INTO ${ks}.kv (k, v) VALUES (?, ?)`, [hostile, hostile], { prepare: true });
    const rs = await client.execute(`SELECT v FROM ${ks}.kv WHERE k = ?`, [hostile], { prepare: true });
    expect(rs.first().get('v')).toBe(hostile);
    const count = await client.execute(`SELECT count(*) FROM ${ks}.kv`);
    expect((count.first().get('count') as types.Long).toNumber()).toBe(1);
  });
});
