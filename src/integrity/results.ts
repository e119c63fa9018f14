import * as l10n from '@vscode/l10n';
import { emptyCounts, summaryLine, VERDICTS, type Verdict, type VerdictCounts } from './verdict';

/**
 * The runs the Results view shows: the last compare, verify, copy and bucket-against-bucket runs, each with its rows grouped by
 * verdict (the one verdict module). Editor-free, so it is unit-tested without VS Code; the view reads it.
 */

/** `audit`: Compare with Bucket… (a bucket or prefix against another, by the CRC-64 both services store). */
export type RunKind = 'compare' | 'verify' | 'copy' | 'audit';

/** One result of a run: what a row of the view shows and opens. */
export interface ResultRow {
  status: Verdict;
  /** Relative to the run's folder or prefix (the key for a copy). */
  path: string;
  detail?: string;
  profile: string;
  bucket: string;
  key: string;
  /** The local file of the pair, when the run had one: the row opens Open Changes instead of the object. */
  localPath?: string;
}

export interface NewRun {
  kind: RunKind;
  /** e.g. "Compare site ↔ cos://demo/site/". */
  title: string;
  at: Date;
  rows: Iterable<ResultRow>;
  /** The run's own counts when `rows` holds only part of its results (a verify of millions); else counted from `rows`. */
  counts?: VerdictCounts;
  /** The plain-text report of the run (the Export). */
  report: string;
  /** Runs it again (the "Re-run" action); absent when it cannot be re-run (a move). */
  rerun?: () => Promise<unknown>;
  /**
   * What runs it again, as plain data (JSON) for the rerunner of its kind (`setRerunner`): survives a
   * window reload, where `rerun` does not. Absent when it cannot be re-run.
   */
  replay?: unknown;
  /**
   * Writes the run's results as CSV, or JSON for a name ending in `.json` (the one export of
   * `check/format`); absent when the run has only its text report.
   */
  exportTo?: (file: string) => Promise<void>;
}

export interface ResultRun {
  readonly id: number;
  readonly kind: RunKind;
  readonly title: string;
  readonly at: Date;
  readonly report: string;
  readonly rerun?: () => Promise<unknown>;
  /** What runs it again as plain data (see `NewRun.replay`); kept when the runs are stored. */
  readonly replay?: unknown;
  readonly exportTo?: (file: string) => Promise<void>;
  /** Every verdict's count, also of rows not kept. */
  readonly counts: Readonly<VerdictCounts>;
  /** The rows kept (at most `ROWS_PER_RUN`), in the order the run found them. */
  readonly rows: readonly ResultRow[];
  /** Results counted but not kept as rows (beyond `ROWS_PER_RUN`, or not handed over). */
  readonly dropped: number;
}

export interface OutcomeGroup {
  status: Verdict;
  /** All rows of that verdict the run found (kept or not). */
  count: number;
  rows: readonly ResultRow[];
}

/** Runs kept (and stored across a window reload): older ones fall off, like a terminal's scrollback. */
export const RUNS_KEPT = 20;
/** Rows kept per run: a verify of millions keeps its counts, and the report has the rest. */
export const ROWS_PER_RUN = 5_000;

export class ResultsModel {
  private list: ResultRun[] = [];
  private next = 1;
  private shown: ReadonlySet<Verdict> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly rerunners = new Map<RunKind, (replay: unknown) => Promise<unknown>>();

  constructor(
    private readonly keep = RUNS_KEPT,
    private readonly rowsPerRun = ROWS_PER_RUN,
  ) {}

  /** Newest first. */
  runs(): readonly ResultRun[] {
    return this.list;
  }

  get(id: number): ResultRun | undefined {
    return this.list.find((r) => r.id === id);
  }

  add(run: NewRun): ResultRun {
    const added = this.build(run);
    this.list = [added, ...this.list].slice(0, this.keep);
    this.changed();
    return added;
  }

  /** Runs of an earlier window (newest first), placed after the ones this window added. */
  restore(runs: readonly NewRun[]): void {
    if (runs.length === 0) return;
    this.list = [...this.list, ...runs.map((r) => this.build(r))].slice(0, this.keep);
    this.changed();
  }

  /** How runs of a kind are run again from their `replay` (a feature registers its own). */
  setRerunner(kind: RunKind, rerun: (replay: unknown) => Promise<unknown>): void {
    this.rerunners.set(kind, rerun);
  }

  private build(run: NewRun): ResultRun {
    const counts = emptyCounts();
    const rows: ResultRow[] = [];
    for (const row of run.rows) {
      counts[row.status]++;
      counts.total++;
      if (rows.length < this.rowsPerRun) rows.push(row);
    }
    if (run.counts) Object.assign(counts, run.counts);
    const dropped = counts.total - rows.length;
    const { kind, replay } = run;
    // A run that can be replayed is re-run by its kind's rerunner, looked up when asked (it may register later).
    const rerun = run.rerun ?? (replay === undefined ? undefined : () => this.replay(kind, replay));
    return {
      id: this.next++,
      kind,
      title: run.title,
      at: run.at,
      report: run.report,
      counts,
      rows,
      dropped,
      ...(rerun ? { rerun } : {}),
      ...(replay === undefined ? {} : { replay }),
      ...(run.exportTo ? { exportTo: run.exportTo } : {}),
    };
  }

  private async replay(kind: RunKind, replay: unknown): Promise<unknown> {
    const rerun = this.rerunners.get(kind);
    if (!rerun) throw new Error(l10n.t('A {0} run cannot be run again yet.', kind));
    return rerun(replay);
  }

  clear(): void {
    this.list = [];
    this.changed();
  }

  /** The verdicts shown; undefined shows all. */
  get filter(): ReadonlySet<Verdict> | undefined {
    return this.shown;
  }

  setFilter(verdicts: Iterable<Verdict> | undefined): void {
    const set = verdicts === undefined ? undefined : new Set(verdicts);
    this.shown = set && set.size < VERDICTS.length ? set : undefined;
    this.changed();
  }

  /** A run's rows by verdict, in report order (matches first, then worst last), empty groups and filtered-out ones left out. */
  groups(run: ResultRun): OutcomeGroup[] {
    return VERDICTS.filter((v) => run.counts[v] > 0 && (!this.shown || this.shown.has(v))).map((status) => ({
      status,
      count: run.counts[status],
      rows: run.rows.filter((r) => r.status === status),
    }));
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** The run node's description: the one summary line ("3 files: 2 match, 1 differ."). */
export function runDescription(run: ResultRun): string {
  return summaryLine(run.counts, run.kind === 'compare' ? ['file', 'files'] : ['object', 'objects']);
}

/**
 * What clicking a row opens: both sides in a diff when both exist, the object when there is no local
 * file, the local file when there is no object.
 */
export function rowOpens(row: ResultRow): 'changes' | 'object' | 'file' {
  if (row.status === 'only-local') return row.localPath ? 'file' : 'object';
  if (row.status === 'only-remote' || !row.localPath) return 'object';
  return 'changes';
}
