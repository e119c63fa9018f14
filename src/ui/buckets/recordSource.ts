import { recordProblem } from '../shared/recordAccess';
import { remoteBadgeKey } from '../shared/badgeKeys';
import type { Logger } from '../logger';
import type { BucketsServices } from './bucketsFeature';
import { readRecorded, recordBadgeUpdates } from './recordBadges';
import type { TreeSource } from './treeModel';

const RETRY_AFTER_MS = 60_000;

/**
 * The tree's view of the CRC record: recorded CRC-64s of each listed page, and their badges. Browsing
 * never creates a record; one held by another window or from a newer version only costs the badges
 * (said once in the log, the message the Verify commands show in full).
 */
export function recordSource(services: BucketsServices, log: Logger): Pick<TreeSource, 'recorded' | 'objectsListed'> {
  const access = services.record;
  if (!access) return {};
  let told = false;
  // Opening a record another window holds waits a few seconds: after a failure, pages list without it for a while.
  let retryAt = 0;
  return {
    recorded: async (profile, bucket, keys) => {
      if ((!access.isOpen && !access.exists()) || Date.now() < retryAt) return new Map();
      try {
        return await access.use((record) => readRecorded(record, { profile, bucket }, keys));
      } catch (err) {
        if (!told) log.warn(`No badges from the CRC record: ${recordProblem(err) ?? (err as Error).message}`);
        told = true;
        retryAt = Date.now() + RETRY_AFTER_MS;
        return new Map();
      }
    },
    objectsListed: (nodes) => {
      const { set, remove } = recordBadgeUpdates(
        nodes,
        (n) => remoteBadgeKey(n.location.profile, n.location.bucket, n.location.key),
        (key) => services.badges.get(key),
      );
      if (set.length > 0) services.badges.setMany(set);
      for (const key of remove) services.badges.delete(key);
    },
  };
}
