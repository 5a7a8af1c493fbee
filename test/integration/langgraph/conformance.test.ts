import { deltaChannelHistoryTests, validate } from '@langchain/langgraph-checkpoint-validation';
import type { CassandraSaver } from '../../../src/langgraph';
import { SaverKeyspace } from '../../support/langgraph';

// LangGraph's own conformance suite for checkpoint savers (@langchain/langgraph-checkpoint-validation),
// run unchanged under jest against the real node. Its spec files are written for any Jest-like runner,
// with one Vitest-only call: `expect.soft` (an assertion that records a failure and lets the test go
// on). Jest has none, so it is given plain `expect`, which is stricter: the first failure ends the test.
Object.assign(expect, { soft: expect });

const keyspace = new SaverKeyspace('lg_conformance');

const initializer = {
  checkpointerName: 'cassandra-chat-history CassandraSaver',
  beforeAllTimeout: 120_000,
  beforeAll: () => keyspace.open(),
  afterAll: () => keyspace.close(),
  createCheckpointer: () => keyspace.saver(),
  // One saver at a time shares the keyspace: each leaves it empty, as the suite requires.
  destroyCheckpointer: (saver: CassandraSaver) => keyspace.deleteAllThreads(saver),
};

// getTuple, list, put, putWrites and deleteThread: the suite's whole default set.
validate(initializer);

// The opt-in part LangGraph runs on its own savers (getDeltaChannelHistory, through the base class's
// walk over getTuple and parentConfig).
deltaChannelHistoryTests(initializer);
