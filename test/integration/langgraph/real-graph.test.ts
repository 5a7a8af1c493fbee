import { join } from 'node:path';
import { HumanMessage } from '@langchain/core/messages';
import { type StateSnapshot } from '@langchain/langgraph';
import { CassandraSaver } from '../../../src/langgraph';
import { contents, echoGraph } from '../../support/echo-graph';
import { SaverKeyspace } from '../../support/langgraph';
import { runTsScript } from '../../support/processes';

const keyspace = new SaverKeyspace('lg_graph');
const RESUME = join(__dirname, 'child', 'resume-thread.ts');

beforeAll(() => keyspace.open());
afterAll(() => keyspace.close());

async function history(graph: ReturnType<typeof echoGraph>, threadId: string): Promise<StateSnapshot[]> {
  const states: StateSnapshot[] = [];
  for await (const state of graph.getStateHistory({ configurable: { thread_id: threadId } })) states.push(state);
  return states;
}

describe('a compiled StateGraph (MessagesAnnotation) on CassandraSaver', () => {
  const thread = 'graph-thread-1';
  const config = { configurable: { thread_id: thread } };

  it('runs several turns, each seeing the whole conversation so far', async () => {
    const graph = echoGraph(keyspace.saver());
    for (const text of ['hello', 'how are you?', 'tell me more'])
      await graph.invoke({ messages: [new HumanMessage(text)] }, config);
    const state = await graph.getState(config);
    expect(contents(state.values.messages)).toEqual([
      'human: hello',
      'ai: echo hello (user turn 1, 1 messages seen)',
      'human: how are you?',
      'ai: echo how are you? (user turn 2, 3 messages seen)',
      'human: tell me more',
      'ai: echo tell me more (user turn 3, 5 messages seen)',
    ]);
    // input + loop checkpoints of each turn: 3 per turn (input, after __start__, after model).
    expect((await history(graph, thread)).length).toBe(9);
  });

  it('resumes the same thread in a new process, which sees and extends the conversation', async () => {
    const run = await runTsScript(RESUME, [keyspace.keyspace, thread, 'and now?']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const child = JSON.parse(run.stdout.trim()) as { pid: number; before: string[]; after: string[] };
    expect(child.pid).not.toBe(process.pid);
    expect(child.before).toHaveLength(6);
    expect(child.after.slice(6)).toEqual(['human: and now?', 'ai: echo and now? (user turn 4, 7 messages seen)']);
    // And this process, with a saver of its own, reads what the child wrote.
    const state = await echoGraph(keyspace.saver()).getState(config);
    expect(contents(state.values.messages)).toEqual(child.after);
  });

  it('time-travels to an earlier checkpoint and forks from it; the abandoned branch stays intact', async () => {
    const graph = echoGraph(keyspace.saver());
    const states = await history(graph, thread);
    const afterTurn1 = states.find((s) => s.values.messages?.length === 2 && s.next.length === 0);
    const afterTurn4 = states[0];
    expect(afterTurn1).toBeDefined();
    expect(afterTurn4?.values.messages).toHaveLength(8);

    // Replaying from turn 1's checkpoint with new input branches the thread there.
    const forked = await graph.invoke({ messages: [new HumanMessage('a different question')] }, afterTurn1!.config);
    expect(contents(forked.messages)).toEqual([
      'human: hello',
      'ai: echo hello (user turn 1, 1 messages seen)',
      'human: a different question',
      'ai: echo a different question (user turn 2, 3 messages seen)',
    ]);
    const latest = await graph.getState(config);
    expect(latest.values.messages).toHaveLength(4);
    expect(latest.parentConfig?.configurable?.checkpoint_id).toBeDefined();

    // The fork wrote new channel versions: the old branch still reads its own messages, not the fork's.
    const old = await graph.getState(afterTurn4!.config);
    expect(contents(old.values.messages)).toEqual(contents(afterTurn4!.values.messages));
    // Both branches are in the thread's history.
    expect((await history(graph, thread)).length).toBe(12 + 3);
  });

  it('forks into a new thread with copyThread({ upTo }) and continues there, leaving the source alone', async () => {
    const saver = keyspace.saver();
    const graph = echoGraph(saver);
    const states = await history(graph, thread);
    const afterTurn2 = states.find(
      (s) =>
        s.values.messages?.length === 4 &&
        s.next.length === 0 &&
        String(s.values.messages[2].content) === 'how are you?',
    );
    expect(afterTurn2).toBeDefined();
    const copied = await saver.copyThread(thread, 'graph-thread-2', {
      upTo: String(afterTurn2!.config.configurable?.checkpoint_id),
    });
    expect(copied).toBe(6);
    const result = await graph.invoke(
      { messages: [new HumanMessage('in the copy')] },
      { configurable: { thread_id: 'graph-thread-2' } },
    );
    expect(contents(result.messages).slice(3)).toEqual([
      'ai: echo how are you? (user turn 2, 3 messages seen)',
      'human: in the copy',
      'ai: echo in the copy (user turn 3, 5 messages seen)',
    ]);
    expect((await graph.getState(config)).values.messages).toHaveLength(4);
  });

  it('with integer channel versions (the base class default) a fork would overwrite the abandoned branch', async () => {
    // Why CassandraSaver counts versions up with a random fraction: the same scenario on a saver that
    // uses the base class's plain integers shows the collision the fraction avoids.
    class IntegerVersionSaver extends CassandraSaver {
      override getNextVersion(current: number | undefined): number {
        return current === undefined ? 1 : Math.floor(current) + 1;
      }
    }
    const graph = echoGraph(new IntegerVersionSaver({ client: keyspace.driver, keyspace: keyspace.keyspace }));
    const intConfig = { configurable: { thread_id: 'graph-thread-int' } };
    for (const text of ['one', 'two']) await graph.invoke({ messages: [new HumanMessage(text)] }, intConfig);
    const states = await history(graph, 'graph-thread-int');
    const afterTurn1 = states.find((s) => s.values.messages?.length === 2 && s.next.length === 0);
    const afterTurn2 = states[0];
    await graph.invoke({ messages: [new HumanMessage('fork')] }, afterTurn1!.config);
    const old = await graph.getState(afterTurn2!.config);
    expect(contents(old.values.messages)).not.toEqual(contents(afterTurn2!.values.messages));
    expect(contents(old.values.messages)).toContain('human: fork');
  });
});
