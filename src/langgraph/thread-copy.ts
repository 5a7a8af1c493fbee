import type { CheckpointBlobRecord } from '../entities';
import type { CheckpointRepository } from '../mapping';

const BLOB_BATCH = 50;

/**
 * Copies a thread's checkpoints (every namespace), their pending writes and the channel values they
 * read into another thread, through the same Mapper writes as `put`. With `upTo`, only checkpoints
 * at or before that id are copied: the target thread is a fork whose latest checkpoint is `upTo`.
 * Returns how many checkpoints were copied.
 */
export async function copyThread(
  repository: CheckpointRepository,
  from: string,
  to: string,
  upTo: string | undefined,
  ttlSeconds: number | undefined,
): Promise<number> {
  let copied = 0;
  for (const checkpointNs of await repository.namespacesOf(from)) {
    const source = { threadId: from, checkpointNs };
    const referenced = new Set<string>();
    let pageState: string | undefined;
    do {
      const page = await repository.page(source, 100, undefined, pageState);
      for (const row of page.items) {
        if (upTo !== undefined && row.checkpointId > upTo) continue;
        for (const [channel, key] of Object.entries(row.channelVersions ?? {})) referenced.add(blobId(channel, key));
        const writes = await repository.writesOf(source, row.checkpointId);
        await repository.save(Object.assign(row, { threadId: to }), [], ttlSeconds);
        await repository.saveWrites(
          writes.map((write) => Object.assign(write, { threadId: to })),
          ttlSeconds,
        );
        copied += 1;
      }
      pageState = page.pageState;
    } while (pageState !== undefined);
    let batch: CheckpointBlobRecord[] = [];
    for await (const blob of repository.allBlobs(source)) {
      if (!referenced.has(blobId(blob.channel, blob.versionKey))) continue;
      batch.push(Object.assign(blob, { threadId: to }));
      if (batch.length >= BLOB_BATCH) {
        await repository.saveBlobs(batch, ttlSeconds);
        batch = [];
      }
    }
    await repository.saveBlobs(batch, ttlSeconds);
  }
  return copied;
}

function blobId(channel: string, versionKey: string): string {
  return `${channel}\u0000${versionKey}`;
}
