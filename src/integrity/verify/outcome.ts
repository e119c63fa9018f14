import { VERDICT_SYMBOL, type Verdict, type VerdictCounts } from '../verdict';

/** What a verify run says about each object: one verdict of `../verdict` per object. */

export { emptyCounts, VERDICTS as VERIFY_STATUSES, VERDICT_SYMBOL as COMBINED_SYMBOL } from '../verdict';

export type VerifyStatus = Verdict;

export interface VerifyResult {
  /** Object key (for a file only on the local side: the key it would have). */
  key: string;
  status: VerifyStatus;
  size?: number;
  localSize?: number;
  /** Unsigned decimal. */
  localCrc64?: string;
  remoteCrc64?: string;
  /** For `differ` found against the record: the CRC-64 recorded before for the same ETag. */
  previousCrc64?: string;
  /** Why, in a few words. */
  detail?: string;
}

export type VerifyCounts = VerdictCounts;

export function combinedLine(r: VerifyResult, prefix: string): string {
  return `${VERDICT_SYMBOL[r.status]} ${r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key}`;
}
