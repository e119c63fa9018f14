import { join } from 'node:path';
import type { BadgeEntry, BadgeStatus } from '../../integrity/badgeStore';
import type { VerifyResult, VerifyStatus } from '../../integrity/verify/outcome';
import { localBadgeKey, remoteBadgeKey } from '../shared/badgeKeys';
import type { VerifyTarget } from './targets';

/** Verify outcomes in the badge store's words (an error is no verdict and leaves the badge as it was). */
const BADGE_OF: Record<VerifyStatus, BadgeStatus | undefined> = {
  match: 'match',
  differ: 'mismatch',
  'only-local': 'missing-remote',
  'only-remote': 'missing-local',
  'no-crc': 'no-crc',
  error: undefined,
};

/**
 * Badge entries for the objects of a verify run, keyed as the Buckets view shows them, and with a local
 * folder for its files too (the Explorer's badges): each side that exists gets the same entry.
 */
export function badgeEntriesOf(target: VerifyTarget, results: readonly VerifyResult[], localDir?: string): Array<[string, BadgeEntry]> {
  const checkedAt = Date.now();
  const out: Array<[string, BadgeEntry]> = [];
  for (const r of results) {
    const status = BADGE_OF[r.status];
    if (!status) continue;
    const entry: BadgeEntry = {
      status,
      checkedAt,
      ...(r.localCrc64 ? { localCrc64: r.localCrc64 } : {}),
      ...(r.remoteCrc64 ? { remoteCrc64: r.remoteCrc64, remoteCrcSource: 'service' as const } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
    };
    if (localDir && status !== 'missing-local' && r.key.startsWith(target.prefix)) {
      out.push([localBadgeKey(join(localDir, ...r.key.slice(target.prefix.length).split('/'))), entry]);
    }
    if (status !== 'missing-remote') out.push([remoteBadgeKey(target.profile, target.bucket, r.key), entry]);
  }
  return out;
}
