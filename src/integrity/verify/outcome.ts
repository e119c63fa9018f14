import { resultLine, type ExportedResult } from '../check/format';
import type { Verdict, VerdictCounts } from '../verdict';

/** What a verify run says about each object: one verdict of `../verdict` per object. */

export { emptyCounts, VERDICTS as VERIFY_STATUSES, VERDICT_SYMBOL as COMBINED_SYMBOL } from '../verdict';

export type VerifyStatus = Verdict;

/** A verify result as its journal keeps it and its exports write it. */
export type VerifyResult = ExportedResult;

export type VerifyCounts = VerdictCounts;

/** `<symbol> <path>` of a `--combined` listing, the path relative to `prefix` (the one `resultLine`). */
export function combinedLine(r: VerifyResult, prefix: string): string {
  return resultLine(r, r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key, false);
}
