import { MigrationError, MigrationLockTimeoutError } from '../errors';
import {
  isReplicaFailure,
  isTableNotLiveYet,
  isUnknownWriteOutcome,
  type MigrationConnection,
} from './migration-connection';
import type { MigrationEventBus } from './migration-events';
import { runnerTableId } from './table-id';

/** The lock table, in the target keyspace. */
export const MIGRATION_LOCK_TABLE = 'schema_migrations_lock';

/** One fixed key: every runner of a keyspace competes for the same row (cqlmigrate's design). */
const LOCK_NAME = 'migrations';

export interface MigrationLockSettings {
  /** Unique per runner invocation: host, process and a random id. */
  readonly owner: string;
  readonly ttlSeconds: number;
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A cluster-wide lock made of one row and lightweight transactions, as in sky-uk/cqlmigrate:
 * taken with `INSERT ... IF NOT EXISTS USING TTL`, kept alive with `UPDATE ... USING TTL ... IF
 * owner = ?`, given back with `DELETE ... IF owner = ?`. The TTL is what frees the lock of a runner
 * that died. A write timeout on any of these leaves the outcome unknown; a SERIAL read of the row
 * (which completes any Paxos round in flight) tells whether we own it.
 */
export class MigrationLock {
  private readonly table: string;

  constructor(
    private readonly connection: MigrationConnection,
    private readonly settings: MigrationLockSettings,
    private readonly events: MigrationEventBus,
  ) {
    this.table = `${connection.keyspace}.${MIGRATION_LOCK_TABLE}`;
  }

  /** `CREATE TABLE IF NOT EXISTS` of the lock table, with its name-derived id (see table-id.ts). */
  createTableCql(): string {
    return (
      `CREATE TABLE IF NOT EXISTS ${this.table} ` +
      '(lock_name text PRIMARY KEY, owner text, acquired_at timestamp, renewed_at timestamp) ' +
      `WITH ID = ${runnerTableId(this.connection.keyspace, MIGRATION_LOCK_TABLE)}`
    );
  }

  /** A cheap read of the lock table (it fails on a coordinator that does not know the table yet). */
  probeCql(): { cql: string; params: readonly unknown[] } {
    return { cql: `SELECT lock_name FROM ${this.table} WHERE lock_name = ?`, params: [LOCK_NAME] };
  }

  /** The current holder, read linearizably; `undefined` when the lock is free. */
  async holder(): Promise<string | undefined> {
    const { rows } = await this.connection.serialRead(`SELECT owner FROM ${this.table} WHERE lock_name = ?`, [
      LOCK_NAME,
    ]);
    const owner = rows[0]?.owner;
    return typeof owner === 'string' ? owner : undefined;
  }

  /**
   * Takes the lock, polling while another runner holds it; throws MigrationLockTimeoutError once
   * `waitTimeoutMs` has passed. The returned lease renews itself until released.
   */
  async acquire(): Promise<MigrationLockLease> {
    const { owner, ttlSeconds, waitTimeoutMs, pollIntervalMs } = this.settings;
    const started = Date.now();
    let lastHolder: string | undefined;
    for (;;) {
      const acquiredAt = new Date();
      let holder: string | undefined;
      try {
        const outcome = await this.connection.lwt(
          `INSERT INTO ${this.table} (lock_name, owner, acquired_at, renewed_at) VALUES (?, ?, ?, ?) IF NOT EXISTS USING TTL ?`,
          [LOCK_NAME, owner, acquiredAt, acquiredAt, ttlSeconds],
        );
        const current = outcome.rows[0]?.owner;
        holder = outcome.applied ? owner : typeof current === 'string' ? current : undefined;
      } catch (error) {
        if (isTableNotLiveYet(error) && Date.now() - started < waitTimeoutMs) {
          // Another runner's bootstrap has not reached this coordinator yet: ask again shortly.
          await sleep(Math.min(pollIntervalMs, 250));
          continue;
        }
        if (!isUnknownWriteOutcome(error) && !isReplicaFailure(error)) {
          throw new MigrationError(`Could not take the migration lock: ${describe(error)}`, { cause: error });
        }
        // Ours or not? A SERIAL read completes any Paxos round in flight; when the lock is still
        // free the loop asks again after the poll interval, until waitTimeoutMs. That read can time
        // out too (completing the round is a CAS write): then nothing is settled yet, ask again.
        holder = await this.holder().catch((readError: unknown) => {
          if (isUnknownWriteOutcome(readError) || isReplicaFailure(readError)) return undefined;
          throw readError;
        });
      }
      if (holder === owner) {
        this.events.emit({ type: 'lock-acquired', owner });
        return new MigrationLockLease(this.connection, this.table, LOCK_NAME, this.settings, acquiredAt, this.events);
      }
      const waitedMs = Date.now() - started;
      if (waitedMs >= waitTimeoutMs) {
        throw new MigrationLockTimeoutError(
          `Timed out after ${waitedMs} ms waiting for the migration lock of keyspace "${this.connection.keyspace}", ` +
            `held by ${holder ?? 'another runner'}. If that runner died, the lock expires by itself ` +
            `within ${ttlSeconds} s of its last renewal.`,
        );
      }
      if (holder !== undefined && holder !== lastHolder) {
        this.events.emit({ type: 'lock-waiting', holder, waitedMs });
        lastHolder = holder;
      }
      // Jitter keeps waiting runners from polling in lockstep.
      const pause = pollIntervalMs * (1 + Math.random() * 0.2);
      await sleep(Math.max(1, Math.min(pause, waitTimeoutMs - waitedMs)));
    }
  }
}

/** A held lock. Renews itself every third of the TTL; {@link assertHeld} fails once it is lost. */
export class MigrationLockLease {
  private lostTo?: { holder?: string };
  private lastRenewal = Date.now();
  private timer?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private released = false;

  constructor(
    private readonly connection: MigrationConnection,
    private readonly table: string,
    private readonly lockName: string,
    private readonly settings: MigrationLockSettings,
    private readonly acquiredAt: Date,
    private readonly events: MigrationEventBus,
  ) {
    this.schedule();
  }

  get owner(): string {
    return this.settings.owner;
  }

  /** Throws when the lock was lost (taken over after a missed renewal): nothing more may run. */
  assertHeld(): void {
    if (this.lostTo === undefined && Date.now() - this.lastRenewal > this.settings.ttlSeconds * 1000) {
      this.markLost(undefined);
    }
    if (this.lostTo !== undefined) {
      throw new MigrationError(
        `The migration lock of keyspace "${this.connection.keyspace}" was lost` +
          (this.lostTo.holder !== undefined ? ` to ${this.lostTo.holder}` : '') +
          ' (it could not be renewed within its TTL); stopped before running anything else',
      );
    }
  }

  /** Gives the lock back. Never throws: if the delete fails the TTL frees the lock anyway. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.renewing;
    const cql = `DELETE FROM ${this.table} WHERE lock_name = ? IF owner = ?`;
    try {
      try {
        await this.connection.lwt(cql, [this.lockName, this.owner]);
      } catch (error) {
        if (!isUnknownWriteOutcome(error)) throw error;
        const { rows } = await this.connection.serialRead(`SELECT owner FROM ${this.table} WHERE lock_name = ?`, [
          this.lockName,
        ]);
        if (rows[0]?.owner === this.owner) await this.connection.lwt(cql, [this.lockName, this.owner]);
      }
      this.events.emit({ type: 'lock-released', owner: this.owner });
    } catch (error) {
      this.events.emit({ type: 'lock-release-failed', owner: this.owner, error: describe(error) });
    }
  }

  private schedule(): void {
    const every = Math.max(200, (this.settings.ttlSeconds * 1000) / 3);
    this.timer = setTimeout(() => {
      this.renewing = this.renew().finally(() => {
        this.renewing = undefined;
        if (!this.released && this.lostTo === undefined) this.schedule();
      });
    }, every);
    // A forgotten lease must not keep a process alive; the TTL cleans up after it.
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const now = new Date();
    try {
      const outcome = await this.connection.lwt(
        `UPDATE ${this.table} USING TTL ? SET owner = ?, acquired_at = ?, renewed_at = ? WHERE lock_name = ? IF owner = ?`,
        [this.settings.ttlSeconds, this.owner, this.acquiredAt, now, this.lockName, this.owner],
      );
      if (outcome.applied) {
        this.lastRenewal = now.getTime();
      } else {
        const holder = outcome.rows[0]?.owner;
        this.markLost(typeof holder === 'string' ? holder : undefined);
      }
    } catch {
      // A timeout or an unavailable replica: try again at the next tick. Whether this attempt
      // extended the TTL is unknown, so it does not count as a renewal; assertHeld gives up once
      // a whole TTL has passed without one.
    }
  }

  private markLost(holder: string | undefined): void {
    this.lostTo = { holder };
    this.events.emit({ type: 'lock-lost', owner: this.owner, holder });
  }
}
