import { describeLocation, locationOf, prefixesOverlap, sameLocation } from '../../storage/locationIdentity';
import { folderPrefix } from '../../storage/listing';
import type { ConnectionOptions } from '../../storage/types';

/**
 * What an audit refuses before a request, and what it warns of: two places of one bucket where one holds
 * the other (each object would be compared with itself, or a side would count the other's objects as
 * its own), and an inventory report too old to stand for the bucket without its live listing.
 */

export interface PlaceCheck {
  connection: Pick<ConnectionOptions, 'provider' | 'region' | 'endpoint'>;
  bucket: string;
  prefix: string;
}

/** `undefined` when the two places can be audited against each other; otherwise why not, in a sentence. */
export function auditPlaces(first: PlaceCheck, second: PlaceCheck): string | undefined {
  const a = locationOf(first.connection, first.bucket, folderPrefix(first.prefix));
  const b = locationOf(second.connection, second.bucket, folderPrefix(second.prefix));
  if (sameLocation(a, b)) return `both sides are ${describeLocation(a)}: a place audited against itself proves nothing.`;
  if (prefixesOverlap(a, b)) {
    return `${describeLocation(a)} and ${describeLocation(b)} overlap in one bucket (one prefix holds the other), so objects would be counted on both sides; choose two prefixes that do not contain each other.`;
  }
  return undefined;
}

/** Reports older than this are warned of. */
export const REPORT_AGE_LIMIT_MS = 7 * 24 * 3600 * 1000;

/** A warning with the report's date when it is older than a week; `undefined` otherwise. */
export function reportAgeWarning(label: string, reportDate: number | undefined, now: number, listing: boolean): string | undefined {
  if (reportDate === undefined || now - reportDate <= REPORT_AGE_LIMIT_MS) return undefined;
  const days = Math.floor((now - reportDate) / (24 * 3600 * 1000));
  const when = new Date(reportDate).toISOString().slice(0, 10);
  const consequence = listing
    ? 'objects changed since are HEADed from the live listing, which may take many requests'
    : 'objects added, replaced or deleted since are not seen without the live listing';
  return `the inventory report of ${label} is from ${when} (${days} days old): ${consequence}.`;
}
