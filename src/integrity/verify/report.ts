import type { VerifySummary } from './engine';
import * as l10n from '@vscode/l10n';
import { checkReportText, reportTime, type ReportLine } from '../report';
import { writeExport } from '../check/format';
import { countsLine as countsOf } from '../verdict';
import type { VerifyResult } from './outcome';

/**
 * Verify reports written to a file as they are read from the record (a run of millions never sits in
 * memory): CSV, or JSON when the file name ends in `.json`. Both hold the counts and every object that
 * did not match; the `--combined` listing holds every object.
 */

export interface ReportTarget {
  /** e.g. `cos://bucket/prefix/`. */
  remote: string;
  localDir?: string;
  checkedAt: Date;
}

/** The verify run's counts and every object that did not match, as CSV or JSON (`writeExport`). */
export async function writeReport(
  file: string,
  target: ReportTarget,
  summary: VerifySummary,
  issues: Iterable<VerifyResult>,
): Promise<void> {
  const head = {
    remote: target.remote,
    ...(target.localDir ? { localDir: target.localDir } : {}),
    checkedAt: target.checkedAt,
    counts: summary.counts,
    extra: { requests: summary.requests, resumed: summary.resumed },
  };
  await writeExport(file, head, issues);
}

/** "3 = match, 1 * differ, …" */
export function countsLine(summary: VerifySummary): string {
  return countsOf(summary.counts);
}

/** At most this many problem lines in a text report; the file exports (`--report`) have them all. */
const TEXT_REPORT_LINES = 10_000;

/** The report a person reads (the one report format): where, when, the counts, then each object that did not match. */
export function reportText(target: ReportTarget & { profile: string }, summary: VerifySummary, issues: Iterable<VerifyResult>): string {
  const prefix = target.remote.replace(/^[a-z]+:\/\/[^/]+\//, '');
  const lines = function* (): Generator<ReportLine> {
    for (const r of issues)
      yield { status: r.status, path: r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key, detail: r.detail };
  };
  return checkReportText(
    {
      title: l10n.t('Verify'),
      fields: [
        [l10n.t('Remote'), l10n.t('{0}  (profile "{1}")', target.remote, target.profile)],
        [l10n.t('Against'), target.localDir ?? l10n.t('the CRC record')],
        [
          l10n.t('Checked'),
          summary.resumed ? l10n.t('{0} (continued a stopped run)', reportTime(target.checkedAt)) : reportTime(target.checkedAt),
        ],
        [l10n.t('Requests'), l10n.t('{0} list, {1} HEAD', summary.requests.list, summary.requests.head)],
      ],
      counts: summary.counts,
      noun: ['object', 'objects'],
      limit: TEXT_REPORT_LINES,
      more: l10n.t('… and more: export them all with "bucket-integrity verify --report FILE".'),
    },
    lines(),
  );
}
