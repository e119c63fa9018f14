import { StorageError } from '../../storage/errors';
import { DestinationExistsError, type MigrateOutcome } from '../../transfer/migrate';
import type { RemoteUrl } from '../../transfer/remoteUrl';
import { type CliIo, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from '../io';

/** One `--json` entry per object of `bucket-integrity cp`. */
export interface CopyReport {
  source: string;
  destination: string;
  size: number;
  parts: number;
  sourceCrc64: string | null;
  streamCrc64: string | null;
  destinationCrc64: string | null;
  verified: boolean;
  reason?: string;
  outcome: 'copied' | 'skipped' | 'failed';
  retriedParts: number[];
  resumedParts: number;
}

const url = (r: RemoteUrl, key: string): string => `${r.provider}://${r.bucket}/${key}`;

export function reportCopy(o: MigrateOutcome, ends: { source: RemoteUrl; destination: RemoteUrl }): CopyReport {
  if (!o.ok) {
    return {
      source: url(ends.source, o.key),
      destination: url(ends.destination, o.destinationKey),
      size: 0,
      parts: 0,
      sourceCrc64: null,
      streamCrc64: null,
      destinationCrc64: null,
      verified: false,
      reason: o.error.message,
      outcome: 'failed',
      retriedParts: [],
      resumedParts: 0,
    };
  }
  const r = o.result;
  return {
    source: url(ends.source, r.source.key),
    destination: url(ends.destination, r.destination.key),
    size: r.size,
    parts: r.parts,
    sourceCrc64: r.sourceCrc64 ?? null,
    streamCrc64: r.streamCrc64 ?? null,
    destinationCrc64: r.destinationCrc64 ?? null,
    verified: r.verified,
    ...(r.reason ? { reason: r.reason } : {}),
    outcome: r.outcome,
    retriedParts: r.retriedParts,
    resumedParts: r.resumedParts,
  };
}

/** `verified`, `NOT VERIFIED`, `skipped` or `FAILED` lines for people; `{"objects","summary"}` for scripts. */
export function printCopyReports(io: CliIo, outcomes: MigrateOutcome[], json: boolean, ends: { source: RemoteUrl; destination: RemoteUrl }): void {
  const reports = outcomes.map((o) => reportCopy(o, ends)).sort((a, b) => (a.source < b.source ? -1 : 1));
  const count = (pred: (r: CopyReport) => boolean): number => reports.filter(pred).length;
  const summary = {
    verified: count((r) => r.verified),
    unverified: count((r) => r.outcome === 'copied' && !r.verified),
    skipped: count((r) => r.outcome === 'skipped'),
    failed: count((r) => r.outcome === 'failed'),
    bytes: reports.reduce((n, r) => n + (r.outcome === 'copied' ? r.size : 0), 0),
  };
  if (json) {
    io.stdout(`${JSON.stringify({ objects: reports, summary })}\n`);
    return;
  }
  for (const r of reports) {
    const where = `${r.source} → ${r.destination}`;
    if (r.outcome === 'failed') io.stdout(`FAILED        ${where}: ${r.reason}\n`);
    else if (r.outcome === 'skipped') io.stdout(`skipped       ${where}: ${r.reason}\n`);
    else if (r.verified) {
      const extra = [r.parts > 0 ? `${r.parts} parts` : '', r.retriedParts.length ? `re-sent parts ${r.retriedParts.join(', ')}` : '', r.resumedParts ? `${r.resumedParts} parts resumed` : '']
        .filter(Boolean)
        .join(', ');
      io.stdout(`verified      ${where}  crc64 ${r.streamCrc64}${extra ? ` (${extra})` : ''}\n`);
    } else io.stdout(`NOT VERIFIED  ${where}: ${r.reason}\n`);
  }
  io.stderr(`${summary.verified} of ${reports.length} object${reports.length === 1 ? '' : 's'} verified${summary.skipped ? `, ${summary.skipped} skipped` : ''}.\n`);
}

/**
 * 0 when every object is verified or skipped as asked, 1 when anything is unverified or failed, 2 when a
 * destination was refused because it exists or the keys or a bucket were rejected (rethrown).
 */
export function copyExitCode(io: CliIo, outcomes: MigrateOutcome[]): number {
  const errors = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
  const fatal = errors.find((e) => e instanceof StorageError && (e.kind === 'credentials' || e.kind === 'no-such-bucket'));
  if (fatal) throw fatal;
  const refused = errors.filter((e) => e instanceof DestinationExistsError).length;
  if (refused) {
    io.stderr(`${refused} destination object${refused === 1 ? '' : 's'} already exist; run again with --if-exists skip or overwrite.\n`);
    return EXIT_USAGE;
  }
  return outcomes.every((o) => o.ok && (o.result.verified || o.result.outcome === 'skipped')) ? EXIT_OK : EXIT_PROBLEM;
}
