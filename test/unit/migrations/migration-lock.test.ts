import { errors, types } from 'cassandra-driver';
import { MigrationError } from '../../../src/errors';
import { type MigrationConnection, isTableNotLiveYet } from '../../../src/migrations/migration-connection';
import { translateDriverError } from '../../../src/driver/driver-errors';
import { MigrationEventBus } from '../../../src/migrations/migration-events';
import { MigrationLock } from '../../../src/migrations/migration-lock';

// The lock sees errors as MigrationConnection throws them: translated into the package's typed errors.
const translated = (error: Error) => translateDriverError(error, { operation: 'MigrationRunner', keyspace: 'ks' });
const notLive = () =>
  translated(new errors.ResponseError(types.responseErrorCodes.invalid, 'table schema_migrations_lock does not exist'));

/** A session whose lock INSERT fails with `failures` errors first, then is applied. */
function sessionFailing(failures: Error[]): { session: MigrationConnection; attempts: () => number } {
  let attempts = 0;
  const session = {
    keyspace: 'ks',
    lwt: async () => {
      attempts++;
      const failure = failures.shift();
      if (failure) throw failure;
      return { applied: true, rows: [], schemaInAgreement: true };
    },
    serialRead: async () => ({ applied: true, rows: [], schemaInAgreement: true }),
  } as unknown as MigrationConnection;
  return { session, attempts: () => attempts };
}

const settings = { owner: 'me', ttlSeconds: 60, waitTimeoutMs: 5_000, pollIntervalMs: 10 };

describe('MigrationLock bootstrap race', () => {
  it('recognises a table that is not live on the coordinator yet', () => {
    expect(isTableNotLiveYet(notLive())).toBe(true);
    expect(
      isTableNotLiveYet(
        translated(
          new errors.ResponseError(types.responseErrorCodes.invalid, 'unconfigured table schema_migrations_lock'),
        ),
      ),
    ).toBe(true);
    expect(
      isTableNotLiveYet(
        translated(new errors.ResponseError(types.responseErrorCodes.syntaxError, 'line 1: no viable alternative')),
      ),
    ).toBe(false);
    expect(isTableNotLiveYet(new Error('table x does not exist'))).toBe(false);
  });

  it('settles a replica failure of the lock LWT by reading the lock back, then asks again', async () => {
    const replicasFailed = () =>
      translated(
        Object.assign(new errors.ResponseError(types.responseErrorCodes.readFailure, 'Operation failed'), {
          failures: 1,
        }),
      );
    const { session, attempts } = sessionFailing([replicasFailed()]);
    const lease = await new MigrationLock(session, settings, new MigrationEventBus()).acquire();
    expect(attempts()).toBe(2);
    await lease.release().catch(() => undefined);
  });

  it('asks again while another runner bootstraps the lock table, then takes the lock', async () => {
    const { session, attempts } = sessionFailing([notLive(), notLive()]);
    const lease = await new MigrationLock(session, settings, new MigrationEventBus()).acquire();
    expect(attempts()).toBe(3);
    await lease.release().catch(() => undefined);
  });

  it('still fails at once, typed, on any other error', async () => {
    const { session, attempts } = sessionFailing([
      new errors.ResponseError(types.responseErrorCodes.unauthorized, 'no MODIFY'),
    ]);
    await expect(new MigrationLock(session, settings, new MigrationEventBus()).acquire()).rejects.toBeInstanceOf(
      MigrationError,
    );
    expect(attempts()).toBe(1);
  });
});
