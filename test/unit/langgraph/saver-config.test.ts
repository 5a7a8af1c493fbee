import { Client } from 'cassandra-driver';
import { ConfigurationError, InvalidIdentifierError } from '../../../src';
import { CassandraSaver, CheckpointConfigError } from '../../../src/langgraph';
import { emptyCheckpoint } from '@langchain/langgraph-checkpoint';

// A client that is never connected: every case below must fail before any request.
const client = new Client({ contactPoints: ['127.0.0.1'], localDataCenter: 'datacenter1' });
afterAll(() => client.shutdown());

describe('CassandraSaver options and configs', () => {
  it.each([
    [{ keyspace: 'bad-name' }, InvalidIdentifierError, /keyspace/],
    [{ ttlSeconds: 0 }, ConfigurationError, /ttlSeconds must be a whole number of seconds from 1/],
    [{ ttlSeconds: 1.5 }, ConfigurationError, /ttlSeconds/],
    [{ keepLast: 0 }, ConfigurationError, /keepLast must be a whole number of checkpoints ≥ 1, got 0/],
  ])('refuses %j', (options, type, message) => {
    expect(() => new CassandraSaver({ client, ...options })).toThrow(type);
    expect(() => new CassandraSaver({ client, ...options })).toThrow(message);
  });

  const saver = new CassandraSaver({ client, keyspace: 'never_used' });
  const meta = { source: 'input' as const, step: -1, parents: {} };

  it.each([
    [{}, 'config.configurable'],
    [{ configurable: {} }, 'config.configurable.thread_id'],
    [{ configurable: { thread_id: '' } }, 'config.configurable.thread_id'],
    [{ configurable: { thread_id: 't', checkpoint_ns: 3 } }, 'config.configurable.checkpoint_ns'],
  ])('put(%j) fails with CheckpointConfigError naming %s', async (config, field) => {
    await expect(saver.put(config, emptyCheckpoint(), meta, {})).rejects.toMatchObject({
      name: 'CheckpointConfigError',
      field,
    });
  });

  it('putWrites needs a checkpoint_id', async () => {
    const error = await saver
      .putWrites({ configurable: { thread_id: 't' } }, [['c', 1]], 'task')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointConfigError);
    expect(error).toMatchObject({ field: 'config.configurable.checkpoint_id' });
  });

  it('deleteThread, trimThread and copyThread check their thread ids', async () => {
    await expect(saver.deleteThread('')).rejects.toMatchObject({ field: 'threadId' });
    await expect(saver.trimThread('t', 0)).rejects.toThrow(ConfigurationError);
    await expect(saver.copyThread('t', 't')).rejects.toMatchObject({ field: 'toThreadId' });
  });

  it('getTuple without a thread is undefined, as LangGraph expects', async () => {
    expect(await saver.getTuple({ configurable: {} })).toBeUndefined();
  });
});
