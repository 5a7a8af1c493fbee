/**
 * Measures validation cost per message (not a test: timing in unit tests is flaky on shared CI).
 * Run: npx ts-node --transpile-only test/unit/entities/measure-validation.ts
 */
import 'reflect-metadata';
import { types } from 'cassandra-driver';
import { checkMessageWithClassValidator } from '../../../src/entities/validation';
import { validateMessage } from '../../../src/entities';
import { DEFAULT_VALIDATION_LIMITS } from '../../../src/entities/rules';

const COUNT = 20_000;
const ROUNDS = 5;

function typicalMessages(count: number): Record<string, unknown>[] {
  const content = 'The quick brown fox jumps over the lazy dog. '.repeat(11).slice(0, 500);
  return Array.from({ length: count }, (_, i) => ({
    sessionId: `session-${i % 100}`,
    bucket: 1_700_000_000_000,
    id: types.TimeUuid.now().toString(),
    role: i % 2 === 0 ? 'user' : 'assistant',
    content,
    metadata: { source: 'web', turn: i, tags: ['a', 'b'] },
  }));
}

function microsPerMessage(run: (input: Record<string, unknown>) => unknown, inputs: Record<string, unknown>[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (const input of inputs) run(input);
    const elapsed = Number(process.hrtime.bigint() - start) / 1000;
    best = Math.min(best, elapsed / inputs.length);
  }
  return best;
}

function withToolCalls(messages: Record<string, unknown>[]): Record<string, unknown>[] {
  return messages.map((m, i) => ({
    ...m,
    role: 'assistant',
    content: '',
    toolCalls: [
      { id: `call_${i}_1`, name: 'search', args: { query: 'cassandra time buckets', limit: 5 } },
      {
        id: `call_${i}_2`,
        name: 'fetch',
        args: { url: 'https://example.invalid/a', headers: { accept: 'text/html' } },
      },
    ],
  }));
}

function classValidatorOnly(m: Record<string, unknown>): void {
  const outcome = checkMessageWithClassValidator(m, DEFAULT_VALIDATION_LIMITS);
  if (outcome.value === undefined) throw new Error(JSON.stringify(outcome.issues));
}

console.log(`${COUNT} messages × ${ROUNDS} rounds, best round, µs per message (validate + transform)`);
for (const [label, inputs] of [
  ['typical (~500 B content, small metadata)', typicalMessages(COUNT)],
  ['assistant with 2 tool calls', withToolCalls(typicalMessages(COUNT))],
] as const) {
  const slow = microsPerMessage(classValidatorOnly, inputs);
  const fast = microsPerMessage((m) => validateMessage(m), inputs);
  console.log(
    `${label}: class-transformer + validateSync ${slow.toFixed(2)} µs, validateMessage ${fast.toFixed(2)} µs`,
  );
}
