import type { RunnableConfig } from '@langchain/core/runnables';
import type { CheckpointPartition } from '../mapping';
import { CheckpointConfigError } from './checkpoint-config-error';

/** Where a config points: a thread's namespace, and maybe one checkpoint of it. */
export interface CheckpointTarget extends CheckpointPartition {
  readonly checkpointId?: string;
}

/** `configurable.thread_id` as text, or undefined when absent. Numbers are accepted (LangGraph users pass them). */
export function threadIdOf(config: RunnableConfig | undefined): string | undefined {
  const raw: unknown = config?.configurable?.thread_id;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new CheckpointConfigError(
      'config.configurable.thread_id',
      `must be a non-empty string, got ${describe(raw)}`,
    );
  }
  return raw;
}

/** `configurable.checkpoint_ns`, undefined when absent (callers default it to the root namespace ''). */
export function namespaceOf(config: RunnableConfig | undefined): string | undefined {
  const raw: unknown = config?.configurable?.checkpoint_ns;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string')
    throw new CheckpointConfigError('config.configurable.checkpoint_ns', `must be a string, got ${describe(raw)}`);
  return raw;
}

/** `configurable.checkpoint_id` (or LangGraph's older `thread_ts`), undefined when absent. */
export function checkpointIdOf(config: RunnableConfig | undefined): string | undefined {
  const raw: unknown = config?.configurable?.checkpoint_id ?? config?.configurable?.thread_ts;
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string')
    throw new CheckpointConfigError('config.configurable.checkpoint_id', `must be a string, got ${describe(raw)}`);
  return raw;
}

/** The target of a write: throws CheckpointConfigError naming the field when the thread is missing. */
export function writeTarget(config: RunnableConfig, operation: string): CheckpointTarget {
  if (config.configurable === undefined || config.configurable === null) {
    throw new CheckpointConfigError('config.configurable', `is required by ${operation} (it carries thread_id)`);
  }
  const threadId = threadIdOf(config);
  if (threadId === undefined)
    throw new CheckpointConfigError('config.configurable.thread_id', `is required by ${operation}`);
  return { threadId, checkpointNs: namespaceOf(config) ?? '', checkpointId: checkpointIdOf(config) };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return 'an empty string';
  return value === null ? 'null' : `a ${typeof value}`;
}
