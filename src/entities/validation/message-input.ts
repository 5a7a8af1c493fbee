import { isISO8601 } from 'class-validator';
import { timeOfTimeUuid, type ToolCall } from '../models';

/** The failing constraint of a given `createdAt` (not null/undefined), or undefined when it is fine. */
export function createdAtConstraint(createdAt: unknown, id: unknown): Record<string, string> | undefined {
  let time: number;
  if (createdAt instanceof Date) time = createdAt.getTime();
  else if (typeof createdAt === 'string' && isISO8601(createdAt, { strict: true })) time = Date.parse(createdAt);
  else time = Number.NaN;
  if (Number.isNaN(time)) {
    return { isDate: 'createdAt, when given, must be a valid Date or ISO-8601 string (it may also be left out)' };
  }
  const idTime = timeOfTimeUuid(typeof id === 'string' ? id.toLowerCase() : id).getTime();
  // An invalid id is reported on `id` itself.
  if (Number.isNaN(idTime) || idTime === time) return undefined;
  return {
    createdAtMatchesId:
      `createdAt must equal the time encoded in id (${new Date(idTime).toISOString()}): it is derived from id and ` +
      'never stored; leave it out, or make the id with types.TimeUuid.fromDate(createdAt)',
  };
}

/** The stored shape of a validated tool call: exactly id, name and args. */
export function plainToolCall(call: { id: string; name: string; args: ToolCall['args'] }): ToolCall {
  return { id: call.id, name: call.name, args: call.args };
}
