import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { checkReportText, reportTime, type ReportLine } from '../report';
import { VERDICT_SYMBOL } from '../verdict';
import type { AuditRequests, AuditSummary } from './engine';
import type { AuditResult } from './judge';

/**
 * Audit reports: the text a person reads (the one report format of Compare and Verify, the same in the
 * editor and from the CLI), and the file exports written as they are read from the record (CSV, or JSON
 * when the name ends in `.json`) with the counts and every object that did not match.
 */

export interface AuditTarget {
  first: string;
  second: string;
  checkedAt: Date;
  /** How the CRC-64s were known: "the inventories and the live listings", … */
  basis: string;
  /** Warnings to keep with the verdict (an old inventory report, a side checked by HEAD). */
  notes?: readonly string[];
}

/**
 * How the CRC-64s of a run were known, in words: `streamed` sides read from their inventory reports as they
 * came (not imported), `imported` sides' inventories imported into the CRC record; the rest from the record.
 */
export function auditBasisText(o: { listing: boolean; imported?: number; streamed?: number }): string {
  const listed = 'the live listings (changed objects HEADed)';
  if (o.streamed === 2)
    return o.listing
      ? `both inventory reports as they were read (not imported) and ${listed}`
      : 'both inventory reports as they were read, not imported and without listing (as fresh as the reports)';
  // One report streamed is always with the listings: the other side is known from the record.
  if (o.streamed === 1) return `one side's inventory report as it was read (not imported), the CRC record for the other, and ${listed}`;
  const inv = o.imported === 2 ? 'both inventories' : o.imported === 1 ? 'one inventory and the CRC record' : 'the CRC record';
  return o.listing ? `${inv} and ${listed}` : `${inv} alone, without listing (as fresh as the reports)`;
}

const CSV_COLUMNS = ['status', 'path', 'size_first', 'size_second', 'crc64_first', 'crc64_second', 'detail'] as const;

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsvRow(r: AuditResult): string {
  return [r.status, r.path, r.size1, r.size2, r.crc1, r.crc2, r.detail].map(csvCell).join(',');
}

export const AUDIT_CSV_HEADER = CSV_COLUMNS.join(',');

/** `<symbol> <path>`, one line of `--combined`. */
export function auditCombinedLine(r: AuditResult): string {
  return `${VERDICT_SYMBOL[r.status]} ${r.path}`;
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export function requestsText(r: AuditRequests): string {
  const side = (s: AuditRequests['first']) => `${s.list} list, ${s.head} HEAD${s.get ? `, ${s.get} GET` : ''}`;
  return `first: ${side(r.first)}; second: ${side(r.second)}`;
}

export async function writeAuditReport(
  file: string,
  target: AuditTarget,
  summary: AuditSummary,
  issues: Iterable<AuditResult>,
): Promise<void> {
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  if (file.toLowerCase().endsWith('.json')) {
    const head = {
      first: target.first,
      second: target.second,
      checkedAt: target.checkedAt.toISOString(),
      basis: target.basis,
      notes: target.notes ?? [],
      counts: summary.counts,
      requests: summary.requests,
      resumed: summary.resumed,
    };
    await write(out, `${JSON.stringify(head).slice(0, -1)},"results":[`);
    let first = true;
    for (const r of issues) {
      await write(out, `${first ? '' : ','}\n${JSON.stringify(r)}`);
      first = false;
    }
    await write(out, '\n]}\n');
  } else {
    await write(out, `${AUDIT_CSV_HEADER}\n`);
    for (const r of issues) await write(out, `${auditCsvRow(r)}\n`);
  }
  out.end();
  await done;
}

/** At most this many problem lines in a text report; the file exports have them all. */
const TEXT_REPORT_LINES = 10_000;

/** The report a person reads: both places, when, how, the counts, then each object that did not match. */
export function auditReportText(target: AuditTarget, summary: AuditSummary, issues: Iterable<AuditResult>): string {
  const lines = function* (): Generator<ReportLine> {
    for (const r of issues) yield { status: r.status, path: r.path, ...(r.detail !== undefined ? { detail: r.detail } : {}) };
  };
  return checkReportText(
    {
      title: 'Bucket against bucket',
      fields: [
        ['First', `${target.first}  ("+": only here)`],
        ['Second', `${target.second}  ("-": only here)`],
        ['From', target.basis],
        ['Checked', `${reportTime(target.checkedAt)}${summary.resumed ? ' (continued a stopped run)' : ''}`],
        ['Requests', requestsText(summary.requests)],
        ...(target.notes ?? []).map((n) => ['Note', n] as const),
      ],
      counts: summary.counts,
      noun: ['object', 'objects'],
      limit: TEXT_REPORT_LINES,
      more: '… and more: export them all with "bucket-integrity verify <remote> <remote> --report FILE".',
    },
    lines(),
  );
}
