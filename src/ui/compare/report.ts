import type { FileResult, FileStatus } from '../../integrity/compare';

/**
 * The comparison report, like `rclone check --combined`: a header, counts per status, then one line per
 * file with a one-character marker (`=` same, `*` differs, `-` only local, `+` only in the bucket,
 * `?` cannot be checked, `!` error). Editor-free and unit-tested.
 */

export const REPORT_ORDER: readonly FileStatus[] = ['match', 'mismatch', 'missing-remote', 'missing-local', 'no-crc', 'error'];

export const STATUS_MARK: Record<FileStatus, string> = {
  match: '=',
  mismatch: '*',
  'missing-remote': '-',
  'missing-local': '+',
  'no-crc': '?',
  error: '!',
};

export const STATUS_LABEL: Record<FileStatus, string> = {
  match: 'match',
  mismatch: 'mismatch',
  'missing-remote': 'only local (missing in the bucket)',
  'missing-local': 'only in the bucket (missing locally)',
  'no-crc': 'no CRC-64 stored (cannot be checked)',
  error: 'error',
};

export type ReportCounts = Record<FileStatus, number>;

export function countResults(results: readonly FileResult[]): ReportCounts {
  const counts: ReportCounts = { match: 0, mismatch: 0, 'missing-remote': 0, 'missing-local': 0, 'no-crc': 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** True when everything compared matches (what a CI check or a user wants to know first). */
export function allMatch(results: readonly FileResult[]): boolean {
  return results.every((r) => r.status === 'match');
}

export function summaryLine(results: readonly FileResult[]): string {
  const c = countResults(results);
  const problems = results.length - c.match;
  const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
  if (results.length === 0) return 'Nothing to compare: no files on either side.';
  if (problems === 0) return `${files}: all match.`;
  const parts = REPORT_ORDER.filter((s) => s !== 'match' && c[s] > 0).map((s) => `${c[s]} ${shortLabel(s, c[s])}`);
  return `${files}: ${c.match} match, ${parts.join(', ')}.`;
}

function shortLabel(status: FileStatus, n: number): string {
  switch (status) {
    case 'mismatch':
      return n === 1 ? 'mismatch' : 'mismatches';
    case 'missing-remote':
      return 'only local';
    case 'missing-local':
      return 'only in the bucket';
    case 'no-crc':
      return 'without CRC-64';
    case 'error':
      return n === 1 ? 'error' : 'errors';
    default:
      return status;
  }
}

export interface ReportHeader {
  /** e.g. `site` (workspace-relative) or an absolute path. */
  local: string;
  /** e.g. `cos://photos-1250000000/site/`. */
  remote: string;
  profile: string;
  /** When the comparison finished. */
  at: Date;
}

function detailOf(r: FileResult): string {
  const parts: string[] = [];
  if (r.detail && r.status !== 'match') parts.push(r.detail);
  if (r.status === 'mismatch' && r.localCrc64 && r.remoteCrc64 && r.localSize === r.remoteSize) {
    parts.push(`local ${r.localCrc64}, remote ${r.remoteCrc64}`);
  }
  if (r.remoteCrcSource === 'download') parts.push('remote CRC-64 computed by downloading');
  return parts.length ? `  (${parts.join('; ')})` : '';
}

/** `N left out (first note)`: how a message mentions what a comparison left out; '' when nothing was. */
export function leftOutLine(notes: readonly string[]): string {
  return notes.length ? `${notes.length} left out (${notes[0]})` : '';
}

/**
 * The report of one comparison; `notes` are what it left out (links the folder walk does not follow,
 * folder markers that hold bytes), listed after the summary.
 */
export function formatReport(header: ReportHeader, results: readonly FileResult[], notes: readonly string[] = []): string {
  const counts = countResults(results);
  const width = Math.max(1, ...REPORT_ORDER.map((s) => String(counts[s]).length));
  const lines = [
    `Bucket Integrity — Compare with Remote`,
    `Local:   ${header.local}`,
    `Remote:  ${header.remote}  (profile "${header.profile}")`,
    `Checked: ${header.at.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')}`,
    '',
    ...REPORT_ORDER.map((s) => `${String(counts[s]).padStart(width)} ${STATUS_MARK[s]} ${STATUS_LABEL[s]}`),
    '',
    summaryLine(results),
    ...(notes.length ? [`Left out (${notes.length}):`, ...notes.map((n) => `  ${n}`)] : []),
    '',
    ...results.map((r) => `${STATUS_MARK[r.status]} ${r.relativePath}${detailOf(r)}`),
  ];
  return lines.join('\n') + '\n';
}
