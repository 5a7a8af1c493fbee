/**
 * `npm run demo`: the package end to end on a real node. The npm script first makes sure a node
 * answers (starting the project's local Cassandra when none does), then this file migrates, writes a
 * conversation with a tool call, prints it, reads the last two messages and lists the user's
 * sessions. Safe to re-run: every run creates a new session for the same demo user.
 */
import { randomUUID } from 'node:crypto';
import { ChatHistoryStore, type ChatMessage, ChatHistoryError, createClient, MigrationRunner } from '../src';

const keyspace = process.env.CASSANDRA_KEYSPACE ?? 'chat_demo';
const userId = 'demo-user';

function line(message: ChatMessage): string {
  const time = message.createdAt.toISOString().slice(11, 23);
  const who = message.role.padEnd(9);
  let text = message.content;
  if (message.toolCalls?.length) {
    text += message.toolCalls.map((c) => `→ calls ${c.name}(${JSON.stringify(c.args)}) [${c.id}]`).join(' ');
  }
  if (message.toolCallId) text = `[result of ${message.toolCallId}] ${text}`;
  return `  ${time}  ${who} ${text}`;
}

async function main(): Promise<void> {
  const client = createClient();
  try {
    const migrated = await new MigrationRunner({ client, keyspace }).up();
    console.log(
      `Migrations on keyspace "${keyspace}": ${migrated.length === 0 ? 'already up to date' : `applied ${migrated.map((m) => `V${m.version}`).join(', ')}`}`,
    );

    const store = new ChatHistoryStore({ client, keyspace });
    const session = await store.sessions.create({
      sessionId: `demo-${randomUUID()}`,
      userId,
      title: `Weather chat ${new Date().toISOString().slice(0, 19)}`,
      metadata: { channel: 'demo' },
    });
    const history = store.history(session.sessionId);

    await history.addSystemMessage('You are a helpful weather assistant.');
    await history.addUserMessage('What is the weather in Paris right now?');
    await history.addMessage({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }],
    });
    await history.addMessage({
      role: 'tool',
      toolCallId: 'call_1',
      name: 'get_weather',
      content: '{"temperature":18,"sky":"sunny"}',
    });
    await history.addMessages([
      { role: 'assistant', content: 'It is 18 °C and sunny in Paris. ☀️' },
      { role: 'user', content: 'Thanks! 🙏' },
    ]);

    console.log(`\nTranscript of session ${session.sessionId} (${await history.count()} messages):`);
    for (const message of await history.getMessages()) console.log(line(message));

    console.log('\nThe last 2 messages:');
    for (const message of await history.getMessages({ limit: 2 })) console.log(line(message));

    const page = await store.sessions.listByUser(userId, { limit: 5 });
    console.log(`\nNewest sessions of ${userId}:`);
    for (const s of page.sessions) console.log(`  ${s.createdAt.toISOString()}  ${s.sessionId}  "${s.title}"`);
    console.log('\nDone. The node keeps running for the next run or the tests; `npm run cassandra:stop` stops it.');
  } finally {
    await client.shutdown();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ChatHistoryError) console.error(`${error.name}: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
});
