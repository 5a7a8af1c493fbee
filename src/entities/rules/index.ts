// The rules stored values must follow, declared once: id patterns, lengths, byte limits, JSON values,
// and the class-validator constraints that apply them. The lowest layer of the entities: imports
// nothing else of them.
export {
  CharLength,
  ContentRequired,
  contentMayBeEmpty,
  IsPlainJsonObject,
  IsPrimitiveString,
  IsSafeInteger,
  isWellFormedUnicode,
  MAX_NAME_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOOL_CALL_ID_LENGTH,
  MaxChars,
  MaxJsonBytes,
  MaxUtf8Bytes,
  SESSION_ID_PATTERN,
  TIME_UUID_PATTERN,
  ToolCallIdRequired,
  utf8Bytes,
  WellFormedUnicode,
} from './constraints';
export { type JsonObject, type JsonPrimitive, type JsonValue, isPlainObject, jsonProblem, MAX_JSON_DEPTH } from './json';
export { bindLimits, DEFAULT_VALIDATION_LIMITS, limitsOf, resolveLimits, type ValidationLimits } from './validation-limits';
