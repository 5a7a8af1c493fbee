import { ClusteringKey, PartitionKey, Table } from '../metadata';

/** A namespace a LangGraph thread has checkpoints in (a row of `langgraph_thread_namespaces`). */
@Table('langgraph_thread_namespaces')
export class ThreadNamespaceRecord {
  @PartitionKey('text')
  threadId!: string;

  @ClusteringKey('text')
  checkpointNs!: string;
}
