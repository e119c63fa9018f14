import { homedir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '../storage/errors';
import type { DownloadResult, FileOutcome } from '../transfer/downloader';
import type { UploadResult } from '../transfer/upload';
import type { CliIo } from './io';
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from './io';

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

export function reportUpload(o: FileOutcome<UploadResult>): FileReport {
  if (!o.ok) return failed(o);
  const r = o.result;
  return {
    path: r.path,
    key: r.key,
    size: r.size,
    parts: r.parts,
    crc64: r.crc64 ?? null,
    verified: r.verified,
    retriedParts: r.retriedParts,
    ...(r.reason ? { reason: r.reason } : {}),
    outcome: 'uploaded',
  };
}

export function reportDownload(o: FileOutcome<DownloadResult>): FileReport {
  if (!o.ok) return failed(o);
  const r = o.result;
  return {
    path: r.path,
    key: r.key,
    size: r.size,
    parts: 0,
    crc64: r.crc64 ?? null,
    verified: r.verified,
    retriedParts: [],
    ...(r.reason ? { reason: r.reason } : {}),
    outcome: r.outcome,
  };
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

/** `verified`, `NOT VERIFIED` or `FAILED` lines for people; `{"files":[…]}` for scripts. */
export function printReports(io: CliIo, reports: FileReport[], json: boolean, remoteOf: (key: string) => string): void {
  if (json) {
    io.stdout(`${JSON.stringify({ files: reports })}\n`);
    return;
  }
  for (const r of reports) {
    const where = `${r.path || '(no local file)'} ↔ ${remoteOf(r.key)}`;
    if (r.outcome === 'failed') io.stdout(`FAILED        ${where}: ${r.reason}\n`);
    else if (r.outcome === 'skipped') io.stdout(`skipped       ${where}: ${r.reason}\n`);
    else if (r.verified) {
      const extra = [r.parts > 0 ? `${r.parts} parts` : '', r.retriedParts.length ? `re-sent parts ${r.retriedParts.join(', ')}` : '']
        .filter(Boolean)
        .join(', ');
      io.stdout(`verified      ${where}  crc64 ${r.crc64}${extra ? ` (${extra})` : ''}${r.outcome === 'identical' ? ' (already identical)' : ''}\n`);
    } else io.stdout(`NOT VERIFIED  ${where}: ${r.reason}\n`);
  }
  const bad = reports.filter((r) => !r.verified).length;
  io.stderr(`${reports.length - bad} of ${reports.length} file${reports.length === 1 ? '' : 's'} verified.\n`);
}

/**
 * 0 when every file is verified, 1 when anything is unverified, skipped or failed. Rejected keys are a
 * reason the command could not run at all: those errors are rethrown so the dispatcher exits with 2.
 */
export function exitCodeFor(reports: FileReport[], errors: unknown[]): number {
  const fatal = errors.find((e) => e instanceof StorageError && (e.kind === 'credentials' || e.kind === 'no-such-bucket'));
  if (fatal) throw fatal;
  if (reports.length > 0 && errors.length === reports.length && errors.every((e) => e instanceof StorageError && e.kind === 'network')) {
    throw errors[0];
  }
  return reports.every((r) => r.verified) ? EXIT_OK : EXIT_PROBLEM;
}

export { EXIT_USAGE };

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
