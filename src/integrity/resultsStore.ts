import { VERDICTS, type Verdict, type VerdictCounts } from './verdict';
import type { NewRun, ResultRow, ResultRun, RunKind } from './results';

/**
 * The Results view's runs as plain data, so they survive a window reload: the run list (bounded) goes to
 * the workspace's state, each report to a file of its own. Editor-free; `src/ui/results/persist.ts` does
 * the reading and writing.
 */

/** Rows stored per run: the workspace state stays small; the counts and the report stay complete. */
export const STORED_ROWS_PER_RUN = 1_000;

export interface StoredRun {
  v: 1;
  kind: RunKind;
  title: string;
  /** ISO time. */
  at: string;
  counts: VerdictCounts;
  rows: ResultRow[];
  replay?: unknown;
  /** The report's file name (in the results folder). */
  reportFile: string;
}

const KINDS: readonly RunKind[] = ['compare', 'verify', 'copy', 'audit'];

/** A file name of its own for a run's report: its time and id, nothing from its title. */
export function reportFileName(run: Pick<ResultRun, 'id' | 'at' | 'kind'>): string {
  return `${run.at.getTime()}-${run.id}-${run.kind}.txt`;
}

export function toStored(run: ResultRun, reportFile: string): StoredRun {
  return {
    v: 1,
    kind: run.kind,
    title: run.title,
    at: run.at.toISOString(),
    counts: { ...run.counts },
    rows: run.rows.slice(0, STORED_ROWS_PER_RUN).map((r) => ({ ...r })),
    ...(run.replay === undefined ? {} : { replay: run.replay }),
    reportFile,
  };
}

/** A stored run back as a new run (its report read from `report`), or undefined when the data is not one. */
export function fromStored(data: unknown, report: string): NewRun | undefined {
  if (!isStoredRun(data)) return undefined;
  return {
    kind: data.kind,
    title: data.title,
    at: new Date(data.at),
    counts: data.counts,
    rows: data.rows,
    report,
    ...(data.replay === undefined ? {} : { replay: data.replay }),
  };
}

/** A stored list is trusted only as far as it checks out: anything else (an older format, a hand edit) is dropped. */
export function isStoredRun(data: unknown): data is StoredRun {
  const d = data as Partial<StoredRun> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    d.v === 1 &&
    KINDS.includes(d.kind as RunKind) &&
    typeof d.title === 'string' &&
    typeof d.at === 'string' &&
    !Number.isNaN(Date.parse(d.at)) &&
    typeof d.reportFile === 'string' &&
    /^[\w.-]+$/.test(d.reportFile) &&
    isCounts(d.counts) &&
    Array.isArray(d.rows) &&
    d.rows.every(isRow)
  );
}

function isCounts(c: unknown): c is VerdictCounts {
  const counts = c as Record<string, unknown> | null;
  return typeof counts === 'object' && counts !== null && [...VERDICTS, 'total'].every((k) => typeof counts[k] === 'number');
}

function isRow(r: unknown): r is ResultRow {
  const row = r as Partial<ResultRow> | null;
  return (
    typeof row === 'object' &&
    row !== null &&
    VERDICTS.includes(row.status as Verdict) &&
    typeof row.path === 'string' &&
    typeof row.profile === 'string' &&
    typeof row.bucket === 'string' &&
    typeof row.key === 'string' &&
    (row.localPath === undefined || typeof row.localPath === 'string') &&
    (row.detail === undefined || typeof row.detail === 'string')
  );
}
