import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'cassandra-driver';
import { createTestStore } from '../../src/testing';
import { runContract } from './chat-history.contract';

// The kit never touches the network: any socket or driver connection fails this file.
const refuse = (what: string) => () => {
  throw new Error(`the in-memory store tried to open ${what}`);
};
beforeAll(() => {
  jest.spyOn(net, 'connect').mockImplementation(refuse('a TCP connection'));
  jest.spyOn(net, 'createConnection').mockImplementation(refuse('a TCP connection'));
  jest.spyOn(tls, 'connect').mockImplementation(refuse('a TLS connection'));
  jest.spyOn(Client.prototype, 'connect').mockImplementation(refuse('a driver connection'));
  jest.spyOn(Client.prototype, 'execute').mockImplementation(refuse('a driver request'));
});

describe('contract: createTestStore (in memory)', () => {
  runContract((options) => createTestStore(options).store);
});
