// A second process resuming a thread: a fresh client, saver and graph, one more turn, its state printed.
import 'reflect-metadata';
import { HumanMessage } from '@langchain/core/messages';
import { createClient } from '../../../../src/config';
import { CassandraSaver } from '../../../../src/langgraph';
import { contents, echoGraph } from '../../../support/echo-graph';

async function main(): Promise<void> {
  const [keyspace, threadId, text] = process.argv.slice(2);
  if (!keyspace || !threadId || !text) throw new Error('usage: resume-thread.ts <keyspace> <threadId> <text>');
  const client = createClient();
  try {
    const graph = echoGraph(new CassandraSaver({ client, keyspace }));
    const config = { configurable: { thread_id: threadId } };
    const before = await graph.getState(config);
    const result = await graph.invoke({ messages: [new HumanMessage(text)] }, config);
    process.stdout.write(
      `${JSON.stringify({ pid: process.pid, before: contents(before.values.messages ?? []), after: contents(result.messages) })}\n`,
    );
  } finally {
    await client.shutdown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
