import { combinedLine, COMBINED_SYMBOL, VERIFY_STATUSES, type VerifyResult } from '../../integrity/verify/outcome';
import type { VerifyProgress, VerifySummary } from '../../integrity/verify/engine';
import { countsLine } from '../../integrity/verify/report';
import { formatCount, formatDuration } from '../../util/format';

/**
 * The text of a verify report document, laid out like `rclone check --combined`: a header with the
 * counts, then one line per object (`= path` match, `* path` differ, `+ path` only local, `- path` only in
 * the bucket, `? path` no CRC-64, `! path` error). Objects that did not match are always listed (up to a
 * limit: the CSV / JSON export holds all); matches only for small runs. Editor-free, unit-tested.
 */

export interface VerifyReportInput {
  /** e.g. `cos://bucket/prefix/`. */
  remote: string;
  /** The local folder compared with, or undefined for a verify against the CRC record. */
  localDir?: string;
  prefix: string;
  checkedAt: Date;
  summary: VerifySummary;
  /** The run's issues (everything but matches), in key order. */
  issues: Iterable<VerifyResult>;
  /** Keys that matched, when few enough to list. */
  matches?: readonly string[];
  /** Most issue lines listed (default 10,000). */
  limit?: number;
}

const LEGEND = VERIFY_STATUSES.map((s) => `${COMBINED_SYMBOL[s]} ${s}`).join(', ');

export function verifyReportText(input: VerifyReportInput): string {
  const { summary } = input;
  const limit = input.limit ?? 10_000;
  const total = summary.counts.total;
  const lines = [
    `Verify ${input.remote} against ${input.localDir ?? 'the CRC record'}`,
    `Checked ${input.checkedAt.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')} in ${formatDuration(summary.seconds)}${summary.resumed ? ' (continued a stopped run)' : ''}`,
    `${formatCount(total)} ${total === 1 ? 'object' : 'objects'}: ${countsLine(summary)}`,
    `Requests: ${formatCount(summary.requests.list)} list, ${formatCount(summary.requests.head)} HEAD`,
    `Legend: ${LEGEND}`,
    '',
  ];
  let listed = 0;
  for (const r of input.issues) {
    if (listed === limit) {
      const more = total - summary.counts.match - listed;
      lines.push(`… and ${formatCount(more)} more; export the report (CSV or JSON) for all of them`);
      break;
    }
    lines.push(`${combinedLine(r, input.prefix)}${r.detail ? `  (${r.detail})` : ''}`);
    listed++;
  }
  for (const key of input.matches ?? []) lines.push(combinedLine({ key, status: 'match' }, input.prefix));
  if (total === 0) lines.push('No objects below this prefix.');
  return `${lines.join('\n')}\n`;
}

/** One progress line: "12,345 of 1,000,000 objects · 52,000/s · ETA 19 s · 3 HEAD". */
export function progressText(p: VerifyProgress): string {
  const parts = [`${formatCount(p.done)}${p.total ? ` of ${formatCount(p.total)}` : ''} objects`, `${formatCount(p.objectsPerSecond)}/s`];
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  parts.push(`${formatCount(p.heads)} HEAD`);
  return parts.join(' · ');
}

/** Whether every object matched (nothing differs, nothing missing on either side, no error). */
export function allMatched(summary: VerifySummary): boolean {
  return VERIFY_STATUSES.every((s) => s === 'match' || summary.counts[s] === 0);
}
