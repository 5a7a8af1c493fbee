import * as otel from '@opentelemetry/api';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from '@opentelemetry/semantic-conventions';
import { MessageValidationError, SessionNotFoundError } from '../../../src/errors';
import { OperationSpans } from '../../../src/telemetry';
import { setOtelApiResolver } from '../../../src/telemetry/otel-api';
import { createTestStore } from '../../../src/testing';
import { exportedText, type InMemoryTracing, installInMemoryTracing, parentId } from '../../support/tracing';

afterEach(() => setOtelApiResolver());

async function* numbers(count: number, onClose: () => void = () => undefined): AsyncGenerator<number, void, undefined> {
  try {
    for (let i = 0; i < count; i += 1) yield i;
  } finally {
    onClose();
  }
}

describe('without @opentelemetry/api', () => {
  const absent = jest.fn(() => undefined);
  beforeEach(() => {
    absent.mockClear();
    setOtelApiResolver(absent);
  });

  it('calls straight through: the very promise and generator of the operation, no wrapper', async () => {
    const spans = new OperationSpans('ks');
    const result = Promise.resolve(42);
    const describe = jest.fn(() => ({}));
    expect(spans.trace('chat_history.count', () => result, describe)).toBe(result);
    const items = numbers(2);
    expect(spans.each('chat_history.iterate', () => items, 'n')).toBe(items);
    expect(describe).not.toHaveBeenCalled();
  });

  it('looks for the API once, lazily, at the first operation', async () => {
    const spans = new OperationSpans('ks');
    expect(absent).not.toHaveBeenCalled();
    for (let i = 0; i < 5; i += 1) await spans.trace('chat_history.count', async () => i);
    expect(absent).toHaveBeenCalledTimes(1);
  });

  it('leaves a whole store working, and a registered SDK sees no span of it', async () => {
    const tracing = installInMemoryTracing();
    try {
      const { store } = createTestStore();
      const history = store.history('s1');
      await history.addMessages([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ]);
      expect((await history.getMessages()).map((m) => m.content)).toEqual(['a', 'b']);
      await expect(store.sessions.update('missing', { title: 't' })).rejects.toBeInstanceOf(SessionNotFoundError);
      expect(tracing.spans()).toEqual([]);
      expect(absent).toHaveBeenCalledTimes(1);
    } finally {
      await tracing.shutdown();
    }
  });
});

describe('with @opentelemetry/api', () => {
  let tracing: InMemoryTracing;
  beforeEach(() => {
    setOtelApiResolver(() => otel);
    tracing = installInMemoryTracing();
  });
  afterEach(async () => tracing.shutdown());

  it('emits one span with the database attributes, active while the operation runs', async () => {
    const spans = new OperationSpans('chat_ks');
    let inside: otel.Span | undefined;
    const value = await spans.trace(
      'chat_history.add_messages',
      async () => {
        inside = otel.trace.getActiveSpan();
        return [{ bucket: 1 }, { bucket: 1 }, { bucket: 2 }];
      },
      (messages) => ({ 'cassandra_chat_history.message.count': messages.length }),
    );
    expect(value).toHaveLength(3);
    const [span] = tracing.spans();
    expect(span.name).toBe('chat_history.add_messages');
    expect(inside?.spanContext().spanId).toBe(span.spanContext().spanId);
    expect(span.kind).toBe(otel.SpanKind.INTERNAL);
    expect(span.attributes).toEqual({
      [ATTR_DB_SYSTEM_NAME]: 'cassandra',
      [ATTR_DB_NAMESPACE]: 'chat_ks',
      [ATTR_DB_OPERATION_NAME]: 'chat_history.add_messages',
      'cassandra_chat_history.message.count': 3,
    });
    expect(span.status.code).toBe(otel.SpanStatusCode.UNSET);
  });

  it('records a failure with the typed error name, without its message', async () => {
    const spans = new OperationSpans('ks');
    const error = new SessionNotFoundError('session-id-that-is-user-data');
    await expect(spans.trace('sessions.update', async () => Promise.reject(error))).rejects.toBe(error);
    const [span] = tracing.spans();
    expect(span.status).toEqual({ code: otel.SpanStatusCode.ERROR, message: 'SessionNotFoundError' });
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('SessionNotFoundError');
    expect(span.events.map((e) => [e.name, e.attributes?.['exception.type']])).toEqual([
      ['exception', 'SessionNotFoundError'],
    ]);
    expect(String(span.events[0].attributes?.['exception.stacktrace'])).toMatch(/^\s+at /);
    expect(exportedText([span])).not.toContain('session-id-that-is-user-data');
  });

  it('names a thrown non-error _OTHER', async () => {
    await expect(new OperationSpans('ks').trace('chat_history.clear', async () => Promise.reject('text'))).rejects.toBe(
      'text',
    );
    expect(tracing.spans()[0].attributes[ATTR_ERROR_TYPE]).toBe('_OTHER');
  });

  it('spans an iteration from the first item to the last, each step in its context, counting items', async () => {
    const spans = new OperationSpans('ks');
    const parents: Array<string | undefined> = [];
    async function* source(): AsyncGenerator<number, void, undefined> {
      for (let i = 0; i < 3; i += 1) {
        parents.push(otel.trace.getActiveSpan()?.spanContext().spanId);
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const n of spans.each('chat_history.iterate', source, 'cassandra_chat_history.message.count'))
      seen.push(n);
    expect(seen).toEqual([0, 1, 2]);
    const [span] = tracing.spans();
    expect(span.name).toBe('chat_history.iterate');
    expect(span.attributes['cassandra_chat_history.message.count']).toBe(3);
    expect(parents).toEqual([span.spanContext().spanId, span.spanContext().spanId, span.spanContext().spanId]);
  });

  it('ends the span and closes the source when the consumer stops early', async () => {
    const closed = jest.fn();
    for await (const n of new OperationSpans('ks').each('chat_history.iterate', () => numbers(10, closed), 'count')) {
      if (n === 1) break;
    }
    expect(closed).toHaveBeenCalledTimes(1);
    expect(tracing.spans()[0].attributes.count).toBe(2);
  });

  it('records a failure of the iteration', async () => {
    async function* failing(): AsyncGenerator<number, void, undefined> {
      yield 1;
      throw new MessageValidationError('ChatMessage', [{ property: 'pageSize', constraints: { isPositive: 'no' } }]);
    }
    const consume = async () => {
      for await (const _ of new OperationSpans('ks').each('chat_history.iterate', failing)) void _;
    };
    await expect(consume()).rejects.toBeInstanceOf(MessageValidationError);
    expect(tracing.spans()[0].attributes[ATTR_ERROR_TYPE]).toBe('MessageValidationError');
  });

  it("nests a span under the caller's active span, and facade spans under facade spans", async () => {
    const { store } = createTestStore();
    const session = await store.sessions.create({ userId: 'u-1' });
    tracing.reset();
    await otel.trace.getTracer('app').startActiveSpan('request', async (request) => {
      await store.sessions.get(session.sessionId, { withMessageCount: true });
      request.end();
    });
    const byName = new Map(tracing.spans().map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(['chat_history.count', 'request', 'sessions.get']);
    expect(parentId(byName.get('sessions.get')!)).toBe(byName.get('request')!.spanContext().spanId);
    expect(parentId(byName.get('chat_history.count')!)).toBe(byName.get('sessions.get')!.spanContext().spanId);
    expect(byName.get('sessions.get')!.attributes['cassandra_chat_history.message.count']).toBe(0);
  });
});

describe('with @opentelemetry/api but no tracer provider registered', () => {
  it('calls straight through (no span, no context), and spans as soon as an SDK is registered', async () => {
    setOtelApiResolver(() => otel);
    const spans = new OperationSpans('ks');
    const result = Promise.resolve(42);
    expect(spans.trace('chat_history.count', () => result)).toBe(result);
    const items = numbers(1);
    expect(spans.each('chat_history.iterate', () => items)).toBe(items);
    const tracing = installInMemoryTracing();
    try {
      await expect(spans.trace('chat_history.count', async () => 7)).resolves.toBe(7);
      expect(tracing.spans().map((span) => span.name)).toEqual(['chat_history.count']);
    } finally {
      await tracing.shutdown();
    }
    expect(spans.trace('chat_history.count', () => result)).toBe(result);
  });
});

describe('with @opentelemetry/api and a span that does not record', () => {
  it('never reads the result for attributes (no SDK registered: the API no-op tracer)', async () => {
    setOtelApiResolver(() => otel);
    const describe = jest.fn(() => ({}));
    await expect(new OperationSpans('ks').trace('chat_history.count', async () => 7, describe)).resolves.toBe(7);
    await expect(
      new OperationSpans('ks').trace('chat_history.clear', async () => Promise.reject(new Error('x'))),
    ).rejects.toThrow('x');
    expect(describe).not.toHaveBeenCalled();
  });

  it('never reads the result for attributes (a sampler that drops the span)', async () => {
    setOtelApiResolver(() => otel);
    const tracing = installInMemoryTracing({ sampler: new AlwaysOffSampler() });
    try {
      const describe = jest.fn(() => ({}));
      await new OperationSpans('ks').trace('chat_history.count', async () => 7, describe);
      expect(describe).not.toHaveBeenCalled();
      expect(tracing.spans()).toEqual([]);
    } finally {
      await tracing.shutdown();
    }
  });
});
