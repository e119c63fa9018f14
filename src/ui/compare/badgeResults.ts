import type { BadgeEntry, BadgeStore } from '../../integrity/badgeStore';
import type { FileResult } from '../../integrity/compare';
import { localBadgeKey, remoteBadgeKey } from '../shared/badgeKeys';

/** Badge entries for results: the local file and the object get the same entry (where each exists). */
export function badgeUpdates(profile: string, bucket: string, results: readonly FileResult[]): Array<[string, BadgeEntry]> {
  const updates: Array<[string, BadgeEntry]> = [];
  const at = Date.now();
  for (const r of results) {
    if (r.status === 'error') continue;
    const entry: BadgeEntry = {
      status: r.status,
      ...(r.localCrc64 ? { localCrc64: r.localCrc64 } : {}),
      ...(r.remoteCrc64 ? { remoteCrc64: r.remoteCrc64, remoteCrcSource: r.remoteCrcSource ?? 'service' } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
      checkedAt: at,
    };
    if (r.status !== 'missing-local') updates.push([localBadgeKey(r.localPath), entry]);
    if (r.status !== 'missing-remote') updates.push([remoteBadgeKey(profile, bucket, r.key), entry]);
  }
  return updates;
}

/**
 * Record results in the badge store: both sides get the same entry; the side that does not exist (any
 * more) loses its badge, so a deleted file or object does not keep an old "match".
 */
export function applyResults(badges: BadgeStore, profile: string, bucket: string, results: readonly FileResult[]): void {
  for (const r of results) {
    if (r.status === 'missing-local') badges.delete(localBadgeKey(r.localPath));
    if (r.status === 'missing-remote') badges.delete(remoteBadgeKey(profile, bucket, r.key));
  }
  badges.setMany(badgeUpdates(profile, bucket, results));
}
