import * as l10n from '@vscode/l10n';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FileOutcome } from '../transfer/batch';
import type { DownloadResult } from '../transfer/downloader';
import type { UploadResult } from '../transfer/upload';
import { printable } from '../util/format';
import type { CliIo } from './io';
import { EXIT_OK, EXIT_PROBLEM, throwIfRunCouldNotCheck } from './exitCodes';

/** One line of `--json` output per file, the same shape for uploads and downloads. */
export interface FileReport {
  path: string;
  key: string;
  size: number;
  parts: number;
  crc64: string | null;
  verified: boolean;
  retriedParts: number[];
  /** Why a file is not verified, or what failed. */
  reason?: string;
  outcome: 'uploaded' | 'downloaded' | 'identical' | 'skipped' | 'failed';
}

/** The fields a file's line takes from an upload or a download result (key order is the JSON's). */
function reportOf(
  r: { path: string; key: string; size: number; crc64?: string; verified: boolean },
  parts: number,
  retriedParts: number[],
  reason: string | undefined,
  outcome: FileReport['outcome'],
): FileReport {
  return {
    path: r.path,
    key: r.key,
    size: r.size,
    parts,
    crc64: r.crc64 ?? null,
    verified: r.verified,
    retriedParts,
    ...(reason ? { reason } : {}),
    outcome,
  };
}

export function reportUpload(o: FileOutcome<UploadResult>): FileReport {
  return o.ok
    ? reportOf(o.result, o.result.parts, o.result.retriedParts, o.result.reason, o.result.identical ? 'identical' : 'uploaded')
    : failed(o);
}

export function reportDownload(o: FileOutcome<DownloadResult>): FileReport {
  if (!o.ok) return failed(o);
  const r = o.result;
  const reason =
    r.keptUnverified && r.reason
      ? `${r.reason} (--allow-unverified replaces it)`
      : r.differs && r.reason
        ? `${r.reason} (--if-exists overwrite replaces it)`
        : r.reason;
  return reportOf(r, 0, [], reason, r.outcome);
}

function failed(o: { key: string; path?: string; error: Error }): FileReport {
  return {
    path: o.path ?? '',
    key: o.key,
    size: 0,
    parts: 0,
    crc64: null,
    verified: false,
    retriedParts: [],
    reason: o.error.message,
    outcome: 'failed',
  };
}

/**
 * `verified`, `NOT VERIFIED` or `FAILED` lines for people; `{"files":[…]}` for scripts, with `"notes"`
 * when entries were left out (they are also on stderr, see `printNotes`).
 */
export function printReports(
  io: CliIo,
  reports: FileReport[],
  json: boolean,
  remoteOf: (key: string) => string,
  notes: readonly string[] = [],
): void {
  if (json) {
    io.stdout(`${JSON.stringify({ files: reports, ...(notes.length ? { notes } : {}) })}\n`);
    return;
  }
  for (const r of reports) {
    // Keys and names may hold newlines or terminal escapes: each report stays one line.
    const where = printable(`${r.path || '(no local file)'} ↔ ${remoteOf(r.key)}`);
    const reason = printable(r.reason ?? '');
    if (r.outcome === 'failed') io.stdout(`FAILED        ${where}: ${reason}\n`);
    else if (r.outcome === 'skipped') io.stdout(`skipped       ${where}: ${reason}\n`);
    else if (r.verified) {
      const extra = [r.parts > 0 ? `${r.parts} parts` : '', r.retriedParts.length ? `re-sent parts ${r.retriedParts.join(', ')}` : '']
        .filter(Boolean)
        .join(', ');
      io.stdout(
        `verified      ${where}  crc64 ${r.crc64}${extra ? ` (${extra})` : ''}${r.outcome === 'identical' ? ' (already identical)' : ''}\n`,
      );
    } else io.stdout(`NOT VERIFIED  ${where}: ${reason}\n`);
  }
  const bad = reports.filter((r) => !r.verified).length;
  const verified = reports.length - bad;
  io.stderr(
    `${reports.length === 1 ? l10n.t('{0} of 1 file verified.', verified) : l10n.t('{0} of {1} files verified.', verified, reports.length)}\n`,
  );
}

/** Entries a batch left out on purpose (a link to a folder, a folder marker), one line each on stderr. */
export function printNotes(io: CliIo, notes: readonly string[]): void {
  for (const note of notes) io.stderr(`${printable(note)}\n`);
}

/** The log lines of the core on stderr, one line each whatever the keys they name hold. */
export function cliLog(io: CliIo): (line: string) => void {
  return (line) => io.stderr(`${printable(line)}\n`);
}

/**
 * 0 when every file is verified, 1 when anything is unverified, skipped or failed (a body short on every
 * attempt included). An error that stops the whole run (rejected keys, access denied, a missing bucket, a
 * service that answered nothing) is rethrown so the dispatcher exits with 2 (`exitCodes`).
 */
export function exitCodeFor(reports: FileReport[], errors: unknown[]): number {
  throwIfRunCouldNotCheck(errors, reports.length);
  return reports.every((r) => r.verified) ? EXIT_OK : EXIT_PROBLEM;
}

/**
 * Where the CLI keeps upload checkpoints: `--state-dir`, else `$BUCKET_INTEGRITY_STATE_DIR`, else
 * `$XDG_STATE_HOME/bucket-integrity`, else `~/.local/state/bucket-integrity`.
 */
export function stateDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.BUCKET_INTEGRITY_STATE_DIR) return env.BUCKET_INTEGRITY_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'bucket-integrity');
}
