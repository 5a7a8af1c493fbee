import { execFile } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { policies, types, type Client, type ClientOptions } from 'cassandra-driver';
import { createClient, type Environment } from '../../../src/config';

/**
 * The local 3-node cluster of scripts/cassandra/cluster.sh, as the cluster tests see it. Every
 * start, stop and kill goes through the script, never by hand.
 */
export interface ClusterNode {
  /** 1..3, the argument of `cluster.sh kill9 N` and friends. */
  readonly index: 1 | 2 | 3;
  readonly address: string;
  /** `address:port`, as the driver names hosts. */
  readonly host: string;
}

export const CLUSTER_NODES: readonly ClusterNode[] = ([1, 2, 3] as const).map((index) => ({
  index,
  address: `127.0.1.${index}`,
  host: `127.0.1.${index}:9042`,
}));

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'cassandra', 'cluster.sh');
const run = promisify(execFile);

/** Runs `cluster.sh <args>`; resolves to its stdout, rejects with the tail of its stderr. */
export async function clusterScript(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('bash', [SCRIPT, ...args], { encoding: 'utf8', timeout: 400_000 });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`cluster.sh ${args.join(' ')} failed:\n${stderr.split('\n').slice(-30).join('\n')}`, {
      cause: error,
    });
  }
}

/** kill -9 of one node's JVM; resolves once the process is gone. */
export const killNode = (node: ClusterNode): Promise<string> => clusterScript('kill9', String(node.index));

/** Starts one node and waits until every node sees all three UP/NORMAL. */
export const startNode = (node: ClusterNode): Promise<string> => clusterScript('start-node', String(node.index));

/** Starts whatever is not running and waits for the whole ring (idempotent). */
export const ensureClusterUp = (): Promise<string> => clusterScript('start');

/** Each node's state as `observer` sees it (gossip, via `nodetool status`): address → `UN`, `DN`, ... */
export async function ringSeenBy(observer: ClusterNode): Promise<Map<string, string>> {
  const out = await clusterScript('nodetool', String(observer.index), 'status');
  const ring = new Map<string, string>();
  for (const match of out.matchAll(/^([UD][NLJM])\s+(\d+\.\d+\.\d+\.\d+)/gm)) ring.set(match[2], match[1]);
  return ring;
}

/**
 * Waits until `observer`'s failure detector marks `nodes` down: until then a coordinator still
 * sends them requests and answers with a timeout, not with Unavailable.
 */
export async function waitUntilSeenDown(
  observer: ClusterNode,
  nodes: readonly ClusterNode[],
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ring = await ringSeenBy(observer);
    if (nodes.every((n) => ring.get(n.address) === 'DN')) return;
    if (Date.now() > deadline) throw new Error(`node ${observer.address} still sees ${JSON.stringify([...ring])}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** The environment that points the package's `createClient()` at the cluster (all contact points by default). */
export function clusterEnv(nodes: readonly ClusterNode[] = CLUSTER_NODES): Environment {
  return {
    CASSANDRA_CONTACT_POINTS: nodes.map((n) => n.address).join(','),
    CASSANDRA_LOCAL_DC: 'datacenter1',
  };
}

export function clusterClient(
  overrides: Partial<ClientOptions> = {},
  nodes: readonly ClusterNode[] = CLUSTER_NODES,
): Client {
  return createClient(overrides, clusterEnv(nodes));
}

/**
 * A client that only ever talks to `node` (allow-list load balancing) at consistency ONE: what it
 * reads is that replica's own data, with no read repair from the others.
 */
export function pinnedClient(node: ClusterNode): Client {
  return clusterClient(
    {
      policies: {
        loadBalancing: new policies.loadBalancing.AllowListPolicy(
          new policies.loadBalancing.DCAwareRoundRobinPolicy('datacenter1'),
          [node.host],
        ),
      },
      queryOptions: { prepare: true, consistency: types.consistencies.one },
    },
    [node],
  );
}

const HOME = process.env.LOCAL_CASSANDRA_HOME ?? join(ROOT, '.cassandra');
const systemLog = (node: ClusterNode): string => join(HOME, `cluster${node.index}`, 'logs', 'system.log');

/** Where each node's system.log ends now; {@link systemLogSince} reads what was logged after. */
export function systemLogMarks(): number[] {
  return CLUSTER_NODES.map((node) => (existsSync(systemLog(node)) ? statSync(systemLog(node)).size : 0));
}

/** Per node, the system.log lines written since `marks` (the whole file if it rotated meanwhile). */
export function systemLogSince(marks: readonly number[]): string[][] {
  return CLUSTER_NODES.map((node, i) => {
    const file = systemLog(node);
    if (!existsSync(file)) return [];
    const size = statSync(file).size;
    const from = size >= marks[i] ? marks[i] : 0;
    const buffer = Buffer.alloc(size - from);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8').split('\n');
  });
}

/** What a node logs when two coordinators created one table with different ids. */
export const SCHEMA_MISMATCH = /Column family ID mismatch|UnknownTableException|Schema mismatch/;

const LOCK_DIR = join(tmpdir(), 'cch-cluster-tests.lock');

function lockHolderAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cluster suites kill and restart nodes of the one local cluster. Within a jest run they share
 * one file (cluster.test.ts); this lock keeps two runs (`npm test` and `npm run test:cluster` in
 * two terminals) from doing it under each other. A lock left by a dead process is taken over. On
 * the way in and out the whole ring is brought back, so a run that failed half-way through a kill
 * does not break the next one.
 */
export function useClusterFile(): void {
  let held = false;
  beforeAll(async () => {
    for (;;) {
      try {
        mkdirSync(LOCK_DIR);
        writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
        held = true;
        break;
      } catch {
        if (!lockHolderAlive() && existsSync(LOCK_DIR)) {
          // Wait a moment: the holder may be between mkdir and writing its pid.
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          if (!lockHolderAlive()) rmSync(LOCK_DIR, { recursive: true, force: true });
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    await ensureClusterUp();
  }, 1_800_000);
  afterAll(async () => {
    try {
      await ensureClusterUp();
    } finally {
      if (held) rmSync(LOCK_DIR, { recursive: true, force: true });
    }
  }, 600_000);
}

/** Drops a keyspace through a fresh client with default timeouts (never fails the test). */
export async function dropClusterKeyspace(keyspace: string): Promise<void> {
  const client = clusterClient();
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } catch {
    // Best effort: keyspaces are uniquely named, a leftover harms no one.
  } finally {
    await client.shutdown();
  }
}
