import type { Client } from 'cassandra-driver';

/** How long an answer stands before the topology is looked at again (nodes join, keyspaces change). */
const RECHECK_MS = 10_000;

/** Any routing key: when every node replicates one token of the keyspace, it replicates all of them. */
const SAMPLE_ROUTING_KEY = Buffer.from('cassandra-chat-history');

/** What this reads of a driver Client; the testing kit's stand-in has none of it. */
interface TopologyView {
  readonly hosts?: { readonly length: number };
  getReplicas?(keyspace: string, routingKey: Buffer): readonly unknown[] | null;
}

/**
 * Whether every node the client knows is a replica of every partition of the keyspace (one node;
 * three nodes with replication factor 3; each data centre with no more nodes than its replication
 * factor). Then a statement the driver cannot route by token (MessageBatchStatement) goes to a
 * replica anyway, and token-aware routing has nothing to add.
 *
 * The test: the replicas of one token are all the known nodes. With at most RF(dc) replicas per data
 * centre, that holds for one token only when RF(dc) >= nodes(dc) everywhere, hence for every token.
 * Unknown (no token map or keyspace metadata yet, metadata sync off, a client without topology)
 * answers false: the caller keeps token-aware writes.
 */
export class ReplicaCoverage {
  private covered = false;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: Client,
    private readonly keyspace: string,
  ) {}

  everyNodeIsAReplica(now: number = Date.now()): boolean {
    if (now - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = now;
      this.covered = this.check();
    }
    return this.covered;
  }

  private check(): boolean {
    const view = this.client as unknown as TopologyView;
    if (typeof view.getReplicas !== 'function' || view.hosts === undefined) return false;
    try {
      const replicas = view.getReplicas(this.keyspace, SAMPLE_ROUTING_KEY);
      return Array.isArray(replicas) && view.hosts.length > 0 && replicas.length >= view.hosts.length;
    } catch {
      return false;
    }
  }
}
