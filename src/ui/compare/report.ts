import type { FileResult } from '../../integrity/compare';
import { checkReportText, reportTime } from '../../integrity/report';
import { allMatch as countsAllMatch, countVerdicts, summaryLine as countsSummary, type VerdictCounts } from '../../integrity/verdict';
import * as l10n from '@vscode/l10n';

/**
 * The comparison report in the one report format (`integrity/report`): a header, counts per verdict,
 * then one line per file with its `rclone check --combined` symbol. Editor-free and unit-tested.
 */

export type ReportCounts = VerdictCounts;

export function countResults(results: readonly FileResult[]): ReportCounts {
  return countVerdicts(results);
}

/** True when everything compared matches (what a CI check or a user wants to know first). */
export function allMatch(results: readonly FileResult[]): boolean {
  return countsAllMatch(countVerdicts(results));
}

export function summaryLine(results: readonly FileResult[]): string {
  return countsSummary(countVerdicts(results));
}

export interface ReportHeader {
  /** Which command ran: the report says so in its title. */
  title?: string;
  /** e.g. `site` (workspace-relative) or an absolute path. */
  local: string;
  /** e.g. `cos://photos-1250000000/site/`. */
  remote: string;
  profile: string;
  /** When the comparison finished. */
  at: Date;
}

function detailOf(r: FileResult): string | undefined {
  const parts: string[] = [];
  if (r.detail && r.status !== 'match') parts.push(r.detail);
  if (r.status === 'differ' && r.localCrc64 && r.remoteCrc64 && r.localSize === r.remoteSize) {
    parts.push(l10n.t('local {0}, remote {1}', r.localCrc64, r.remoteCrc64));
  }
  if (r.remoteCrcSource === 'download') parts.push(l10n.t('remote CRC-64 computed by downloading'));
  return parts.length ? parts.join('; ') : undefined;
}

/** `N left out (first note)`: how a message mentions what a comparison left out; '' when nothing was. */
export function leftOutLine(notes: readonly string[]): string {
  return notes.length ? l10n.t('{0} left out ({1})', notes.length, notes[0]) : '';
}

/**
 * The report of one comparison; `notes` are what it left out (links the folder walk does not follow,
 * folder markers that hold bytes), listed after the summary.
 */
export function formatReport(header: ReportHeader, results: readonly FileResult[], notes: readonly string[] = []): string {
  return checkReportText(
    {
      title: header.title ?? l10n.t('Compare with Remote'),
      fields: [
        [l10n.t('Local'), header.local],
        [l10n.t('Remote'), l10n.t('{0}  (profile "{1}")', header.remote, header.profile)],
        [l10n.t('Checked'), reportTime(header.at)],
      ],
      counts: countVerdicts(results),
      notes,
    },
    results.map((r) => ({ status: r.status, path: r.relativePath, detail: detailOf(r) })),
  );
}
