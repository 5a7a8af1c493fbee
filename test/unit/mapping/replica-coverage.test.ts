import type { Client } from 'cassandra-driver';
import { ReplicaCoverage } from '../../../src/mapping/replica-coverage';

/** A stand-in for the driver Client's topology: `hosts.length` and `getReplicas`. */
function topology(hosts: number, replicas: () => readonly unknown[] | null) {
  const seen: Buffer[] = [];
  const client = {
    hosts: { length: hosts },
    getReplicas: (keyspace: string, key: Buffer) => {
      expect(keyspace).toBe('chat');
      seen.push(key);
      return replicas();
    },
  };
  return { client: client as unknown as Client, seen, set: (n: number) => (client.hosts = { length: n }) };
}

describe('ReplicaCoverage: may a write skip token-aware routing?', () => {
  it('yes when the replicas of a token are every known node (one node, or RF >= nodes)', () => {
    expect(new ReplicaCoverage(topology(1, () => ['a']).client, 'chat').everyNodeIsAReplica(0)).toBe(true);
    expect(new ReplicaCoverage(topology(3, () => ['a', 'b', 'c']).client, 'chat').everyNodeIsAReplica(0)).toBe(true);
  });

  it('no when some node holds no replica (RF below the node count)', () => {
    expect(new ReplicaCoverage(topology(3, () => ['a']).client, 'chat').everyNodeIsAReplica(0)).toBe(false);
    expect(new ReplicaCoverage(topology(6, () => ['a', 'b', 'c']).client, 'chat').everyNodeIsAReplica(0)).toBe(false);
  });

  it('no while the topology is unknown: no token map or keyspace yet, no hosts, a client without topology', () => {
    expect(new ReplicaCoverage(topology(3, () => null).client, 'chat').everyNodeIsAReplica(0)).toBe(false);
    expect(new ReplicaCoverage(topology(0, () => []).client, 'chat').everyNodeIsAReplica(0)).toBe(false);
    const failing = topology(1, () => {
      throw new Error('metadata not ready');
    });
    expect(new ReplicaCoverage(failing.client, 'chat').everyNodeIsAReplica(0)).toBe(false);
    expect(new ReplicaCoverage({} as unknown as Client, 'chat').everyNodeIsAReplica(0)).toBe(false);
  });

  it('answers from one look for 10 s, then looks again (a node joined)', () => {
    const t = topology(3, () => ['a', 'b', 'c']);
    const coverage = new ReplicaCoverage(t.client, 'chat');
    expect(coverage.everyNodeIsAReplica(1_000)).toBe(true);
    t.set(4);
    expect(coverage.everyNodeIsAReplica(10_999)).toBe(true);
    expect(t.seen).toHaveLength(1);
    expect(coverage.everyNodeIsAReplica(11_000)).toBe(false);
    expect(t.seen).toHaveLength(2);
  });
});
