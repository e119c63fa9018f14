import type { BadgeEntry, BadgeStore } from '../../integrity/badgeStore';
import type { Verdict } from '../../integrity/verdict';
import { localBadgeKey, remoteBadgeKey } from './badgeKeys';

/**
 * The one way a check's results reach the badge store, for Compare and Verify alike: the local file and
 * the object get the same entry (where each exists), and the side a result says is missing loses its
 * badge, so a deleted file or object does not keep an old "match". A result without a local path was
 * judged against the object alone (Verify against the record): it is remote-only, and the store keeps a
 * local-vs-remote result over it.
 */
export interface BadgedResult {
  status: Verdict;
  key: string;
  /** The local file of the pair; absent when the object was judged alone. */
  localPath?: string;
  localCrc64?: string;
  remoteCrc64?: string;
  remoteCrcSource?: BadgeEntry['remoteCrcSource'];
  detail?: string;
}

export interface BadgeScope {
  profile: string;
  bucket: string;
}

/** Store updates for results: `[key, entry]` to set, `[key, undefined]` to forget. */
export function badgeUpdates(
  scope: BadgeScope,
  results: Iterable<BadgedResult>,
  checkedAt = Date.now(),
): Array<[string, BadgeEntry | undefined]> {
  const updates: Array<[string, BadgeEntry | undefined]> = [];
  for (const r of results) {
    // An error is no verdict: the badge stays what it was.
    if (r.status === 'error') continue;
    const entry: BadgeEntry = {
      status: r.status,
      checkedAt,
      ...(r.localCrc64 ? { localCrc64: r.localCrc64 } : {}),
      ...(r.remoteCrc64 ? { remoteCrc64: r.remoteCrc64, remoteCrcSource: r.remoteCrcSource ?? 'service' } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
      ...(r.localPath === undefined ? { remoteOnly: true } : {}),
    };
    if (r.localPath !== undefined) updates.push([localBadgeKey(r.localPath), r.status === 'only-remote' ? undefined : entry]);
    updates.push([remoteBadgeKey(scope.profile, scope.bucket, r.key), r.status === 'only-local' ? undefined : entry]);
  }
  return updates;
}

/** Records results in the badge store with one change notification. */
export function applyResults(badges: BadgeStore, scope: BadgeScope, results: Iterable<BadgedResult>): void {
  badges.apply(badgeUpdates(scope, results));
}
