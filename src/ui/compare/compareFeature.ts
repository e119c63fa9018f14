import { poolHasher } from '../../crc/hashers';
import type { CheckProgress } from '../../integrity/check/progress';
import { progressText } from '../shared/checkProgress';
import type { CompareDeps, FileResult } from '../../integrity/compare';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { remoteBadgeKey } from '../shared/badgeKeys';
import type { BucketsView } from '../shared/bucketsView';
import type { ReportDocuments } from '../shared/reportDocuments';
import { numberSettingOf } from '../shared/settings';

/** State shared by the compare commands: the services, the tree, and CRCs computed by downloading. */
export interface CompareFeature {
  readonly services: Pick<Services, 'badges' | 'storeFor' | 'hashPool' | 'localCrcs' | 'logger' | 'profiles' | 'results'>;
  /** The Buckets view, for its selection when a command runs without an argument. */
  readonly buckets?: BucketsView;
  readonly log: Logger;
  /** Remote CRC-64 values computed by downloading objects stored without one, valid while ETag and size hold. */
  readonly downloaded: Map<string, { etag?: string; size: number; crc64: string }>;
  /** Where reports open (read-only documents); a plain untitled document without it. */
  readonly reports?: ReportDocuments;
  /** Pairs compared so far, by remote badge key: what a refresh or a save re-checks. */
  readonly pairs: Map<string, ComparedPair>;
}

export interface ComparedPair {
  profile: string;
  bucket: string;
  key: string;
  localPath: string;
}

/** Remember compared pairs so a refresh of their folder in the tree can re-check them. */
export function rememberPairs(feature: CompareFeature, profile: string, bucket: string, results: readonly FileResult[]): void {
  for (const r of results) {
    if (r.status === 'error') continue;
    feature.pairs.set(remoteBadgeKey(profile, bucket, r.key), { profile, bucket, key: r.key, localPath: r.localPath });
  }
}

export function downloadedKey(profile: string, bucket: string, key: string): string {
  return `${profile}/${bucket}/${key}`;
}

/** Everything `compareFile` / `compareFolder` need, bound to one profile's store; progress comes out in words. */
export async function compareDeps(
  feature: CompareFeature,
  profile: string,
  bucket: string,
  store: ObjectStore,
  signal: AbortSignal | undefined,
  onProgress?: (message: string) => void,
): Promise<CompareDeps> {
  const cache = feature.services.localCrcs();
  const concurrency = numberSettingOf('compare.concurrency');
  return {
    store,
    signal,
    concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 8,
    ...(onProgress ? { onProgress: (p: CheckProgress) => onProgress(progressText(p)) } : {}),
    hashFiles: poolHasher(feature.services.hashPool(), cache),
    downloadedCrc: (key: string, info: ObjectInfo) => {
      const known = feature.downloaded.get(downloadedKey(profile, bucket, key));
      return known && known.size === info.size && known.etag === info.etag ? known.crc64 : undefined;
    },
  };
}
