import { auth } from 'cassandra-driver';
import { clientOptionsFrom, connectionSettingsFromEnv, replicationFromEnv } from '../../src/config';
import { ConfigurationError } from '../../src/errors';

describe('connectionSettingsFromEnv', () => {
  it('defaults to a local node', () => {
    const s = connectionSettingsFromEnv({});
    expect(s.contactPoints).toEqual(['127.0.0.1']);
    expect(s.port).toBe(9042);
    expect(s.localDataCenter).toBe('datacenter1');
    expect(s.keyspace).toBe('chat');
    expect(s.username).toBeUndefined();
    expect(s.tls).toBeUndefined();
  });

  it('reads every variable', () => {
    const s = connectionSettingsFromEnv({
      CASSANDRA_CONTACT_POINTS: ' 10.0.0.1, 10.0.0.2 ,',
      CASSANDRA_PORT: '19042',
      CASSANDRA_LOCAL_DC: 'eu-west',
      CASSANDRA_USERNAME: 'app',
      CASSANDRA_PASSWORD: 's3cret',
      CASSANDRA_KEYSPACE: 'chat_prod',
      CASSANDRA_TLS: 'true',
      CASSANDRA_REQUEST_TIMEOUT_MS: '2500',
    });
    expect(s.contactPoints).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(s.port).toBe(19042);
    expect(s.localDataCenter).toBe('eu-west');
    expect(s.username).toBe('app');
    expect(s.keyspace).toBe('chat_prod');
    expect(s.tls).toEqual({ ca: undefined, rejectUnauthorized: true });
    expect(s.requestTimeoutMs).toBe(2500);
    const options = clientOptionsFrom(s);
    expect(options.contactPoints).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(options.authProvider).toBeInstanceOf(auth.PlainTextAuthProvider);
    expect(options.sslOptions).toEqual({ rejectUnauthorized: true });
    expect(options.socketOptions?.readTimeout).toBe(2500);
  });

  it.each([
    [{ CASSANDRA_PORT: 'abc' }, /CASSANDRA_PORT must be a positive integer/],
    [{ CASSANDRA_PORT: '-1' }, /CASSANDRA_PORT/],
    [{ CASSANDRA_CONTACT_POINTS: ' , ' }, /names no host/],
    [{ CASSANDRA_USERNAME: 'app' }, /CASSANDRA_PASSWORD is not/],
    [{ CASSANDRA_TLS: 'maybe' }, /CASSANDRA_TLS must be/],
  ])('rejects %j with a ConfigurationError', (env, message) => {
    expect(() => connectionSettingsFromEnv(env)).toThrow(ConfigurationError);
    expect(() => connectionSettingsFromEnv(env)).toThrow(message);
  });

  it('never puts the password in an error message', () => {
    try {
      connectionSettingsFromEnv({ CASSANDRA_USERNAME: 'app', CASSANDRA_PASSWORD: 'hunter2', CASSANDRA_PORT: 'x' });
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });

  it('uses the Astra secure connect bundle instead of contact points', () => {
    const options = clientOptionsFrom(
      connectionSettingsFromEnv({
        CASSANDRA_SECURE_CONNECT_BUNDLE: '/secrets/bundle.zip',
        CASSANDRA_USERNAME: 'token',
        CASSANDRA_PASSWORD: 'AstraCS:x',
      }),
    );
    expect(options.cloud).toEqual({ secureConnectBundle: '/secrets/bundle.zip' });
    expect(options.contactPoints).toBeUndefined();
  });
});

describe('replicationFromEnv', () => {
  it('defaults to SimpleStrategy RF 1', () => {
    expect(replicationFromEnv({})).toEqual({ class: 'SimpleStrategy', replicationFactor: 1 });
  });
  it('reads per-DC factors', () => {
    expect(replicationFromEnv({ CASSANDRA_REPLICATION: 'dc1:3, dc2:2' })).toEqual({
      class: 'NetworkTopologyStrategy',
      dataCenters: { dc1: 3, dc2: 2 },
    });
  });
  it.each(['0', 'dc1', 'dc1:0', "dc1:3'; DROP"])('rejects %j', (raw) => {
    expect(() => replicationFromEnv({ CASSANDRA_REPLICATION: raw })).toThrow(ConfigurationError);
  });
});
