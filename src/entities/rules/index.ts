// The rules stored values must follow, declared once: id patterns, lengths, byte limits, JSON values,
// and the class-validator constraints that apply them. The lowest layer of the entities: imports
// nothing else of them.
export {
  CharLength,
  ContentRequired,
  IsPlainJsonObject,
  IsPrimitiveString,
  IsSafeInteger,
  isWellFormedUnicode,
  MaxChars,
  MaxJsonBytes,
  MaxUtf8Bytes,
  ToolCallIdRequired,
  utf8Bytes,
  WellFormedUnicode,
} from './constraints';
export {
  contentMayBeEmpty,
  MAX_NAME_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOOL_CALL_ID_LENGTH,
  MESSAGE_INPUT_KEY_LIST,
  MESSAGE_INPUT_KEYS,
  type MessageInputKey,
  SESSION_ID_PATTERN,
  SESSION_ID_RULE,
  TIME_UUID_PATTERN,
  TOOL_CALL_FIELD_LENGTH,
  TOOL_CALL_KEYS,
  toolCallIdApplies,
  toolCallIdRequired,
} from './message-rules';
export {
  type JsonObject,
  type JsonPrimitive,
  type JsonValue,
  isPlainObject,
  jsonProblem,
  MAX_JSON_DEPTH,
} from './json';
export {
  bindLimits,
  DEFAULT_VALIDATION_LIMITS,
  limitsOf,
  resolveLimits,
  type ValidationLimits,
} from './validation-limits';
