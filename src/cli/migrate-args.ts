import { parseArgs } from 'node:util';
import { ConfigurationError } from '../errors';

export type MigrateCommandName = 'up' | 'status' | 'validate' | 'baseline' | 'repair';

/** A parsed command line of the migrate CLI. */
export interface MigrateArgs {
  readonly command: MigrateCommandName;
  readonly help: boolean;
  readonly json: boolean;
  readonly keyspace?: string;
  readonly directory?: string;
  readonly target?: number;
  readonly dryRun: boolean;
  readonly outOfOrder: boolean;
  /** `baseline <version>`. */
  readonly baselineVersion?: number;
  readonly lockTtlSeconds?: number;
  readonly lockWaitTimeoutMs?: number;
}

/** A command line that cannot be understood; the CLI prints the usage with it and exits with 2. */
export class UsageError extends ConfigurationError {}

export const USAGE = `Usage: cassandra-chat-history-migrate [command] [options]

Commands:
  up                    apply pending migrations (the default)
  status                list applied, pending and failed versions with their checksums
  validate              fail when an applied file changed or is missing, a version is out of
                        order, or a version is FAILED (pending versions are fine)
  baseline <version>    mark an existing schema as migrated up to <version>
  repair                remove FAILED rows; realign checksums of deliberately edited files

Options:
  --keyspace <name>     target keyspace (default: CASSANDRA_KEYSPACE, else "chat")
  --dir <path>          folder of V<version>__<description>.cql files (default: the package's)
  --target <version>    up: apply versions up to this one only
  --dry-run             up: print the CQL that would run; change nothing, take no lock
  --out-of-order        up: allow a pending version below the highest applied one
  --lock-ttl <seconds>  TTL of the migration lock (default 60)
  --lock-wait <ms>      wait this long for another runner's lock (default 300000)
  --json                machine-readable output on stdout
  -h, --help            show this help

The connection comes from the CASSANDRA_* environment variables (CASSANDRA_CONTACT_POINTS,
CASSANDRA_LOCAL_DC, CASSANDRA_USERNAME/PASSWORD, CASSANDRA_TLS, ...); a keyspace the runner
creates gets CASSANDRA_REPLICATION ("1", or "dc1:3,dc2:3"). DEBUG=1 prints stack traces.`;

const COMMANDS: readonly MigrateCommandName[] = ['up', 'status', 'validate', 'baseline', 'repair'];

function positiveInteger(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`${option} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** Parses `argv` (without the node and script paths). Throws UsageError. */
export function parseMigrateArgs(argv: readonly string[]): MigrateArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [commandRaw = 'up', ...rest] = positionals;
  if (!(COMMANDS as readonly string[]).includes(commandRaw)) {
    throw new UsageError(`Unknown command ${JSON.stringify(commandRaw)}: expected one of ${COMMANDS.join(', ')}`);
  }
  const command = commandRaw as MigrateCommandName;
  const allowed = command === 'baseline' ? 1 : 0;
  if (rest.length > allowed) throw new UsageError(`Unexpected argument ${JSON.stringify(rest[allowed])}`);
  if (command === 'baseline' && rest.length === 0 && values.help !== true) {
    throw new UsageError('baseline needs a version: baseline <version>');
  }
  if (
    command !== 'up' &&
    (values['dry-run'] === true || values.target !== undefined || values['out-of-order'] === true)
  ) {
    throw new UsageError('--dry-run, --target and --out-of-order apply to `up` only');
  }
  return {
    command,
    help: values.help === true,
    json: values.json === true,
    keyspace: values.keyspace,
    directory: values.dir,
    target: positiveInteger('--target', values.target),
    dryRun: values['dry-run'] === true,
    outOfOrder: values['out-of-order'] === true,
    baselineVersion: positiveInteger('baseline version', rest[0]),
    lockTtlSeconds: positiveInteger('--lock-ttl', values['lock-ttl']),
    lockWaitTimeoutMs: positiveInteger('--lock-wait', values['lock-wait']),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      keyspace: { type: 'string' },
      dir: { type: 'string' },
      target: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'out-of-order': { type: 'boolean' },
      'lock-ttl': { type: 'string' },
      'lock-wait': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
