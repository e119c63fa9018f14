import { VERIFY_STATUSES } from '../../integrity/verify/outcome';
import type { VerifyProgress, VerifySummary } from '../../integrity/verify/engine';
import { formatCount, formatDuration } from '../../util/format';

/** How a verify shows itself while it runs and when it is done (editor-free, unit-tested). */

/** One progress line: "12,345 of 1,000,000 objects · 52,000/s · ETA 19 s · 3 HEAD". */
export function progressText(p: VerifyProgress): string {
  const parts = [`${formatCount(p.done)}${p.total ? ` of ${formatCount(p.total)}` : ''} objects`, `${formatCount(p.objectsPerSecond)}/s`];
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  parts.push(`${formatCount(p.heads)} HEAD`);
  return parts.join(' · ');
}

/** Whether every object matched (nothing differs, nothing missing on either side, no error). */
export function allMatched(summary: VerifySummary): boolean {
  return VERIFY_STATUSES.every((s) => s === 'match' || summary.counts[s] === 0);
}
