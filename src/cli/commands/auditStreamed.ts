import { findReport, noCrc64, type StreamedReport } from '../../integrity/audit/streamedReports';
import type { InventoryLocation } from '../../inventory';
import type { SideImport } from './auditInventories';
import { sideInventoryLocation, type Side } from './auditSides';

/**
 * `--stream-reports`: the two sides' newest inventory reports judged as they are read, merged in key order,
 * without importing them into the record (`integrity/audit/streamedReports.ts`). Here: where each side's
 * report is found from the command line's flags, and what `--json` says of it.
 */

/** Both sides' newest reports with a Crc64 column, or why they cannot be streamed. */
export async function openReports(sides: readonly [Side, Side], signal?: AbortSignal): Promise<[StreamedReport, StreamedReport] | string> {
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
  return [reports[0], reports[1]];
}

async function openReport(side: Side, id: string, signal?: AbortSignal): Promise<StreamedReport | string> {
  // The configuration (when read) and the manifest both say whether the report has Crc64.
  let location: InventoryLocation;
  try {
    location = await sideInventoryLocation(side, id, signal);
  } catch (err) {
    const why = noCrc64(err, side.audit.label);
    if (why) return why;
    throw err;
  }
  return findReport({ store: side.store, prefix: side.remote.key, label: side.audit.label }, location, signal);
}

/** Each side's report as `--json` prints it. */
export function streamedImports(sides: readonly Side[], reports: readonly StreamedReport[]): SideImport[] {
  return reports.map((r, i) => ({
    side: sides[i],
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
