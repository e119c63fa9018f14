import type { BadgeEntry, BadgeStatus } from '../../integrity/badgeStore';
import type { VerifyResult, VerifyStatus } from '../../integrity/verify/outcome';
import { remoteBadgeKey } from '../shared/badgeKeys';
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

/** Badge entries for the objects of a verify run, keyed as the Buckets view shows them. */
export function badgeEntriesOf(target: VerifyTarget, results: readonly VerifyResult[]): Array<[string, BadgeEntry]> {
  const checkedAt = Date.now();
  const out: Array<[string, BadgeEntry]> = [];
  for (const r of results) {
    const status = BADGE_OF[r.status];
    if (!status) continue;
    out.push([
      remoteBadgeKey(target.profile, target.bucket, r.key),
      {
        status,
        checkedAt,
        ...(r.localCrc64 ? { localCrc64: r.localCrc64 } : {}),
        ...(r.remoteCrc64 ? { remoteCrc64: r.remoteCrc64, remoteCrcSource: 'service' as const } : {}),
        ...(r.detail ? { detail: r.detail } : {}),
      },
    ]);
  }
  return out;
}
