import { type ClassTransformOptions, plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import type { ValidationIssue } from '../../errors';
import { ChatMessage, Session, ToolCallRecord } from '../models';
import { bindLimits, isPlainObject, type ValidationLimits } from '../rules';
import { createdAtConstraint, plainToolCall } from './message-input';
import { flattenValidationErrors, mergeIssues } from './validation-issues';

/** Unset input properties must not overwrite the class's initial values (metadata = {}, title = ''). */
const TRANSFORM_OPTIONS: ClassTransformOptions = { exposeUnsetFields: false };

export const VALIDATOR_OPTIONS: ValidatorOptions = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // Issues carry property paths and rule names, never the (possibly private) values.
  validationError: { target: false, value: false },
});

export type Outcome<T> =
  | { readonly value: T; readonly issues: readonly [] }
  | { readonly value?: undefined; readonly issues: readonly ValidationIssue[] };

const ROOT_NOT_OBJECT = (what: string): ValidationIssue => ({
  property: '',
  constraints: { isObject: `a ${what} must be an object` },
});

function isObjectInput(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

/** Objects where only scalars are valid become `{}`: same verdict, nothing for the transform to recurse into. */
function flatten(value: unknown): unknown {
  return typeof value === 'object' && value !== null && !(value instanceof Date) ? {} : value;
}

/** Own keys of `input` except `skip` (and `__proto__`, which an assignment would turn into a prototype). */
function scalarCopy(input: Record<string, unknown>, skip: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (key !== '__proto__' && !skip.includes(key)) copy[key] = flatten(input[key]);
  }
  return copy;
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * Keys class-transformer silently drops instead of copying (`__proto__`, and names of prototype
 * members such as `constructor` or `toJSON`), so whitelisting after the transform cannot see them.
 */
function unreachableKeys(
  input: object,
  prototype: object,
  path: string,
  allowed: readonly string[] = [],
): ValidationIssue[] {
  return Object.keys(input)
    .filter((key) => !allowed.includes(key) && (key === '__proto__' || key in prototype))
    .map((key) => ({
      property: path === '' ? key : `${path}.${key}`,
      constraints: { whitelistValidation: `property ${key} should not exist` },
    }));
}

/**
 * The declared class-validator rules of ChatMessage applied to `input`, with every failing
 * property. This is the reference behaviour; the fast path must agree with it.
 */
export function checkMessageWithClassValidator(input: unknown, limits: ValidationLimits): Outcome<ChatMessage> {
  if (!isObjectInput(input)) return { issues: [ROOT_NOT_OBJECT('message')] };
  const issues: ValidationIssue[] = unreachableKeys(input, ChatMessage.prototype, '', ['createdAt']);

  // class-transformer recurses into every object it copies: on arbitrary JSON it drops `constructor`
  // keys, turns Dates and class instances into copies, and overflows the stack on deep or circular
  // values. So the JSON fields (metadata, tool call args) bypass it and are put back untouched for the
  // validators, and objects where a scalar belongs are flattened first (they are refused either way).
  const { metadata, createdAt } = input;
  const rest = scalarCopy(input, ['metadata', 'createdAt', 'toolCalls']);
  const rawToolCalls = input.toolCalls;
  if (Array.isArray(rawToolCalls)) {
    // Array.from visits holes of a sparse array (map would skip them and the transform would close them).
    rest.toolCalls = Array.from(rawToolCalls, (call: unknown, index) => {
      if (!isPlainObject(call)) {
        // class-transformer would turn a Map, Set or Date element into something that passes.
        issues.push({
          property: `toolCalls[${index}]`,
          constraints: { isToolCall: 'each tool call must be a plain object { id, name, args }' },
        });
        return null;
      }
      issues.push(...unreachableKeys(call, ToolCallRecord.prototype, `toolCalls[${index}]`));
      return scalarCopy(call, ['args']);
    });
  } else if (rawToolCalls !== undefined && rawToolCalls !== null) {
    // A Set would become an array in the transform and pass @IsArray.
    issues.push({ property: 'toolCalls', constraints: { isArray: 'toolCalls must be an array' } });
    rest.toolCalls = flatten(rawToolCalls);
  }

  const message = plainToInstance(ChatMessage, rest, TRANSFORM_OPTIONS);
  if (hasOwn(input, 'metadata') && metadata !== undefined) message.metadata = metadata as ChatMessage['metadata'];
  if (Array.isArray(rawToolCalls) && Array.isArray(message.toolCalls)) {
    message.toolCalls.forEach((record: unknown, index) => {
      const raw: unknown = rawToolCalls[index];
      if (record instanceof ToolCallRecord && isPlainObject(raw) && hasOwn(raw, 'args')) {
        record.args = raw.args as ToolCallRecord['args'];
      }
    });
  }

  issues.push(...flattenValidationErrors(validateSync(bindLimits(message, limits), VALIDATOR_OPTIONS)));
  if (hasOwn(input, 'createdAt') && createdAt !== undefined && createdAt !== null) {
    const constraint = createdAtConstraint(createdAt, input.id);
    if (constraint !== undefined) issues.push({ property: 'createdAt', constraints: constraint });
  }
  if (issues.length > 0) return { issues: mergeIssues(issues) };

  // Optional fields given as null mean "absent": they are left unset rather than written as null.
  if (message.name === null) message.name = undefined;
  if (message.toolCallId === null) message.toolCallId = undefined;
  if (message.toolCalls === null) message.toolCalls = undefined;
  else if (message.toolCalls !== undefined) message.toolCalls = message.toolCalls.map(plainToolCall);
  return { value: message, issues: [] };
}

/** The declared class-validator rules of Session applied to `input`. */
export function checkSessionWithClassValidator(input: unknown, limits: ValidationLimits): Outcome<Session> {
  if (!isObjectInput(input)) return { issues: [ROOT_NOT_OBJECT('session')] };
  const issues: ValidationIssue[] = unreachableKeys(input, Session.prototype, '');
  const { metadata } = input;
  const session = plainToInstance(Session, scalarCopy(input, ['metadata']), TRANSFORM_OPTIONS);
  if (hasOwn(input, 'metadata') && metadata !== undefined) session.metadata = metadata as Session['metadata'];
  issues.push(...flattenValidationErrors(validateSync(bindLimits(session, limits), VALIDATOR_OPTIONS)));
  if (issues.length > 0) return { issues: mergeIssues(issues) };
  if (session.userId === null) session.userId = undefined;
  return { value: session, issues: [] };
}
