import type { ObjectStore } from '../../storage/types';
import type { ObjectRef } from '../../transfer/copy/types';
import { copyObjectVerified, moveObjectVerified } from '../../transfer/copy/verifiedCopy';
import { copyMethodFor, serviceOf, type CopyEndpoint, type CopyMethod } from '../../transfer/copyMethod';
import { migrateObject, type MigrationCheckpointStore } from '../../transfer/migrate';

/**
 * Copy To… / Move or Rename… / drag and drop between any two places of the Buckets view, without the
 * editor: the core rule `copyMethodFor` picks a verified server-side copy (same cloud and account) or a
 * verified streamed migration (another cloud or account), as the CLI's `cp` does.
 */

/** One side: a profile's store, its connection (for the rule) and the object. */
export interface CopyPlace extends ObjectRef {
  store: ObjectStore;
  endpoint: CopyEndpoint;
}

export interface RouteOptions {
  move: boolean;
  /** Replace an existing destination; otherwise the core's "destination exists" error is thrown. */
  overwrite: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Resume checkpoints for a streamed migration. */
  checkpoints?: MigrationCheckpointStore;
  log?: (line: string) => void;
}

/** What happened, the same shape for both routes. */
export interface RoutedOutcome {
  method: CopyMethod;
  source: ObjectRef;
  target: ObjectRef;
  size: number;
  sourceCrc64?: string;
  targetCrc64?: string;
  /** True only when the destination's CRC-64 was seen to equal the source's. */
  verified: boolean;
  /** Why it is not verified. */
  reason?: string;
  /** A move deleted its source: only ever after a verified copy. */
  sourceDeleted: boolean;
}

/** Copies (or moves) `source` to `destination` by the route `copyMethodFor` gives. */
export async function copyRouted(source: CopyPlace, destination: CopyPlace, options: RouteOptions): Promise<RoutedOutcome> {
  const method = copyMethodFor(source.endpoint, destination.endpoint);
  const from = { bucket: source.bucket, key: source.key };
  const to = { bucket: destination.bucket, key: destination.key };
  if (method === 'server') {
    const copyOptions = { signal: options.signal, overwrite: options.overwrite, onProgress: options.onProgress };
    const r = options.move ? await moveObjectVerified(source.store, from, to, copyOptions) : await copyObjectVerified(source.store, from, to, copyOptions);
    return { method, source: from, target: to, size: r.size, sourceCrc64: r.sourceCrc64, targetCrc64: r.targetCrc64, verified: r.verified, reason: r.reason, sourceDeleted: 'sourceDeleted' in r && r.sourceDeleted === true };
  }
  const r = await migrateObject({
    source: { store: source.store, ...from, service: serviceOf(source.endpoint.connection) },
    destination: { store: destination.store, ...to, service: serviceOf(destination.endpoint.connection) },
    ifExists: options.overwrite ? 'overwrite' : 'refuse',
    checkpoints: options.checkpoints,
    signal: options.signal,
    log: options.log,
    onProgress: (p) => options.onProgress?.(p.bytesDone, p.bytesTotal),
  });
  // Move = verified copy, then delete the source: never after an unverified one.
  const sourceDeleted = options.move && r.verified;
  if (sourceDeleted) await source.store.deleteObject(source.bucket, source.key, { signal: options.signal });
  return { method, source: from, target: to, size: r.size, sourceCrc64: r.sourceCrc64, targetCrc64: r.destinationCrc64, verified: r.verified, reason: r.reason, sourceDeleted };
}
