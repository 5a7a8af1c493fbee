import { packageTracing } from './otel-api';
import {
  CASSANDRA,
  DB_NAMESPACE,
  DB_OPERATION_NAME,
  DB_SYSTEM_NAME,
  type SpanAttributes,
  type TracedOperation,
} from './span-attributes';
import { type ResultAttributes, traced, tracedEach } from './traced';

/**
 * The spans of one keyspace's operations (a ChatHistoryStore's, a MigrationRunner's): each carries
 * the database attributes, built once per operation name and reused, so a traced call allocates
 * no attributes of its own unless its span records counts.
 */
export class OperationSpans {
  private readonly attributesByOperation = new Map<TracedOperation, SpanAttributes>();

  constructor(private readonly keyspace: string) {}

  /** `fn` in the operation's span (see {@link traced}); `describe` adds counts read off the result. */
  trace<T>(operation: TracedOperation, fn: () => Promise<T>, describe?: ResultAttributes<T>): Promise<T> {
    const tracing = packageTracing();
    if (tracing === undefined) return fn();
    return traced(tracing, operation, this.attributes(operation), fn, describe);
  }

  /** The items of `make()` in the operation's span (see {@link tracedEach}). */
  each<T>(
    operation: TracedOperation,
    make: () => AsyncGenerator<T, void, undefined>,
    countAttribute?: string,
  ): AsyncGenerator<T, void, undefined> {
    const tracing = packageTracing();
    if (tracing === undefined) return make();
    return tracedEach(tracing, operation, this.attributes(operation), make, countAttribute);
  }

  private attributes(operation: TracedOperation): SpanAttributes {
    let attributes = this.attributesByOperation.get(operation);
    if (attributes === undefined) {
      attributes = Object.freeze({
        [DB_SYSTEM_NAME]: CASSANDRA,
        [DB_NAMESPACE]: this.keyspace,
        [DB_OPERATION_NAME]: operation,
      });
      this.attributesByOperation.set(operation, attributes);
    }
    return attributes;
  }
}
