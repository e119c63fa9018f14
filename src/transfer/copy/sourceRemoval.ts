import * as l10n from '@vscode/l10n';
import { StorageError } from '../../storage/errors';
import { sameLocation, type LocationIdentity } from '../../storage/locationIdentity';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { throwIfAborted } from '../../util/errors';

/**
 * The one rule of every "delete after" path (CLI `cp --move`, a streamed migration's move, the tree's
 * Move or Rename…, a drag-and-drop move): the source is deleted only when
 * 1. the copy was verified,
 * 2. the destination is not the source itself (however the endpoints were spelled), and
 * 3. the source is still the object that was read: a HEAD just before the delete gives the same ETag,
 *    LastModified and size (and CRC-64, when both have one) as the HEAD taken before the copy.
 * Anything else keeps the source and says why. The services offer no conditional delete, so this HEAD
 * is the last look; it narrows the window to one round trip.
 */

export interface SourceRemoval {
  /** Where the source and the destination are, canonically (see `locationIdentity`). */
  source: LocationIdentity;
  destination: LocationIdentity;
  /** The source's bucket and key as the store is called with them. */
  bucket: string;
  key: string;
  /** The source's HEAD taken before the copy began. */
  read: ObjectInfo;
  /** The destination was seen to hold the source's bytes (CRC-64 equal). */
  verified: boolean;
  signal?: AbortSignal;
}

export interface RemovalOutcome {
  sourceDeleted: boolean;
  /** Why the source was kept, when it was. */
  keptBecause?: string;
}

const normalEtag = (e: string | undefined): string => (e ?? '').replace(/"/g, '').toLowerCase();

/** Why `now` is not the object `read` was, or undefined when nothing tells them apart. */
export function sourceDifference(read: ObjectInfo, now: ObjectInfo): string | undefined {
  if (!read.etag || !now.etag) return 'the service gave no ETag to compare';
  if (normalEtag(read.etag) !== normalEtag(now.etag)) return `its ETag is now ${now.etag}, it was ${read.etag}`;
  if (!read.lastModified || !now.lastModified) return 'the service gave no LastModified to compare';
  if (read.lastModified.getTime() !== now.lastModified.getTime()) {
    return `it was written again at ${now.lastModified.toISOString()} (read as of ${read.lastModified.toISOString()})`;
  }
  if (read.size !== now.size) return `its size is now ${now.size}, it was ${read.size}`;
  if (read.crc64 && now.crc64 && read.crc64 !== now.crc64) return `its CRC-64 is now ${now.crc64}, it was ${read.crc64}`;
  return undefined;
}

/** Deletes the source of a copy when (and only when) the rule above holds. */
export async function deleteSourceIfProven(store: Pick<ObjectStore, 'head' | 'deleteObject'>, r: SourceRemoval): Promise<RemovalOutcome> {
  if (!r.verified) return { sourceDeleted: false, keptBecause: l10n.t('the copy is not verified') };
  if (sameLocation(r.source, r.destination)) {
    return {
      sourceDeleted: false,
      keptBecause: l10n.t('the destination is the source itself (the same object under another spelling of its endpoint)'),
    };
  }
  throwIfAborted(r.signal);
  let now: ObjectInfo;
  try {
    now = await store.head(r.bucket, r.key, { signal: r.signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-key')
      return { sourceDeleted: false, keptBecause: l10n.t('the source is no longer there (someone else removed it)') };
    throw err;
  }
  const difference = sourceDifference(r.read, now);
  if (difference) return { sourceDeleted: false, keptBecause: l10n.t('the source changed after it was copied ({0})', difference) };
  await store.deleteObject(r.bucket, r.key, { signal: r.signal });
  return { sourceDeleted: true };
}

/** The message a kept source adds to a move's report. */
export function keptMessage(outcome: RemovalOutcome): string {
  return outcome.keptBecause ? `the source was kept: ${outcome.keptBecause}` : '';
}
