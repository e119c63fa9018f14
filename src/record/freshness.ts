import { normalizeEtag } from './keyOrder';
import type { BriefObject } from './types';

/**
 * When what the record knows of an object still stands for the listed object. Kept apart from the record
 * (no SQLite) so the tree can apply the same rule without loading it.
 */

/** What a listing says of an object. */
export interface ListedObject {
  key: string;
  etag?: string;
  size: number;
  lastModified?: Date;
}

/**
 * Whether a listed object must be HEADed given what the record knows of it (`undefined`: nothing). The
 * recorded CRC-64 is trusted only when ETag, size and LastModified all match the listing: an ETag alone can
 * be forged (MD5 collisions) or kept by a copy tool, a new LastModified cannot be hidden by another client.
 * LastModified is compared to the second (HEAD answers in seconds, listings in milliseconds); an object
 * recorded without one is HEADed.
 */
export function needsHead(known: BriefObject | undefined, obj: ListedObject): boolean {
  return !known || isStale(known.size, known.etag, known.lastModified, obj);
}

/**
 * `needsHead` for what is known given field by field (a column of an inventory report as it streams, with no
 * object per row): whether the listed object is not the one with this size, ETag and LastModified.
 */
export function isStale(
  size: number,
  etag: string | null | undefined,
  lastModified: number | null | undefined,
  obj: ListedObject,
): boolean {
  return (
    size !== obj.size ||
    !sameEtag(etag ?? undefined, obj.etag) ||
    lastModified === undefined ||
    lastModified === null ||
    obj.lastModified === undefined ||
    Math.floor(lastModified / 1000) !== Math.floor(obj.lastModified.getTime() / 1000)
  );
}

/**
 * Whether a recorded ETag (normalized: `normalizeEtag`) is the listed one. The usual listed form, the
 * recorded text in quotes, is recognised without making a new string (a listing compares millions).
 */
function sameEtag(recorded: string | undefined, listed: string | undefined): boolean {
  if (
    recorded !== undefined &&
    listed !== undefined &&
    listed.length === recorded.length + 2 &&
    listed.charCodeAt(0) === 34 &&
    listed.charCodeAt(listed.length - 1) === 34 &&
    listed.startsWith(recorded, 1)
  )
    return true;
  return (recorded ?? null) === normalizeEtag(listed);
}
