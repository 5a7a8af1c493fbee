import type { CheckpointListOptions, CheckpointTuple } from '@langchain/langgraph-checkpoint';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { CheckpointPartition, CheckpointRepository } from '../mapping';
import type { CheckpointCodec } from './checkpoint-codec';
import { checkpointIdOf, namespaceOf, threadIdOf } from './checkpoint-target';
import { metadataMatches } from './metadata-filter';
import type { TupleReader } from './tuple-reader';

const PAGE_SIZE = 50;

interface ListContext {
  readonly repository: CheckpointRepository;
  readonly codec: CheckpointCodec;
  readonly reader: TupleReader;
}

interface PartitionQuery {
  readonly before?: string;
  readonly only?: string;
  readonly filter?: Record<string, unknown>;
}

/**
 * `list()`: newest first within a thread and namespace, read a page at a time and stopped as soon as
 * `limit` tuples matched. Without a namespace the thread's namespaces (from the index) are merged
 * newest first; without a thread every indexed thread is read, one after the other (a full scan of
 * the index, meant for tools, not for request paths).
 */
export async function* listCheckpoints(
  ctx: ListContext,
  config: RunnableConfig,
  options: CheckpointListOptions = {},
): AsyncGenerator<CheckpointTuple> {
  const limit = options.limit;
  if (limit !== undefined && limit <= 0) return;
  const query: PartitionQuery = {
    before: checkpointIdOf(options.before),
    only: checkpointIdOf(config),
    filter: options.filter,
  };
  const threadId = threadIdOf(config);
  const namespace = namespaceOf(config);
  let emitted = 0;
  if (threadId === undefined) {
    for await (const p of ctx.repository.allPartitions()) {
      if (namespace !== undefined && p.checkpointNs !== namespace) continue;
      for await (const tuple of partitionTuples(ctx, p, query)) {
        yield tuple;
        if (limit !== undefined && ++emitted >= limit) return;
      }
    }
    return;
  }
  if (namespace !== undefined) {
    for await (const tuple of partitionTuples(ctx, { threadId, checkpointNs: namespace }, query)) {
      yield tuple;
      if (limit !== undefined && ++emitted >= limit) return;
    }
    return;
  }
  // Several namespaces: each yields at most `limit` tuples newest first; merged by checkpoint id.
  const perNamespace: CheckpointTuple[] = [];
  for (const checkpointNs of await ctx.repository.namespacesOf(threadId)) {
    let taken = 0;
    for await (const tuple of partitionTuples(ctx, { threadId, checkpointNs }, query)) {
      perNamespace.push(tuple);
      if (limit !== undefined && ++taken >= limit) break;
    }
  }
  perNamespace.sort((a, b) => (a.checkpoint.id < b.checkpoint.id ? 1 : a.checkpoint.id > b.checkpoint.id ? -1 : 0));
  yield* limit === undefined ? perNamespace : perNamespace.slice(0, limit);
}

async function* partitionTuples(
  ctx: ListContext,
  p: CheckpointPartition,
  query: PartitionQuery,
): AsyncGenerator<CheckpointTuple> {
  if (query.only !== undefined) {
    const row = await ctx.repository.get(p, query.only);
    if (row === undefined || (query.before !== undefined && !(row.checkpointId < query.before))) return;
    const metadata = await ctx.codec.metadata(row);
    if (metadataMatches(metadata, query.filter)) yield await ctx.reader.tuple(p, row, metadata);
    return;
  }
  let pageState: string | undefined;
  do {
    const page = await ctx.repository.page(p, PAGE_SIZE, query.before, pageState);
    for (const row of page.items) {
      const metadata = await ctx.codec.metadata(row);
      if (metadataMatches(metadata, query.filter)) yield await ctx.reader.tuple(p, row, metadata);
    }
    pageState = page.pageState;
  } while (pageState !== undefined);
}
