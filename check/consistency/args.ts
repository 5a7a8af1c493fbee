/** Command-line flags of `npm run check:consistency`. */

export interface FaultNode {
  /** Folder name under .cassandra/ (LOCAL_CASSANDRA_NAME of the project's node scripts). */
  readonly name: string;
  readonly address: string;
}

export interface CheckArgs {
  readonly seconds: number;
  readonly workers: number;
  /** Absent: a random seed is drawn (and printed). */
  readonly seed?: number;
  /** Absent: the checker starts and uses its own node (127.0.0.5, name `consistency`). */
  readonly contactPoints?: string;
  readonly faultNode?: FaultNode;
  readonly skewMs: number;
  /** With --contact-points on the local 3-node cluster: node faults kill -9 this node and restart it. */
  readonly clusterNode?: number;
  readonly json: boolean;
  readonly history?: string;
  readonly faults: boolean;
  readonly removals: boolean;
  readonly keepKeyspace: boolean;
  readonly help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run check:consistency -- [flags]

  --seconds N            length of the run before the quiescent phase (default 60)
  --workers N            worker processes, at least 3 (default 3)
  --seed N               replays a run's operation and fault schedule (default: random, printed)
  --contact-points A,B   use this cluster instead of starting the checker's node (127.0.0.5)
  --fault-node NAME@ADDR freeze this node (one the project's scripts manage); with --contact-points,
                         node faults happen only when this is given
  --cluster-node N       node faults on the local 3-node cluster: kill -9 of cluster node N, then
                         its restart (use with --contact-points 127.0.1.1,127.0.1.2,127.0.1.3)
  --skew-ms N            write-timestamp skew of the first worker (default -100: behind)
  --no-faults            no worker kills and no node freezes
  --no-removals          no deleteMessage, trim, clear or sessions.delete
  --history FILE         where the history goes (default: a file under the system tmp dir)
  --keep-keyspace        leave the run's keyspace in place to inspect it
  --json                 one JSON object on stdout: { seed, operations, acknowledged, reads, faults, violations }

Exit code: 0 no violation, 1 violations, 2 harness error.`;

function integer(flag: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isInteger(value) || value < min) {
    throw new UsageError(`${flag} needs an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function parseArgs(argv: readonly string[]): CheckArgs {
  let seconds = 60;
  let workers = 3;
  let seed: number | undefined;
  let contactPoints: string | undefined;
  let faultNode: FaultNode | undefined;
  let skewMs = -100;
  let clusterNode: number | undefined;
  let json = false;
  let history: string | undefined;
  let faults = true;
  let removals = true;
  let keepKeyspace = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--seconds':
        seconds = integer(flag, value(), 1);
        break;
      case '--workers':
        workers = integer(flag, value(), 3);
        break;
      case '--seed':
        seed = integer(flag, value(), 0);
        break;
      case '--skew-ms':
        skewMs = integer(flag, value(), Number.MIN_SAFE_INTEGER);
        break;
      case '--contact-points': {
        const raw = value();
        if (!raw || raw.startsWith('--')) throw new UsageError('--contact-points needs a host list');
        contactPoints = raw;
        break;
      }
      case '--fault-node': {
        const match = /^([A-Za-z0-9_-]+)@([0-9A-Za-z.:-]+)$/.exec(value() ?? '');
        if (!match) throw new UsageError('--fault-node needs NAME@ADDRESS (e.g. consistency@127.0.0.5)');
        faultNode = { name: match[1], address: match[2] };
        break;
      }
      case '--cluster-node': {
        const n = Number(value());
        if (![1, 2, 3].includes(n))
          throw new UsageError('--cluster-node needs 1, 2 or 3 (a node of scripts/cassandra/cluster.sh)');
        clusterNode = n;
        break;
      }
      case '--history': {
        const raw = value();
        if (!raw) throw new UsageError('--history needs a file');
        history = raw;
        break;
      }
      case '--json':
        json = true;
        break;
      case '--no-faults':
        faults = false;
        break;
      case '--no-removals':
        removals = false;
        break;
      case '--keep-keyspace':
        keepKeyspace = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown flag ${JSON.stringify(flag)}`);
    }
  }
  if (faultNode && (faultNode.name === 'node1' || faultNode.address === '127.0.0.1')) {
    throw new UsageError('--fault-node: the shared node (node1, 127.0.0.1) is never frozen');
  }
  return {
    seconds,
    workers,
    seed,
    contactPoints,
    faultNode,
    clusterNode,
    skewMs,
    json,
    history,
    faults,
    removals,
    keepKeyspace,
    help,
  };
}
