import { columnIndex, findLatestManifest, InventoryError, type FoundManifest, type InventoryLocation } from '../../inventory';
import { runFolderDate } from '../../inventory/import';
import type { ColumnIndex } from '../../inventory/manifest';
import { ReportFileError, streamReport } from '../../inventory/stream';
import { folderPrefix } from '../../storage/listing';
import type { ObjectStore } from '../../storage/types';
import type { AuditOptions } from './engine';
import { reportAgeWarning } from './places';
import { ReportOrderError, reportKnown, reportPages, type ReportSideOptions } from './reportSide';

/**
 * A side's newest inventory report, judged as it is read instead of being imported into the record: the
 * CLI's `--stream-reports` and Compare with Bucket… A report must be in key order, which is checked on
 * every row; one that is not, or a data file that cannot be read whole, stops the run before anything
 * judged is reported (`isUnstreamable`), and the caller imports the reports instead (the record sorts
 * them; a damaged file is reported there as in any import).
 */

export interface StreamedReport {
  store: ObjectStore;
  /** The side's prefix (a folder; '' is the whole bucket). */
  prefix: string;
  /** `cos://bucket/prefix/`, for messages. */
  label: string;
  location: InventoryLocation;
  found: FoundManifest;
  cols: ColumnIndex;
  /** Rows read so far (every object of the report below the prefix). */
  rows: number;
}

/** The side's newest report of `location`, or why it cannot be streamed (its manifest has no Crc64 column). */
export async function findReport(
  side: Pick<StreamedReport, 'store' | 'prefix' | 'label'>,
  location: InventoryLocation,
  signal?: AbortSignal,
): Promise<StreamedReport | string> {
  try {
    const found = await findLatestManifest(side.store, location, signal);
    const cols = columnIndex(found.manifest, `"${location.inventoryId}" of ${location.sourceBucket}`);
    return { ...side, location, found, cols, rows: 0 };
  } catch (err) {
    const why = noCrc64(err, side.label);
    if (why) return why;
    throw err;
  }
}

/** What to say when `err` is an inventory without the Crc64 field (its configuration or its report's manifest). */
export function noCrc64(err: unknown, label: string): string | undefined {
  return err instanceof InventoryError && err.kind === 'no-crc64-field' ? `${label}: ${err.message}` : undefined;
}

/** When the report was made: its manifest's date, else its run folder's. */
export function reportDate(r: StreamedReport): number | undefined {
  return r.found.manifest.createdAt ?? runFolderDate(r.found.run);
}

/** The warning on each report older than a week. */
export function reportWarnings(reports: ReadonlyArray<StreamedReport | undefined>, now: number, listing: boolean): string[] {
  const warnings: string[] = [];
  for (const r of reports) {
    const warning = r && reportAgeWarning(r.label, reportDate(r), now, listing);
    if (warning) warnings.push(warning);
  }
  return warnings;
}

/** Objects expected, for progress: the larger report's count, when every side's manifest gives one. */
function expectedTotal(reports: ReadonlyArray<StreamedReport | undefined>): Pick<AuditOptions, 'total'> {
  const counts = reports.map((r) => r?.found.manifest.objectCount);
  return counts.every((c) => c !== undefined) ? { total: Math.max(...(counts as number[])) } : {};
}

/** One side's report as it streams; `brief: false` adds ETags and LastModified. */
function reportColumns(r: StreamedReport, brief: boolean, signal?: AbortSignal) {
  r.rows = 0;
  return streamReport({
    store: r.store,
    location: r.location,
    found: r.found,
    cols: r.cols,
    prefix: folderPrefix(r.prefix),
    brief,
    ...(signal ? { signal } : {}),
  });
}

function sideOptions(r: StreamedReport, signal?: AbortSignal, afterPath?: string): ReportSideOptions {
  return {
    prefix: r.prefix,
    label: r.label,
    ...(afterPath !== undefined ? { afterPath } : {}),
    ...(signal ? { signal } : {}),
    onRows: (n) => (r.rows += n),
  };
}

/**
 * With the listings: what is known of each side's listed objects comes from its report as it streams (what
 * changed since is HEADed); a side without a report (`undefined`) is known from the record.
 */
export function reportsKnown(
  reports: readonly [StreamedReport | undefined, StreamedReport | undefined],
  signal?: AbortSignal,
): Pick<AuditOptions, 'knownSide' | 'total'> {
  return {
    knownSide: (which) => {
      const r = reports[which === 'first' ? 0 : 1];
      return r && reportKnown(reportColumns(r, false, signal), sideOptions(r, signal));
    },
    ...expectedTotal(reports),
  };
}

/** Without the listings: the two reports alone are judged, as fresh as they are. */
export function reportsAlone(
  reports: readonly [StreamedReport, StreamedReport],
  signal?: AbortSignal,
): Pick<AuditOptions, 'readSide' | 'total'> {
  return {
    readSide: (which, afterPath) => {
      const r = reports[which === 'first' ? 0 : 1];
      return reportPages(reportColumns(r, true, signal), sideOptions(r, signal, afterPath));
    },
    ...expectedTotal(reports),
  };
}

/** A reason to judge the reports another way: out of key order, or a data file not read whole. */
export function isUnstreamable(err: unknown): err is ReportOrderError | ReportFileError {
  return err instanceof ReportOrderError || err instanceof ReportFileError;
}

/** Why the streamed route stopped, for the line that says the audit imports instead. */
export function unstreamableText(err: ReportOrderError | ReportFileError): string {
  return err instanceof ReportFileError ? `inventory file ${err.file} could not be read whole: ${err.message}` : err.message;
}
