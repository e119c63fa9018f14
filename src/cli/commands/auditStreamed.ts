import { columnIndex, findLatestManifest, InventoryError, type FoundManifest, type InventoryLocation } from '../../inventory';
import { runFolderDate } from '../../inventory/import';
import type { ColumnIndex } from '../../inventory/manifest';
import { ReportFileError, streamReport } from '../../inventory/stream';
import { reportAgeWarning, type AuditOptions } from '../../integrity/audit';
import { ReportOrderError, reportKnown, reportPages, type ReportSideOptions } from '../../integrity/audit/reportSide';
import { folderPrefix } from '../../storage/listing';
import type { SideImport } from './auditInventories';
import { sideInventoryLocation, type Side } from './auditSides';

/**
 * `--stream-reports`: the two sides' newest inventory reports judged as they are read, merged in key order,
 * without importing them into the record (nothing is listed, nothing recorded: a one-off audit of a
 * migration). A report must be in key order, which is checked on every row; one that is not, or a data
 * file that cannot be read whole, ends this route before any result is printed, and the audit imports both
 * reports instead (the record sorts them; a damaged file is reported there as in any import).
 */

interface StreamedReport {
  side: Side;
  location: InventoryLocation;
  found: FoundManifest;
  cols: ColumnIndex;
  rows: number;
}

/** Both sides' newest reports with a Crc64 column, or why they cannot be streamed. */
export async function openReports(sides: readonly Side[], signal?: AbortSignal): Promise<StreamedReport[] | string> {
  for (const side of sides) if (!side.inventoryId) return `${side.audit.label} has no inventory given`;
  // Both sides' reports are looked for at once; what is said of them is said in the sides' order.
  const opened = await Promise.all(
    sides.map((side) =>
      openReport(side, side.inventoryId!, signal).then(
        (report) => ({ report }),
        (error: unknown) => ({ error }),
      ),
    ),
  );
  const reports: StreamedReport[] = [];
  for (const o of opened) {
    if ('error' in o) throw o.error;
    if (typeof o.report === 'string') return o.report;
    reports.push(o.report);
  }
  return reports;
}

async function openReport(side: Side, id: string, signal?: AbortSignal): Promise<StreamedReport | string> {
  try {
    // The configuration (when read) and the manifest both say whether the report has Crc64.
    const location = await sideInventoryLocation(side, id, signal);
    const found = await findLatestManifest(side.store, location, signal);
    const cols = columnIndex(found.manifest, `"${id}" of ${side.remote.bucket}`);
    return { side, location, found, cols, rows: 0 };
  } catch (err) {
    if (err instanceof InventoryError && err.kind === 'no-crc64-field') return `${side.audit.label}: ${err.message}`;
    throw err;
  }
}

/** The report's date, for the warning on a report older than a week. */
export function reportWarnings(reports: readonly StreamedReport[], now: number, listing: boolean): string[] {
  const warnings: string[] = [];
  for (const r of reports) {
    const warning = reportAgeWarning(r.side.audit.label, r.found.manifest.createdAt ?? runFolderDate(r.found.run), now, listing);
    if (warning) warnings.push(warning);
  }
  return warnings;
}

/** Objects expected, for progress: the larger report's count, when both manifests give one. */
function expectedTotal(reports: readonly StreamedReport[]): Pick<AuditOptions, 'total'> {
  const counts = reports.map((r) => r.found.manifest.objectCount);
  return counts.every((c) => c !== undefined) ? { total: Math.max(...(counts as number[])) } : {};
}

/** One side's report as it streams; `brief: false` adds ETags and LastModified. */
function sideColumns(r: StreamedReport, brief: boolean, signal?: AbortSignal) {
  r.rows = 0;
  return streamReport({
    store: r.side.store,
    location: r.location,
    found: r.found,
    cols: r.cols,
    prefix: folderPrefix(r.side.remote.key),
    brief,
    ...(signal ? { signal } : {}),
  });
}

function sideOptions(r: StreamedReport, signal?: AbortSignal, afterPath?: string): ReportSideOptions {
  return {
    prefix: r.side.remote.key,
    label: r.side.audit.label,
    ...(afterPath !== undefined ? { afterPath } : {}),
    ...(signal ? { signal } : {}),
    onRows: (n) => (r.rows += n),
  };
}

/**
 * What the audit engine reads each side from: its report, streamed. With `live`, the listings are read too
 * and the reports say what is known of each listed object (what changed since is HEADed); without, the
 * reports alone are judged.
 */
export function streamedSides(
  reports: readonly StreamedReport[],
  live: boolean,
  signal?: AbortSignal,
): Pick<AuditOptions, 'readSide' | 'knownSide' | 'total'> {
  const report = (which: 'first' | 'second') => reports[which === 'first' ? 0 : 1];
  if (live) {
    return {
      knownSide: (which) => reportKnown(sideColumns(report(which), false, signal), sideOptions(report(which), signal)),
      ...expectedTotal(reports),
    };
  }
  return {
    readSide: (which, afterPath) => reportPages(sideColumns(report(which), true, signal), sideOptions(report(which), signal, afterPath)),
    ...expectedTotal(reports),
  };
}

/** A reason to judge the reports another way: out of key order, or a data file not read whole. */
export function isUnstreamable(err: unknown): err is ReportOrderError | ReportFileError {
  return err instanceof ReportOrderError || err instanceof ReportFileError;
}

/** Each side's report as `--json` prints it. */
export function streamedImports(reports: readonly StreamedReport[]): SideImport[] {
  return reports.map((r) => ({
    side: r.side,
    streamed: true,
    result: {
      manifestKey: r.found.key,
      run: r.found.run,
      ...(r.found.manifest.createdAt ? { createdAt: r.found.manifest.createdAt } : {}),
      files: r.found.manifest.files.length,
      rows: r.rows,
      failed: [],
    },
  }));
}

/** Why the streamed route stopped, for the line that says the audit imports instead. */
export function unstreamableText(err: ReportOrderError | ReportFileError): string {
  return err instanceof ReportFileError ? `inventory file ${err.file} could not be read whole: ${err.message}` : err.message;
}
