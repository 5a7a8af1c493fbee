import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { type BaseCheckpointSaver, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';

/**
 * A compiled LangGraph chat graph (MessagesAnnotation) whose "model" is a node function: it answers
 * each user message with what it saw, so a test can tell from the answer which history the node was
 * given (a resumed thread, a fork).
 */
export function echoGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(MessagesAnnotation)
    .addNode('model', (state: typeof MessagesAnnotation.State) => {
      const users = state.messages.filter((m) => HumanMessage.isInstance(m));
      const last = users[users.length - 1];
      return {
        messages: [
          new AIMessage(
            `echo ${String(last?.content)} (user turn ${users.length}, ${state.messages.length} messages seen)`,
          ),
        ],
      };
    })
    .addEdge(START, 'model')
    .addEdge('model', END)
    .compile({ checkpointer });
}

export function contents(messages: readonly BaseMessage[]): string[] {
  return messages.map((m) => `${m.getType()}: ${String(m.content)}`);
}
