import { SchemaAgreementError } from '../errors';
import type { MigrationConnection, CqlRow } from './migration-connection';
import type { MigrationEventBus } from './migration-events';

const POLL_MS = 250;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Where in a migration a schema agreement wait happened, for the error. */
export interface AgreementContext {
  readonly version?: number;
  readonly file?: string;
  readonly statementIndex?: number;
}

/**
 * Waits until every node that is up reports the same schema version. The driver already waits
 * after each DDL (`protocolOptions.maxSchemaAgreementWaitSeconds`); this keeps checking up to
 * `timeoutMs` more, instead of sleeping a fixed time, and fails with SchemaAgreementError.
 */
export async function waitForSchemaAgreement(
  connection: MigrationConnection,
  timeoutMs: number,
  events: MigrationEventBus,
  context: AgreementContext = {},
): Promise<void> {
  const started = Date.now();
  let announced = false;
  for (;;) {
    if (await connection.checkSchemaAgreement()) return;
    const waitedMs = Date.now() - started;
    if (waitedMs >= timeoutMs) {
      const where =
        context.file !== undefined ? ` after statement index ${context.statementIndex ?? '?'} of ${context.file}` : '';
      throw new SchemaAgreementError(
        `The nodes of the cluster did not agree on the schema within ${timeoutMs} ms${where}; ` +
          'check `nodetool describecluster` and re-run once they agree',
        context,
      );
    }
    if (!announced) {
      events.emit({ type: 'schema-agreement-waiting', waitedMs });
      announced = true;
    }
    await sleep(Math.min(POLL_MS, timeoutMs - waitedMs));
  }
}

/**
 * Refuses to change the schema of a cluster that is not whole (cqlmigrate's precondition). With a
 * node down, schema agreement cannot be reached: the driver's agreement check only asks the nodes
 * that are up, so DDL would "agree" without the missing node, which catches up by gossip whenever
 * it returns, while the application may already use the new tables at a consistency level that
 * includes it. Refused before anything is created; the node's address is in the error
 * (`downNodes`). (A disagreement is waited out under the migration lock, where no other runner
 * changes the schema.)
 */
export function assertNoNodeDown(connection: MigrationConnection): void {
  const down = connection.downHosts();
  if (down.length > 0) {
    throw new SchemaAgreementError(
      `Refusing to migrate: schema agreement cannot be reached with ${down.length} node(s) down ` +
        `(${down.join(', ')}); bring ${down.length === 1 ? 'it' : 'them'} back (or remove ${down.length === 1 ? 'it' : 'them'} ` +
        'from the cluster) and re-run',
      { downNodes: down },
    );
  }
}

/**
 * Waits until every node that is up answers `cql` (run on each node alone) with rows that satisfy
 * `holds`: e.g. that each knows the runner's tables. Narrower than schema agreement on purpose: it
 * is not disturbed by another runner's unrelated DDL running at the same time.
 */
export async function waitUntilEveryNode(
  connection: MigrationConnection,
  what: string,
  query: { readonly cql: string; readonly params: readonly unknown[] },
  holds: (rows: readonly CqlRow[]) => boolean,
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    const answers = await connection.askEveryNode(query.cql, query.params);
    if (answers.every((rows) => rows !== undefined && holds(rows))) return;
    const waitedMs = Date.now() - started;
    if (waitedMs >= timeoutMs) {
      throw new SchemaAgreementError(
        `Not every node knew ${what} within ${timeoutMs} ms; check \`nodetool describecluster\` and re-run`,
      );
    }
    await sleep(Math.min(POLL_MS, timeoutMs - waitedMs));
  }
}
