import { EXIT_COULD_NOT_CHECK, EXIT_OK, EXIT_PROBLEM, throwIfRunCouldNotCheck } from '../exitCodes';
import type { CliIo } from '../io';
import * as l10n from '@vscode/l10n';

/**
 * One object of `bucket-integrity cp` in `--json` (the whole output for one object; `objects[]` with
 * `--recursive`). `method`: `copy` / `multipart` (server-side), `stream` (through this process).
 */
export interface CopyReport {
  source: string;
  target: string;
  size: number;
  method: 'copy' | 'multipart' | 'stream';
  parts: number;
  sourceCrc64: string | null;
  /** CRC-64 of the bytes that streamed through (method `stream` only). */
  streamCrc64?: string | null;
  targetCrc64: string | null;
  verified: boolean;
  /** `kept`: copied and verified, but the move kept its source (see `reason`). */
  outcome: 'verified' | 'kept' | 'not-verified' | 'exists' | 'skipped' | 'failed';
  reason?: string;
  /** With --move: true only when the source was deleted: after a verified copy, the source proven unchanged. */
  sourceDeleted?: boolean;
  /** Method `stream`: parts sent again because the destination stored them damaged. */
  retriedParts?: number[];
  /** Method `stream`: parts taken over from an interrupted run. */
  resumedParts?: number;
  /** Not printed: the error behind `failed`, for the exit status. */
  error?: unknown;
}

function line(r: CopyReport): string {
  const where = `${r.source} -> ${r.target}`;
  const how = (r.parts > 0 ? ` in ${r.parts} parts` : '') + (r.method === 'stream' ? ' (streamed)' : '');
  switch (r.outcome) {
    case 'verified': {
      const extra = [
        r.retriedParts?.length ? `re-sent parts ${r.retriedParts.join(', ')}` : '',
        r.resumedParts ? `${r.resumedParts} parts resumed` : '',
      ]
        .filter(Boolean)
        .join(', ');
      if (r.reason) return `identical  ${where}  CRC-64 ${r.targetCrc64} verified (${r.reason})`;
      return `${r.sourceDeleted ? 'moved' : 'copied'}${how}  ${where}  CRC-64 ${r.targetCrc64} verified${extra ? ` (${extra})` : ''}`;
    }
    case 'kept':
      return `copied${how}, source KEPT  ${where}  CRC-64 ${r.targetCrc64} verified; ${r.reason}`;
    case 'not-verified':
      return `copied${how}, NOT verified  ${where}  (${r.reason}${r.sourceDeleted === false ? '; the source was kept' : ''})`;
    case 'skipped':
      return `skipped  ${where}  (${r.reason})`;
    default:
      return `FAILED  ${where}: ${r.reason}`;
  }
}

const shown = (r: CopyReport): Omit<CopyReport, 'error'> => {
  const { error: _error, ...rest } = r;
  return rest;
};

/** One object: its line (or its JSON object). A refused existing destination goes to stderr. */
export function printOne(io: CliIo, r: CopyReport, json: boolean): void {
  if (json) io.stdout(`${JSON.stringify(shown(r), null, 2)}\n`);
  else if (r.outcome === 'exists') io.stderr(`bucket-integrity cp: ${r.reason}\n`);
  else io.stdout(`${line(r)}\n`);
}

/** A prefix: one line per object and a count, or `{"objects":[…],"summary":{…}}`. */
export function printMany(io: CliIo, reports: CopyReport[], json: boolean): void {
  const sorted = [...reports].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const count = (outcome: CopyReport['outcome']): number => reports.filter((r) => r.outcome === outcome).length;
  const summary = {
    verified: count('verified'),
    kept: count('kept'),
    notVerified: count('not-verified'),
    exists: count('exists'),
    skipped: count('skipped'),
    failed: count('failed'),
    bytes: reports.reduce((n, r) => n + (r.outcome === 'verified' || r.outcome === 'kept' || r.outcome === 'not-verified' ? r.size : 0), 0),
  };
  if (json) {
    io.stdout(`${JSON.stringify({ objects: sorted.map(shown), summary })}\n`);
    return;
  }
  for (const r of sorted) io.stdout(`${r.outcome === 'exists' ? `exists  ${r.source} -> ${r.target}` : line(r)}\n`);
  const skipped =
    (summary.kept ? `, ${summary.kept} copied with the source kept` : '') + (summary.skipped ? `, ${summary.skipped} skipped` : '');
  io.stderr(`${summary.verified} of ${reports.length} object${reports.length === 1 ? '' : 's'} verified${skipped}.\n`);
  if (summary.exists) {
    io.stderr(
      summary.exists === 1
        ? l10n.t('{0} destination object already exist; pass --if-exists skip or overwrite.\n', summary.exists)
        : l10n.t('{0} destination objects already exist; pass --if-exists skip or overwrite.\n', summary.exists),
    );
  }
}

/**
 * 0 when every object is verified (moved) or skipped as asked; 2 when an existing destination was refused,
 * or the run could not check at all (rejected keys, access denied, a missing bucket: rethrown for the
 * dispatcher); 1 otherwise (a move that kept its source included).
 */
export function copyExitCode(reports: CopyReport[]): number {
  throwIfRunCouldNotCheck(
    reports.flatMap((r) => (r.error === undefined ? [] : [r.error])),
    reports.length,
  );
  if (reports.some((r) => r.outcome === 'exists')) return EXIT_COULD_NOT_CHECK;
  return reports.every((r) => r.outcome === 'verified' || r.outcome === 'skipped') ? EXIT_OK : EXIT_PROBLEM;
}
