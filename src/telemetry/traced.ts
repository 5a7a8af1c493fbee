import type { Span } from '@opentelemetry/api';
import type { OtelApi, PackageTracing } from './otel-api';
import { ERROR_TYPE, errorType, type SpanAttributes } from './span-attributes';

/** Attributes read off an operation's result; called only while the span is recording. */
export type ResultAttributes<T> = (result: T) => SpanAttributes;

/**
 * Runs `fn` in a span named `operation`, the span active while it runs, so that the spans of the
 * driver's instrumentation (and any other) started inside nest under it. OperationSpans calls it
 * only with a tracer provider registered; otherwise the operation is `fn()` and nothing more. The
 * span is INTERNAL: the round trips are the driver's CLIENT spans, and a CLIENT span around them
 * would count each database call twice.
 */
export function traced<T>(
  { api, tracer }: PackageTracing,
  operation: string,
  attributes: SpanAttributes,
  fn: () => Promise<T>,
  describe?: ResultAttributes<T>,
): Promise<T> {
  return tracer.startActiveSpan(operation, { kind: api.SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      const result = await fn();
      if (describe !== undefined && span.isRecording()) span.setAttributes(describe(result));
      return result;
    } catch (error) {
      recordFailure(api, span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The items of `make()`, in one span from the first item asked for until the last (or until the
 * consumer stops early, or a failure); each step runs with the span active. `countAttribute` gets
 * the number of items yielded. Like {@link traced}, only called with a tracer provider registered.
 */
export async function* tracedEach<T>(
  { api, tracer }: PackageTracing,
  operation: string,
  attributes: SpanAttributes,
  make: () => AsyncGenerator<T, void, undefined>,
  countAttribute: string | undefined,
): AsyncGenerator<T, void, undefined> {
  const span = tracer.startSpan(operation, { kind: api.SpanKind.INTERNAL, attributes });
  const active = api.trace.setSpan(api.context.active(), span);
  let source: AsyncGenerator<T, void, undefined> | undefined;
  let count = 0;
  let finished = false;
  try {
    source = api.context.with(active, make);
    const items = source;
    for (;;) {
      const step = await api.context.with(active, () => items.next());
      if (step.done === true) break;
      count += 1;
      yield step.value;
    }
    finished = true;
  } catch (error) {
    finished = true;
    recordFailure(api, span, error);
    throw error;
  } finally {
    try {
      // The consumer stopped early (break, return): let the source release what it holds.
      if (!finished && source !== undefined) await api.context.with(active, () => source?.return());
    } finally {
      if (countAttribute !== undefined && span.isRecording()) span.setAttribute(countAttribute, count);
      span.end();
    }
  }
}

/**
 * ERROR status, `error.type` and an exception event with the type and the stack frames. Not the
 * message: some name a session (SessionNotFoundError), and an error from a caller's callback may
 * carry anything.
 */
function recordFailure(api: OtelApi, span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const type = errorType(error);
  span.setAttribute(ERROR_TYPE, type);
  span.recordException({ name: type, stack: stackFrames(error) });
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: type });
}

/** The `at ...` lines of the error's stack, without its first line(s), which repeat the message. */
function stackFrames(error: unknown): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack === undefined) return undefined;
  const firstFrame = stack.indexOf('\n    at ');
  return firstFrame === -1 ? undefined : stack.slice(firstFrame + 1);
}
