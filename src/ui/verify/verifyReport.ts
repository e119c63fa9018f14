import { allMatch } from '../../integrity/verdict';
import type { VerifySummary } from '../../integrity/verify/engine';

/** Whether every object matched (nothing differs, nothing missing on either side, no error). */
export function allMatched(summary: VerifySummary): boolean {
  return allMatch(summary.counts);
}
