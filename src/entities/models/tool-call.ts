import { CharLength, IsPlainJsonObject, IsPrimitiveString, type JsonValue } from '../rules';

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
  @CharLength(1, 256)
  id!: string;

  @IsPrimitiveString()
  @CharLength(1, 256)
  name!: string;

  @IsPlainJsonObject()
  args!: Record<string, JsonValue>;
}
