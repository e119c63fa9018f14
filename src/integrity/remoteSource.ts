import { StorageError } from '../storage/errors';
import type { ObjectInfo, ObjectStore } from '../storage/types';
import { runLimited } from '../util/concurrency';
import { CancelledError, isCancelled } from '../util/errors';

/**
 * Where a check learns what it compares local files with: each object's size and CRC-64. A HEAD per
 * object is the source of Compare, and of Verify for what the CRC record does not know (Verify reads the
 * record itself for unchanged content, merged with the listing). Another bucket's record — a
 * bucket-against-bucket audit — is one more source of the same shape.
 */

/** An object's facts; `undefined` when there is no such object; an Error when this one could not be read. */
export type RemoteFacts = ObjectInfo | Error | undefined;

export interface RemoteCrcSource {
  /**
   * The facts of each key. Rejects on cancellation and on errors that would fail every other request too
   * (credentials, access denied, a missing bucket): the whole check stops instead of marking each object.
   */
  facts(keys: readonly string[], options?: { signal?: AbortSignal; onEach?(): void }): Promise<Map<string, RemoteFacts>>;
}

/** Errors that concern the whole check rather than one object. */
export function isFatalForCheck(err: unknown): boolean {
  return err instanceof StorageError && (err.kind === 'credentials' || err.kind === 'access-denied' || err.kind === 'no-such-bucket');
}

/** One HEAD per key, `concurrency` at once. */
export function headSource(store: Pick<ObjectStore, 'head'>, bucket: string, concurrency: number): RemoteCrcSource {
  return {
    async facts(keys, options = {}) {
      const { signal } = options;
      const out = new Map<string, RemoteFacts>();
      await runLimited(
        keys,
        concurrency,
        async (key, laneSignal) => {
          try {
            out.set(key, await store.head(bucket, key, { signal: laneSignal }));
          } catch (err) {
            if (signal?.aborted || isCancelled(err)) throw new CancelledError();
            if (isFatalForCheck(err)) throw err;
            out.set(key, err instanceof StorageError && err.kind === 'no-such-key' ? undefined : (err as Error));
          }
          options.onEach?.();
        },
        { signal },
      );
      return out;
    },
  };
}
