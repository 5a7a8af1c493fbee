import { types } from 'cassandra-driver';
import { EntityValidationError, type ValidationIssue } from '../../../src/errors';

/** A valid message in the stored input shape; each call gets a fresh id. */
export function validInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sessionId: 'session-1',
    bucket: 1_700_000_000_000,
    id: types.TimeUuid.now().toString(),
    role: 'user',
    content: 'Hello there',
    ...overrides,
  };
}

/** Same as validInput without the listed properties. */
export function validInputWithout(...keys: string[]): Record<string, unknown> {
  const input = validInput();
  for (const key of keys) delete input[key];
  return input;
}

/** The issues of the EntityValidationError (or subclass) `run` throws; fails when it does not throw one. */
export function issuesOf(
  run: () => unknown,
  errorClass: typeof EntityValidationError = EntityValidationError,
): ValidationIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(errorClass);
    return [...(error as EntityValidationError).issues];
  }
  throw new Error('expected a validation error, but the input was accepted');
}

/** `{ a: { a: { ... } } }` with `levels` objects in all (the outermost included). */
export function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}
