import type { DseClientOptions } from 'cassandra-driver';
import { ConfigurationError } from '../../errors';

/**
 * `@langchain/community`'s Astra options (`serviceProviderArgs.astra`, utils/cassandra.ts), under the
 * same names so that its users' configuration objects compile and run unchanged.
 */
export interface AstraServiceProviderArgs {
  /** The Astra token; becomes the credentials `{ username: 'token', password: token }` unless `credentials` are given. */
  readonly token: string;
  /** Accepted for compatibility; the bundle is not downloaded from it (see {@link toDriverOptions}). */
  readonly endpoint?: string | URL;
  readonly datacenterID?: string;
  readonly regionName?: string;
  readonly bundleUrlTemplate?: string;
}

export interface CassandraServiceProviderArgs {
  readonly astra?: AstraServiceProviderArgs;
}

/**
 * The connection part of `@langchain/community`'s `CassandraChatMessageHistoryOptions`
 * (`CassandraClientArgs`): the driver's own client options (`contactPoints`, `localDataCenter`,
 * `credentials`, `cloud`, `sslOptions`, `policies`, ...) plus `serviceProviderArgs`.
 */
export interface CommunityClientArgs extends DseClientOptions {
  readonly serviceProviderArgs?: CassandraServiceProviderArgs;
}

/**
 * The driver options for a community-style configuration. The driver's `keyspace` (the session's
 * login keyspace) is left out: every statement here names its keyspace, so one client serves them all.
 *
 * Astra: the community class downloads the secure connect bundle through Astra's DevOps API when only
 * `endpoint`/`datacenterID` are given. This package makes no such call (it is untested here and
 * would hide a network dependency in a constructor): pass the bundle you downloaded as
 * `cloud.secureConnectBundle`, with the token in `serviceProviderArgs.astra.token` or `credentials`.
 */
export function toDriverOptions(args: CommunityClientArgs): DseClientOptions {
  // The driver's login keyspace is deliberately dropped (statements are keyspace-qualified).
  const { serviceProviderArgs, keyspace: _loginKeyspace, ...driver } = args;
  if (serviceProviderArgs !== undefined) {
    const astra = serviceProviderArgs.astra;
    if (!astra) throw new ConfigurationError('serviceProviderArgs supports only `astra` (as in @langchain/community)');
    if (typeof astra.token !== 'string' || astra.token.length === 0) {
      throw new ConfigurationError('serviceProviderArgs.astra.token must be the Astra token (a non-empty string)');
    }
    if (!driver.cloud?.secureConnectBundle) {
      throw new ConfigurationError(
        'serviceProviderArgs.astra without cloud.secureConnectBundle: this package does not download the ' +
          'secure connect bundle from the Astra endpoint. Download it (Astra console, Connect) and pass ' +
          "cloud: { secureConnectBundle: '<path to the zip>' } next to serviceProviderArgs.astra.token",
      );
    }
    return { ...driver, credentials: driver.credentials ?? { username: 'token', password: astra.token } };
  }
  const hasContactPoints = Array.isArray(driver.contactPoints) && driver.contactPoints.length > 0;
  if (!hasContactPoints && !driver.cloud?.secureConnectBundle) {
    throw new ConfigurationError(
      'CassandraChatMessageHistory needs a `store`, or connection options: contactPoints (with ' +
        'localDataCenter), cloud.secureConnectBundle, or serviceProviderArgs.astra',
    );
  }
  return driver;
}
