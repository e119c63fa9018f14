import * as l10n from '@vscode/l10n';
import { summaryLine, VERDICT_LABEL, VERDICT_SYMBOL, VERDICTS, type Verdict, type VerdictCounts } from './verdict';

/**
 * The one report a person reads, for Compare and Verify, in the editor and from the CLI: a title, where
 * and when, the counts per `--combined` symbol, the summary line, what was left out, then one
 * `<symbol> <path>  (detail)` line per result listed.
 */

export interface ReportLine {
  status: Verdict;
  /** Relative to the compared folder or prefix. */
  path: string;
  detail?: string;
}

export interface CheckReport {
  /** e.g. "Compare with Remote", "Verify". */
  title: string;
  /** `[label, value]` lines under the title, e.g. `['Remote', 'cos://b/p/  (profile "prod")']`. */
  fields: ReadonlyArray<readonly [string, string]>;
  counts: VerdictCounts;
  /** What a count is of: files (Compare) or objects (Verify). */
  noun?: [string, string];
  /** What the check left out, in words (links not followed, folder markers that hold bytes). */
  notes?: readonly string[];
  /** At most this many result lines; `more` is said after them when there were more. */
  limit?: number;
  more?: string;
}

/** `2024-01-02 03:04:05 UTC`. */
export function reportTime(at: Date): string {
  return `${at.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function checkReportText(report: CheckReport, lines: Iterable<ReportLine>): string {
  const { counts } = report;
  const labelWidth = Math.max(0, ...report.fields.map(([label]) => label.length + 1));
  const countWidth = Math.max(1, ...VERDICTS.map((v) => String(counts[v]).length));
  const out = [
    l10n.t('Bucket Integrity — {0}', report.title),
    ...report.fields.map(([label, value]) => `${`${label}:`.padEnd(labelWidth)} ${value}`),
    '',
    ...VERDICTS.map((v) => `${String(counts[v]).padStart(countWidth)} ${VERDICT_SYMBOL[v]} ${VERDICT_LABEL[v]}`),
    '',
    summaryLine(counts, report.noun),
    ...(report.notes?.length ? [l10n.t('Left out ({0}):', report.notes.length), ...report.notes.map((n) => `  ${n}`)] : []),
  ];
  let shown = 0;
  for (const line of lines) {
    if (shown === 0) out.push('');
    if (report.limit !== undefined && shown === report.limit) {
      if (report.more) out.push(report.more);
      break;
    }
    shown++;
    out.push(`${VERDICT_SYMBOL[line.status]} ${line.path}${line.detail ? `  (${line.detail})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
