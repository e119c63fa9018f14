import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { VerifySummary } from './engine';
import * as l10n from '@vscode/l10n';
import { checkReportText, reportTime, type ReportLine } from '../report';
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

const CSV_COLUMNS = ['status', 'key', 'size', 'local_size', 'local_crc64', 'remote_crc64', 'previous_crc64', 'detail'] as const;

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(r: VerifyResult): string {
  return [r.status, r.key, r.size, r.localSize, r.localCrc64, r.remoteCrc64, r.previousCrc64, r.detail].map(csvCell).join(',');
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function writeReport(file: string, target: ReportTarget, summary: VerifySummary, issues: Iterable<VerifyResult>): Promise<void> {
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  const json = file.toLowerCase().endsWith('.json');
  if (json) {
    const head = { remote: target.remote, ...(target.localDir ? { local: target.localDir } : {}), checkedAt: target.checkedAt.toISOString(), counts: summary.counts, requests: summary.requests, resumed: summary.resumed };
    await write(out, `${JSON.stringify(head).slice(0, -1)},"results":[`);
    let first = true;
    for (const r of issues) {
      await write(out, `${first ? '' : ','}\n${JSON.stringify(r)}`);
      first = false;
    }
    await write(out, '\n]}\n');
  } else {
    await write(out, `${CSV_COLUMNS.join(',')}\n`);
    for (const r of issues) await write(out, `${csvRow(r)}\n`);
  }
  out.end();
  await done;
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
    for (const r of issues) yield { status: r.status, path: r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key, detail: r.detail };
  };
  return checkReportText(
    {
      title: l10n.t('Verify'),
      fields: [
        [l10n.t('Remote'), l10n.t('{0}  (profile "{1}")', target.remote, target.profile)],
        [l10n.t('Against'), target.localDir ?? l10n.t('the CRC record')],
        [l10n.t('Checked'), summary.resumed ? l10n.t('{0} (continued a stopped run)', reportTime(target.checkedAt)) : reportTime(target.checkedAt)],
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
