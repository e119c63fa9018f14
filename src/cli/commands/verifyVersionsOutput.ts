import { VERDICT_SHORT, VERDICT_SYMBOL, VERDICTS } from '../../integrity/verdict';
import type { VersionResult, VersionsSummary } from '../../integrity/versions/verifyVersions';
import { formatCount } from '../../util/format';
import { exitCodeOfRun } from '../exitCodes';

/** What `verify --all-versions` prints: a line per version that did not match, each delete marker, the counts. */

export interface VersionsRun {
  summary: VersionsSummary;
  /** Versions that did not match, and the delete markers. */
  issues: VersionResult[];
}

/** `? key  (version X): why`, or `x key  (version X): delete marker` (x: no bytes to check). */
export function versionLine(r: VersionResult, prefix: string): string {
  const path = r.key.slice(prefix.length);
  const which = `version ${r.versionId}${r.isLatest ? ', current' : ''}`;
  if (r.deleteMarker)
    return `x ${path}  (${which}): delete marker${r.isLatest ? ' (the object is deleted; its older versions remain)' : ''}`;
  return `${VERDICT_SYMBOL[r.status!]} ${path}  (${which})${r.detail ? `: ${r.detail}` : ''}`;
}

export function versionsLine(s: VersionsSummary): string {
  const counts = VERDICTS.filter((v) => s.counts[v]).map((v) => `${formatCount(s.counts[v]!)} ${VERDICT_SHORT[v]}`);
  const markers = s.deleteMarkers ? `; ${formatCount(s.deleteMarkers)} delete marker${s.deleteMarkers === 1 ? '' : 's'}` : '';
  return `${formatCount(s.versions)} ${s.versions === 1 ? 'version' : 'versions'} checked by version id: ${counts.join(', ') || 'none'}${markers}`;
}

export function versionsExitCode(s: VersionsSummary): number {
  return exitCodeOfRun({ couldNotCheck: (s.counts.error ?? 0) > 0, dataProblem: (s.counts.differ ?? 0) + (s.counts['no-crc'] ?? 0) > 0 });
}
