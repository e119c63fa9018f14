/**
 * What a verify run says about each object, in the vocabulary of `rclone check --combined`, plus the
 * case rclone does not have: an object stored without a CRC-64 cannot be checked without downloading it.
 */

export type VerifyStatus = 'match' | 'differ' | 'only-local' | 'only-remote' | 'no-crc' | 'error';

export const VERIFY_STATUSES: readonly VerifyStatus[] = ['match', 'differ', 'only-local', 'only-remote', 'no-crc', 'error'];

/** The `--combined` line prefix of each status. */
export const COMBINED_SYMBOL: Record<VerifyStatus, string> = {
  match: '=',
  differ: '*',
  'only-local': '+',
  'only-remote': '-',
  'no-crc': '?',
  error: '!',
};

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

export type VerifyCounts = Record<VerifyStatus, number> & { total: number };

export function emptyCounts(): VerifyCounts {
  const counts = { total: 0 } as VerifyCounts;
  for (const s of VERIFY_STATUSES) counts[s] = 0;
  return counts;
}

export function combinedLine(r: VerifyResult, prefix: string): string {
  return `${COMBINED_SYMBOL[r.status]} ${r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key}`;
}
