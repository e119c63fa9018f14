import * as vscode from 'vscode';
import { localBadgeKey, remoteBadgeKey } from '../shared/badgeKeys';
import { notify, placeText } from '../shared/notify';
import { withCancellableProgress } from '../shared/progress';
import { compareFile, compareFolderWithNotes, type FileResult } from '../../integrity/compare';
import { applyResults } from '../shared/badgeResults';
import { compareDeps, rememberPairs, type CompareFeature } from './compareFeature';
import type { ResultRow } from '../../integrity/results';
import { exportedResult, writeExport } from '../../integrity/check/format';
import { allMatch, countResults, formatReport, leftOutLine, summaryLine, type ReportCounts } from './report';

/** One comparison to run: a file against an object, or a folder against a prefix. */
export interface CompareJob {
  profile: string;
  bucket: string;
  kind: 'file' | 'folder';
  localPath: string;
  /** Object key (file) or prefix ending with '/' or '' (folder). */
  key: string;
  /** How the local side is named in the report (workspace-relative when possible). */
  localLabel: string;
  provider?: string;
}

export interface CompareOutcome {
  results: FileResult[];
  counts: ReportCounts;
  report: string;
  allMatch: boolean;
  /** What the folder comparisons left out (links not followed, folder markers that hold bytes). */
  notes: string[];
}

/** Runs the jobs under one cancellable notification, updates the badges, then shows the report. */
export interface CompareOptions {
  /** No report document, no message (background re-checks). */
  quiet?: boolean;
  /** The command that ran, for the report's title (default "Compare with Remote"). */
  title?: string;
}

/** One job compared: its badges and pairs updated, its results and what it left out. */
async function compareJob(
  feature: CompareFeature,
  job: CompareJob,
  signal: AbortSignal,
  report: (message: string) => void,
): Promise<{ results: FileResult[]; notes: string[] }> {
  const store = await feature.services.storeFor(job.profile);
  const deps = await compareDeps(feature, job.profile, job.bucket, store, signal, report);
  const done =
    job.kind === 'file'
      ? { results: [await compareFile(deps, { localPath: job.localPath, bucket: job.bucket, key: job.key })], notes: [] }
      : await compareFolderWithNotes(deps, { localDir: job.localPath, bucket: job.bucket, prefix: job.key });
  if (job.kind === 'folder') {
    // Results replace whatever was known below both folders (files deleted since are forgotten).
    feature.services.badges.deleteUnder(localBadgeKey(job.localPath));
    feature.services.badges.deleteUnder(remoteBadgeKey(job.profile, job.bucket, job.key));
  }
  applyResults(feature.services.badges, job, done.results);
  rememberPairs(feature, job.profile, job.bucket, done.results);
  return done;
}

/** A job's results as rows of the Results view; each one that did not match is logged. */
function rowsOf(feature: CompareFeature, job: CompareJob, results: readonly FileResult[]): ResultRow[] {
  return results.map((r) => {
    const path = job.localLabel === r.relativePath ? r.relativePath : `${job.localLabel}/${r.relativePath}`;
    if (r.status !== 'match') feature.log.info(`${r.status}  ${path}${r.detail ? `  (${r.detail})` : ''}`);
    return {
      status: r.status,
      path,
      profile: job.profile,
      bucket: job.bucket,
      key: r.key,
      localPath: r.localPath,
      ...(r.detail ? { detail: r.detail } : {}),
    };
  });
}

/** What the jobs found together, for the Results view. */
interface Collected {
  outcome: CompareOutcome;
  rows: ResultRow[];
  remotes: string[];
}

/** The run in the Results view, with its export; Re-run replays its jobs (also after a window reload). */
function addRun(
  feature: CompareFeature,
  jobs: readonly CompareJob[],
  options: CompareOptions,
  reportTitle: string,
  found: Collected,
): void {
  const { outcome } = found;
  const what = jobs.length === 1 ? `${jobs[0].localLabel} ↔ ${jobs[0].bucket}/${jobs[0].key}` : `${jobs.length} items`;
  const at = new Date();
  const exportTo = (file: string): Promise<void> =>
    writeExport(
      file,
      { remote: found.remotes.join(', '), localDir: jobs.map((j) => j.localPath).join(', '), checkedAt: at, counts: outcome.counts },
      outcome.results.map(exportedResult),
    );
  feature.services.results.add({
    kind: 'compare',
    title: `${reportTitle}: ${what}`,
    at,
    rows: found.rows,
    report: outcome.report,
    replay: { jobs, options },
    exportTo,
  });
}

export async function runCompareJobs(
  feature: CompareFeature,
  jobs: readonly CompareJob[],
  options: CompareOptions = {},
): Promise<CompareOutcome | undefined> {
  const reportTitle = options.title ?? vscode.l10n.t('Compare with Remote');
  const title =
    jobs.length === 1
      ? vscode.l10n.t('Comparing {0} with {1}', jobs[0].localLabel, jobs[0].bucket)
      : vscode.l10n.t('Comparing {0} items with their buckets', jobs.length);
  const reports: string[] = [];
  const all: FileResult[] = [];
  const notes: string[] = [];
  const rows: ResultRow[] = [];
  const remotes: string[] = [];
  const done = await withCancellableProgress(title, async (signal, report) => {
    for (const job of jobs) {
      const { results, notes: jobNotes } = await compareJob(feature, job, signal, report);
      const scheme = job.provider ?? 'remote';
      const header = {
        title: reportTitle,
        local: job.localLabel,
        remote: `${scheme}://${job.bucket}/${job.key}`,
        profile: job.profile,
        at: new Date(),
      };
      remotes.push(header.remote);
      reports.push(formatReport(header, results, jobNotes));
      all.push(...results);
      notes.push(...jobNotes);
      for (const note of jobNotes) feature.log.info(note);
      for (const row of rowsOf(feature, job, results)) rows.push(row);
      feature.log.info(`${job.localLabel} ↔ ${job.bucket}/${job.key}: ${summaryLine(results)}`);
    }
    return true;
  });
  if (!done) return undefined;
  const report = reports.join('\n');
  const outcome: CompareOutcome = { results: all, counts: countResults(all), report, allMatch: allMatch(all), notes };
  if (!options.quiet) {
    addRun(feature, jobs, options, reportTitle, { outcome, rows, remotes });
    await show(feature, outcome, jobs, reportTitle);
  }
  return outcome;
}

async function show(feature: CompareFeature, outcome: CompareOutcome, jobs: readonly CompareJob[], reportTitle: string): Promise<void> {
  const title = jobs.length === 1 ? vscode.l10n.t('Compare {0}', jobs[0].localLabel) : reportTitle;
  const openReport = async (): Promise<void> => {
    if (feature.reports) await feature.reports.show(title, outcome.report);
    else
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: outcome.report, language: 'plaintext' }), {
        preview: false,
      });
  };
  if (jobs.length === 1 && jobs[0].kind === 'file' && outcome.results.length === 1) {
    const r = outcome.results[0];
    const place = { profile: jobs[0].profile, bucket: jobs[0].bucket, key: r.key };
    const text = vscode.l10n.t('{0}: {1} Compared with {2}.', r.relativePath, describe(r), placeText(place));
    // Reveal only what is in the bucket.
    const reveal = r.status === 'only-local' ? undefined : place;
    void notify(r.status === 'match' ? 'info' : 'warning', text, { actions: { [vscode.l10n.t('Open Report')]: openReport }, reveal });
    return;
  }
  await openReport();
  const leftOut = leftOutLine(outcome.notes);
  const job = jobs[0];
  const what =
    jobs.length === 1
      ? `${job.localLabel} with ${placeText({ profile: job.profile, bucket: job.bucket, key: job.key })}`
      : `${jobs.length} items with their buckets`;
  const sameBucket = jobs.every((j) => j.profile === job.profile && j.bucket === job.bucket);
  const text = [vscode.l10n.t('Compared {0}: {1}', what, summaryLine(outcome.results)), leftOut && `${leftOut}.`].filter(Boolean).join(' ');
  void notify(!outcome.allMatch || leftOut ? 'warning' : 'info', text, {
    actions: { [vscode.l10n.t('Open Report')]: openReport },
    ...(sameBucket ? { reveal: { profile: job.profile, bucket: job.bucket, key: jobs.length === 1 ? job.key : '' } } : {}),
  });
}

function describe(r: FileResult): string {
  switch (r.status) {
    case 'match':
      return r.remoteCrcSource === 'download'
        ? vscode.l10n.t('CRC-64 matches ({0}), remote CRC-64 computed by downloading.', r.localCrc64 ?? '')
        : vscode.l10n.t('CRC-64 matches ({0}).', r.localCrc64 ?? '');
    case 'differ':
      return r.localCrc64 && r.remoteCrc64
        ? vscode.l10n.t('MISMATCH — {0} (local {1}, remote {2}).', r.detail ?? vscode.l10n.t('CRC-64 differs'), r.localCrc64, r.remoteCrc64)
        : vscode.l10n.t('MISMATCH — {0}.', r.detail ?? vscode.l10n.t('CRC-64 differs'));
    case 'no-crc':
      return vscode.l10n.t('the object was stored without a CRC-64; run "Compute Remote CRC-64 (download)" to check it.');
    case 'only-local':
      return vscode.l10n.t('no such object in the bucket.');
    case 'only-remote':
      return vscode.l10n.t('no local file.');
    case 'error':
      return vscode.l10n.t('could not be compared: {0}.', r.detail ?? vscode.l10n.t('error'));
  }
}
