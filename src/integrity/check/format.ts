import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { printable } from '../../util/format';
import { VERDICT_SYMBOL, type Verdict, type VerdictCounts } from '../verdict';
import type { CheckResult } from './types';

/**
 * The one way results of a check are written down, for Compare and Verify, editor and CLI alike: the
 * `--combined` line a person reads, and the CSV and JSON exports (counts and one row per result, written
 * as they are read, so a run of millions never sits in memory). The text report is `../report`.
 */

/** A result as it is exported and kept in a run's journal: the key, not the path. */
export interface ExportedResult {
  /** Object key (for a file only on the local side: the key it would have). */
  key: string;
  status: Verdict;
  /** The object's size. */
  size?: number;
  localSize?: number;
  /** Unsigned decimal. */
  localCrc64?: string;
  remoteCrc64?: string;
  /** For `differ` found against the record: the CRC-64 recorded before for the same ETag. */
  previousCrc64?: string;
  /** Why, in a few words. */
  detail?: string;
}

/** The engine's result as exported. */
export function exportedResult(r: CheckResult): ExportedResult {
  // Built field by field: this runs once per object of runs over millions.
  const v: ExportedResult = { key: r.key, status: r.status };
  if (r.remoteSize !== undefined) v.size = r.remoteSize;
  if (r.localSize !== undefined) v.localSize = r.localSize;
  if (r.localCrc64 !== undefined) v.localCrc64 = r.localCrc64;
  if (r.remoteCrc64 !== undefined) v.remoteCrc64 = r.remoteCrc64;
  if (r.previousCrc64 !== undefined) v.previousCrc64 = r.previousCrc64;
  if (r.detail !== undefined) v.detail = r.detail;
  return v;
}

/**
 * `<symbol> <path>  (why)`: one result as the CLI prints it and `--combined` lists it (control
 * characters escaped). A match says no why; `withDetail: false` leaves it out for every result.
 */
export function resultLine(r: { status: Verdict; detail?: string }, path: string, withDetail = true): string {
  const why = withDetail && r.status !== 'match' && r.detail ? `  (${printable(r.detail)})` : '';
  return `${VERDICT_SYMBOL[r.status]} ${printable(path)}${why}`;
}

/** What an export says about the run above its rows. */
export interface ExportHead {
  /** e.g. `cos://bucket/prefix/`. */
  remote: string;
  localDir?: string;
  checkedAt: Date;
  counts: VerdictCounts;
  /** More fields of the JSON head (Verify: its requests, whether it resumed). */
  extra?: Record<string, unknown>;
}

const CSV_COLUMNS = ['status', 'key', 'size', 'local_size', 'local_crc64', 'remote_crc64', 'previous_crc64', 'detail'] as const;

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(r: ExportedResult): string {
  return [r.status, r.key, r.size, r.localSize, r.localCrc64, r.remoteCrc64, r.previousCrc64, r.detail].map(csvCell).join(',');
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Writes `rows` to `file`: CSV, or JSON when the name ends in `.json`. */
export async function writeExport(file: string, head: ExportHead, rows: Iterable<ExportedResult>): Promise<void> {
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  if (file.toLowerCase().endsWith('.json')) {
    const json = {
      remote: head.remote,
      ...(head.localDir ? { local: head.localDir } : {}),
      checkedAt: head.checkedAt.toISOString(),
      counts: head.counts,
      ...head.extra,
    };
    await write(out, `${JSON.stringify(json).slice(0, -1)},"results":[`);
    let first = true;
    for (const r of rows) {
      await write(out, `${first ? '' : ','}\n${JSON.stringify(r)}`);
      first = false;
    }
    await write(out, '\n]}\n');
  } else {
    await write(out, `${CSV_COLUMNS.join(',')}\n`);
    for (const r of rows) await write(out, `${csvRow(r)}\n`);
  }
  out.end();
  await done;
}
