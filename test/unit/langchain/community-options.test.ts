import { ConfigurationError } from '../../../src';
import { CassandraChatMessageHistory, closeSharedClients, sharedClientCount } from '../../../src/langchain';
import { configurationKey, toDriverOptions } from '../../../src/langchain/connection';

describe("@langchain/community's connection options", () => {
  afterAll(() => closeSharedClients());

  it('passes driver options through, without the login keyspace', () => {
    const credentials = { username: 'u', password: 'p' };
    expect(toDriverOptions({ contactPoints: ['h1'], localDataCenter: 'dc1', keyspace: 'ks', credentials })).toEqual({
      contactPoints: ['h1'],
      localDataCenter: 'dc1',
      credentials,
    });
  });

  it('turns the Astra token into credentials when the bundle is given, and keeps explicit credentials', () => {
    const cloud = { secureConnectBundle: '/tmp/scb.zip' };
    expect(toDriverOptions({ cloud, serviceProviderArgs: { astra: { token: 'AstraCS:x' } } })).toEqual({
      cloud,
      credentials: { username: 'token', password: 'AstraCS:x' },
    });
    const credentials = { username: 'client-id', password: 'secret' };
    expect(toDriverOptions({ cloud, credentials, serviceProviderArgs: { astra: { token: 't' } } }).credentials).toBe(
      credentials,
    );
  });

  it('refuses what it cannot honour, saying what to pass instead', () => {
    expect(() =>
      toDriverOptions({ serviceProviderArgs: { astra: { token: 't', endpoint: 'https://db-region.example' } } }),
    ).toThrow(/does not download the secure connect bundle.*cloud: \{ secureConnectBundle/);
    expect(() =>
      toDriverOptions({ serviceProviderArgs: { astra: { token: '' } }, cloud: { secureConnectBundle: 'x' } }),
    ).toThrow(ConfigurationError);
    expect(() => toDriverOptions({ serviceProviderArgs: {} })).toThrow(/supports only `astra`/);
    expect(() => toDriverOptions({ localDataCenter: 'dc1' })).toThrow(/contactPoints/);
  });

  it('keys configurations by content, objects that are not plain by identity', () => {
    const policy = { retry: new (class Retry {})() };
    expect(configurationKey({ contactPoints: ['a'], localDataCenter: 'dc' })).toBe(
      configurationKey({ localDataCenter: 'dc', contactPoints: ['a'] }),
    );
    expect(configurationKey({ contactPoints: ['a'] })).not.toBe(configurationKey({ contactPoints: ['b'] }));
    expect(configurationKey({ contactPoints: ['a'], credentials: { username: 'u', password: '1' } })).not.toBe(
      configurationKey({ contactPoints: ['a'], credentials: { username: 'u', password: '2' } }),
    );
    const shared = policy.retry;
    expect(configurationKey({ policies: { retry: shared } } as never)).toBe(
      configurationKey({ policies: { retry: shared } } as never),
    );
    expect(configurationKey({ policies: { retry: shared } } as never)).not.toBe(
      configurationKey({ policies: { retry: new (class Retry {})() } } as never),
    );
  });

  it('validates before taking a client: bad names and windowing on a cassio table are refused', () => {
    const base = { contactPoints: ['127.0.0.1'], localDataCenter: 'datacenter1', sessionId: 's' };
    expect(() => new CassandraChatMessageHistory({ ...base, keyspace: 'bad-name' })).toThrow(/Invalid keyspace name/);
    expect(() => new CassandraChatMessageHistory({ ...base, keyspace: 'ks', table: 'x; DROP' })).toThrow(
      /Invalid table name/,
    );
    expect(() => new CassandraChatMessageHistory({ ...base, keyspace: 'ks', table: 't', window: 'safe' })).toThrow(
      /leave `table` out/,
    );
    expect(() => new CassandraChatMessageHistory({ ...base, keyspace: 'ks', sessionId: 'bad id' })).toThrow(
      /sessionId/,
    );
    expect(sharedClientCount()).toBe(0);
  });

  it('builds no connection until used, and close() shuts the shared client down', async () => {
    const history = new CassandraChatMessageHistory({
      contactPoints: ['127.0.0.1'],
      localDataCenter: 'datacenter1',
      keyspace: 'ks',
      sessionId: 's',
    });
    expect(sharedClientCount()).toBe(1);
    await history.close();
    expect(sharedClientCount()).toBe(0);
    await expect(history.getMessages()).rejects.toThrow(/was closed/);
  });
});
