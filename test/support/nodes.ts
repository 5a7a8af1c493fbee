import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient, type Environment } from '../../src/config';
import { createKeyspace } from './cassandra';
import { applySchema } from './schema';

/**
 * Extra local Cassandra nodes for the reliability tests, each on a loopback address of its own so
 * the shared node at 127.0.0.1 is never touched. They run through scripts/cassandra/*.sh, like the
 * shared one; a test file starts the node it needs in beforeAll and stops it in afterAll only if it
 * started it.
 */
export interface LocalNode {
  /** Folder name under .cassandra/ (LOCAL_CASSANDRA_NAME). */
  readonly name: string;
  /** Loopback address the node listens on (LOCAL_CASSANDRA_ADDRESS); port 9042 as usual. */
  readonly address: string;
  /** PasswordAuthenticator + CassandraAuthorizer, default superuser cassandra/cassandra. */
  readonly auth: boolean;
  /**
   * `batch` fsyncs the commitlog before acknowledging a write. Under Cassandra's default `periodic`
   * mode a write is acknowledged before its commitlog section is marked (every 100 ms), so a kill -9
   * loses the writes of the last moments even though they were acknowledged.
   */
  readonly commitlogSync?: 'periodic' | 'batch';
}

/** The node with PasswordAuthenticator. */
export const AUTH_NODE: LocalNode = { name: 'auth', address: '127.0.0.2', auth: true };
/** The node that gets killed, frozen and restarted. */
export const CHAOS_NODE: LocalNode = { name: 'chaos', address: '127.0.0.3', auth: false, commitlogSync: 'batch' };

/** The node that gets frozen (SIGSTOP) to produce client timeouts deterministically. */
export const STALL_NODE: LocalNode = { name: 'stall', address: '127.0.0.4', auth: false };

/** Cassandra's default superuser on a fresh PasswordAuthenticator node. */
export const DEFAULT_SUPERUSER = { username: 'cassandra', password: 'cassandra' } as const;

const scripts = join(__dirname, '..', '..', 'scripts', 'cassandra');
const run = promisify(execFile);

function assertNotShared(node: LocalNode): void {
  // The shared node is used by everyone working in this tree: never stop, kill or freeze it.
  if (node.name === 'node1' || node.address === '127.0.0.1') {
    throw new Error(`refusing to manage the shared node (${node.name} at ${node.address})`);
  }
}

function scriptEnv(node: LocalNode): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_CASSANDRA_NAME: node.name,
    LOCAL_CASSANDRA_ADDRESS: node.address,
    LOCAL_CASSANDRA_AUTH: node.auth ? '1' : '0',
    LOCAL_CASSANDRA_COMMITLOG_SYNC: node.commitlogSync ?? 'periodic',
    LOCAL_CASSANDRA_START_TIMEOUT: process.env.LOCAL_CASSANDRA_START_TIMEOUT ?? '150',
  };
  // The scripts would otherwise wait for that cluster instead of managing this node.
  delete env.CASSANDRA_CONTACT_POINTS;
  delete env.CASSANDRA_PORT;
  if (node.auth) {
    // With credentials the start-up probe waits until the default superuser exists, not just CQL.
    env.CASSANDRA_USERNAME = DEFAULT_SUPERUSER.username;
    env.CASSANDRA_PASSWORD = DEFAULT_SUPERUSER.password;
  } else {
    delete env.CASSANDRA_USERNAME;
    delete env.CASSANDRA_PASSWORD;
  }
  return env;
}

async function script(node: LocalNode, name: string, args: string[] = []): Promise<string> {
  assertNotShared(node);
  try {
    const { stdout } = await run('bash', [join(scripts, name), ...args], {
      env: scriptEnv(node),
      encoding: 'utf8',
      timeout: 240_000,
    });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${name} failed for node ${node.name}:\n${stderr.split('\n').slice(-30).join('\n')}`, {
      cause: error,
    });
  }
}

/** Starts the node unless it already answers. Resolves to true when this call started it. */
export async function startNode(node: LocalNode): Promise<boolean> {
  const outcome = await script(node, 'start.sh');
  return outcome.endsWith('started');
}

/** Stops the node cleanly (thawing it first, in case a test froze it). */
export async function stopNode(node: LocalNode): Promise<void> {
  await script(node, 'signal.sh', ['CONT']).catch(() => undefined);
  await script(node, 'stop.sh');
}

/** `kill -9` of the node's JVM; resolves once the process is gone. */
export async function killNode(node: LocalNode): Promise<void> {
  await script(node, 'kill9.sh');
}

/** SIGSTOP: the JVM freezes with its sockets open, so requests hang until the client times out. */
export async function freezeNode(node: LocalNode): Promise<void> {
  await script(node, 'signal.sh', ['STOP']);
}

/** SIGCONT after {@link freezeNode}. */
export async function thawNode(node: LocalNode): Promise<void> {
  await script(node, 'signal.sh', ['CONT']);
}

/** The environment that points the package's `createClient()` at the node. */
export function nodeEnv(node: LocalNode, credentials?: { username: string; password: string }): Environment {
  return {
    CASSANDRA_CONTACT_POINTS: node.address,
    CASSANDRA_LOCAL_DC: 'datacenter1',
    ...(credentials ? { CASSANDRA_USERNAME: credentials.username, CASSANDRA_PASSWORD: credentials.password } : {}),
  };
}

/**
 * Makes the node available to one test file: started in beforeAll when it does not answer, stopped
 * in afterAll when this file started it (also after failures). A node left running by someone else
 * is reused and left running.
 */
export function useLocalNode(node: LocalNode): { readonly startedHere: () => boolean } {
  let startedHere = false;
  beforeAll(async () => {
    startedHere = await startNode(node);
  }, 240_000);
  afterAll(async () => {
    if (startedHere && process.env.KEEP_RELIABILITY_NODES !== '1') await stopNode(node);
  }, 120_000);
  return { startedHere: () => startedHere };
}

/**
 * Creates and migrates a keyspace on the node with a client of default timeouts (DDL on a node that
 * just started can be slow), runs `extraCql`, and disconnects. Tests then use clients tuned to fail
 * fast without their set-up failing.
 */
export async function migrateKeyspaceOn(
  node: LocalNode,
  keyspace: string,
  extraCql: readonly string[] = [],
): Promise<void> {
  const client = createClient({}, nodeEnv(node, node.auth ? DEFAULT_SUPERUSER : undefined));
  try {
    await createKeyspace(client, keyspace);
    await applySchema(client, keyspace);
    for (const statement of extraCql) await client.execute(statement);
  } finally {
    await client.shutdown();
  }
}

/** Drops the keyspace with a generous timeout, whatever the test client's timeouts are. */
export async function dropKeyspaceOn(node: LocalNode, keyspace: string): Promise<void> {
  const client = createClient({}, nodeEnv(node, node.auth ? DEFAULT_SUPERUSER : undefined));
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
  }
}
