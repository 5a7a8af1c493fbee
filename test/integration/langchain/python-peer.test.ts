import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { types } from 'cassandra-driver';
import { CassioChatMessageHistory, createCassioTable, StoredMessageFormatError } from '../../../src/langchain';
import { useFreshKeyspace } from '../../support/cassandra';
import { snapshot } from '../../unit/langchain/message-fixtures';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const TABLE = 'message_store';

/** The same messages as conversation() in scripts/python-peer/peer.py. */
function conversation(): BaseMessage[] {
  return [
    new SystemMessage({ content: 'Tu es un assistant météo. Réponds brièvement. 🌦', id: 'sys-1' }),
    new HumanMessage({ content: 'Wie wird das Wetter in Zürich? 天気は？', id: 'human-1', name: 'Jürgen' }),
    new AIMessage({
      content: '',
      id: 'ai-1',
      tool_calls: [
        { id: 'call_1', name: 'get_weather', args: { city: 'Zürich', units: '°C' }, type: 'tool_call' },
        { id: 'call_2', name: 'get_weather', args: { city: '東京' }, type: 'tool_call' },
      ],
      usage_metadata: { input_tokens: 12, output_tokens: 7, total_tokens: 19 },
      response_metadata: { model_name: 'fake-model', finish_reason: 'tool_calls' },
    }),
    new ToolMessage({
      content: '{"temp": 18, "sky": "☀️"}',
      tool_call_id: 'call_1',
      id: 'tool-1',
      name: 'get_weather',
      status: 'success',
    }),
    new ToolMessage({
      content: 'Erreur: ville inconnue «東京»',
      tool_call_id: 'call_2',
      id: 'tool-2',
      status: 'error',
    }),
    new AIMessage({ content: 'In Zürich sind es 18 °C ☀️; für 東京 habe ich keine Daten.', id: 'ai-2' }),
  ];
}

interface MessageDict {
  type: string;
  data: Record<string, unknown>;
}

describe('cassio layout against the real LangChain Python peer (langchain-community + cassio + cassandra-driver)', () => {
  const ctx = useFreshKeyspace('pypeer');
  let python = '';
  let n = 0;
  const sessionId = () => `py-peer-${++n}-${Date.now()}`;
  const history = (session: string, extra: Partial<ConstructorParameters<typeof CassioChatMessageHistory>[0]> = {}) =>
    new CassioChatMessageHistory({ client: ctx.client(), keyspace: ctx.keyspace, sessionId: session, ...extra });

  /** Runs scripts/python-peer/peer.py; its last stdout line is JSON. */
  async function peer(command: string, session: string): Promise<unknown> {
    const { stdout } = await run(python, ['scripts/python-peer/peer.py', command, ctx.keyspace, TABLE, session], {
      cwd: ROOT,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '');
  }

  beforeAll(async () => {
    // Idempotent: builds .python-peer/venv from the pinned requirements on first use (a few minutes), else reuses it.
    const { stdout } = await run('bash', ['scripts/python-peer/setup.sh'], {
      cwd: ROOT,
      timeout: 900_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    python = resolve(ROOT, stdout.trim().split('\n').pop() ?? '');
    await createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace });
  }, 900_000);

  it('Python writes system, human, AI-with-tool-calls and tool messages in non-ASCII text; TypeScript reads them losslessly', async () => {
    const session = sessionId();
    const written = (await peer('write', session)) as MessageDict[];
    expect(written.map((d) => d.type)).toEqual(['system', 'human', 'ai', 'tool', 'tool', 'ai']);
    const read = await history(session).getMessages();
    expect(read.map(snapshot)).toEqual(conversation().map(snapshot));
    // Every field Python wrote (but its nulls and the repeated type) is on the message TypeScript read.
    read.forEach((message, i) => {
      const fields = message as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(written[i].data)) {
        if (key === 'type' || value === null) continue;
        expect({ key, value: JSON.parse(JSON.stringify(fields[key] ?? null)) as unknown }).toEqual({ key, value });
      }
    });
  });

  it('TypeScript writes them, and Python reads back equal messages', async () => {
    const session = sessionId();
    await history(session).addMessages(conversation());
    const result = (await peer('check', session)) as { equal: boolean; read: MessageDict[] };
    expect(result.read.map((d) => [d.type, d.data.id])).toEqual(conversation().map((m) => [m.type, m.id]));
    expect(result.equal).toBe(true);
  });

  it('both write to one session: each side reads the whole conversation in order', async () => {
    const session = sessionId();
    await peer('write', session);
    await history(session).addMessages(conversation());
    const read = await history(session).getMessages();
    expect(read.map(snapshot)).toEqual([...conversation(), ...conversation()].map(snapshot));
  });

  it("reads Python's NaN/Infinity floats as those numbers, and the rest of the session with them", async () => {
    const session = sessionId();
    await peer('write-nan', session);
    const blobs = await ctx
      .client()
      .execute(`SELECT body_blob FROM ${ctx.keyspace}.${TABLE} WHERE partition_id = ?`, [session], { prepare: true });
    expect(blobs.rows.map((r) => r.get('body_blob') as string).join('\n')).toMatch(
      /"logprob": NaN, "max": Infinity, "min": -Infinity/,
    );
    const [scores, after] = await history(session).getMessages();
    expect(scores.response_metadata).toEqual({ logprob: NaN, max: Infinity, min: -Infinity });
    expect(after.content).toBe('still readable');
  });

  it('a corrupt row fails the read with an error naming it, or is reported and skipped with onUnreadableRow', async () => {
    const session = sessionId();
    await history(session).addMessages([new HumanMessage('before')]);
    const badRow = types.TimeUuid.now();
    await ctx
      .client()
      .execute(
        `INSERT INTO ${ctx.keyspace}.${TABLE} (partition_id, row_id, body_blob) VALUES (?, ?, ?)`,
        [session, badRow, '{"type": "human", "data": {"content": "cut off'],
        { prepare: true },
      );
    await history(session).addMessages([new HumanMessage('after')]);
    const error = await history(session)
      .getMessages()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredMessageFormatError);
    expect((error as StoredMessageFormatError).rowId).toBe(badRow.toString());
    const skipped: StoredMessageFormatError[] = [];
    const read = await history(session, { onUnreadableRow: (e) => skipped.push(e) }).getMessages();
    expect(read.map((m) => m.content)).toEqual(['before', 'after']);
    expect(skipped.map((e) => e.rowId)).toEqual([badRow.toString()]);
  });
});
