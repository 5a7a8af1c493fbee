import type { mapping } from 'cassandra-driver';

/**
 * The Mapper's Result carries the driver's paging state at runtime, but the typings omit it and type
 * the `pageState` option as a number although the driver takes a hex string or a Buffer.
 */
export function pageStateOf(result: mapping.Result<unknown>): string | undefined {
  const state = (result as { pageState?: unknown }).pageState;
  return typeof state === 'string' && state.length > 0 ? state : undefined;
}

/** Execution options with a string page state, cast to what the Mapper's typings accept. */
export function withPageState(
  options: mapping.MappingExecutionOptions,
  pageState: string | undefined,
): mapping.MappingExecutionOptions {
  if (pageState === undefined) return options;
  return { ...options, pageState: pageState as unknown as number };
}
