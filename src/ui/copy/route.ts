import { describeLocation, locationOf, sameLocation } from '../../storage/locationIdentity';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { deleteSourceIfProven } from '../../transfer/copy/sourceRemoval';
import { CopyRequestError, type CopyOutcome, type ObjectRef } from '../../transfer/copy/types';
import { copyObjectVerified, moveObjectVerified } from '../../transfer/copy/verifiedCopy';
import { copyMethodFor, serviceOf, type CopyEndpoint, type CopyMethod } from '../../transfer/copyMethod';
import { migrateObject, type MigrationCheckpointStore } from '../../transfer/migrate';
import * as l10n from '@vscode/l10n';

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
  /** A move deleted its source: only after a verified copy, the source proven unchanged (`deleteSourceIfProven`). */
  sourceDeleted: boolean;
  /** Why a move kept its source, when it did. */
  keptBecause?: string;
  /** The source's HEAD before the copy: what a later delete (after a streamed check) must still find. */
  sourceInfo?: ObjectInfo;
}

/** Same object on both sides (canonical identity, not names or profiles): refused before anything is read. */
function refuseOntoItself(source: CopyPlace, destination: CopyPlace): void {
  const from = locationOf(source.endpoint.connection, source.bucket, source.key);
  const to = locationOf(destination.endpoint.connection, destination.bucket, destination.key);
  if (sameLocation(from, to)) {
    throw new CopyRequestError(
      l10n.t(
        '{0} cannot be copied onto itself: the destination is the same object. Nothing was copied or deleted.',
        describeLocation(from),
      ),
    );
  }
}

/** Copies (or moves) `source` to `destination` by the route `copyMethodFor` gives. */
export async function copyRouted(source: CopyPlace, destination: CopyPlace, options: RouteOptions): Promise<RoutedOutcome> {
  refuseOntoItself(source, destination);
  const method = copyMethodFor(source.endpoint, destination.endpoint);
  const from = { bucket: source.bucket, key: source.key };
  const to = { bucket: destination.bucket, key: destination.key };
  if (method === 'server') {
    const copyOptions = { signal: options.signal, overwrite: options.overwrite, onProgress: options.onProgress };
    let r: CopyOutcome;
    let removal: { sourceDeleted: boolean; keptBecause?: string } = { sourceDeleted: false };
    if (options.move) {
      const moved = await moveObjectVerified(source.store, from, to, copyOptions);
      r = moved;
      removal = { sourceDeleted: moved.sourceDeleted, ...(moved.verified && moved.keptBecause ? { keptBecause: moved.keptBecause } : {}) };
    } else r = await copyObjectVerified(source.store, from, to, copyOptions);
    return routedOutcome(method, from, to, { ...r, sourceInfo: r.info }, removal);
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
  const removal =
    options.move && r.verified ? await removeSource(source, destination, r.sourceInfo, options.signal) : { sourceDeleted: false };
  return routedOutcome(method, from, to, { ...r, targetCrc64: r.destinationCrc64 }, removal);
}

/** What either route did, in the one shape of `RoutedOutcome`. */
function routedOutcome(
  method: CopyMethod,
  source: ObjectRef,
  target: ObjectRef,
  copied: Pick<RoutedOutcome, 'size' | 'sourceCrc64' | 'targetCrc64' | 'verified' | 'reason' | 'sourceInfo'>,
  removal: Pick<RoutedOutcome, 'sourceDeleted' | 'keptBecause'>,
): RoutedOutcome {
  return {
    method,
    source,
    target,
    size: copied.size,
    sourceCrc64: copied.sourceCrc64,
    targetCrc64: copied.targetCrc64,
    verified: copied.verified,
    reason: copied.reason,
    ...removal,
    sourceInfo: copied.sourceInfo,
  };
}

/**
 * A move's delete by the one rule (`deleteSourceIfProven`): after a verified copy (or a streamed check of
 * one), the source still the object `read` was. Also the way on after "Verify by Streaming".
 */
export async function removeSource(
  source: CopyPlace,
  destination: CopyPlace,
  read: ObjectInfo | undefined,
  signal?: AbortSignal,
): Promise<{ sourceDeleted: boolean; keptBecause?: string }> {
  if (!read) return { sourceDeleted: false, keptBecause: l10n.t('the source was not read before the copy') };
  return deleteSourceIfProven(source.store, {
    source: locationOf(source.endpoint.connection, source.bucket, source.key),
    destination: locationOf(destination.endpoint.connection, destination.bucket, destination.key),
    bucket: source.bucket,
    key: source.key,
    read,
    verified: true,
    signal,
  });
}
