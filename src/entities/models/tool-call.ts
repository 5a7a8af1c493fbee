import { CharLength, IsPlainJsonObject, IsPrimitiveString, type JsonValue, TOOL_CALL_FIELD_LENGTH } from '../rules';

/** A tool (function) call requested by an assistant message; stored in `tool_calls` as JSON. */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, JsonValue>;
}

/**
 * The validation rules of one tool call. Only the validator sees instances of this class: validated
 * messages carry plain `ToolCall` objects.
 */
export class ToolCallRecord implements ToolCall {
  @IsPrimitiveString()
  @CharLength(TOOL_CALL_FIELD_LENGTH.min, TOOL_CALL_FIELD_LENGTH.max)
  id!: string;

  @IsPrimitiveString()
  @CharLength(TOOL_CALL_FIELD_LENGTH.min, TOOL_CALL_FIELD_LENGTH.max)
  name!: string;

  @IsPlainJsonObject()
  args!: Record<string, JsonValue>;
}
