import { join } from 'node:path';
import * as vscode from 'vscode';
import { verifyJournal, verifyPrefix as runVerify, verifyRunId, type VerifySummary } from '../../../integrity/verify/engine';
import { poolHasher } from '../../../crc/hashers';
import { reportText, writeReport } from '../../../integrity/verify/report';
import type { VerifyResult } from '../../../integrity/verify/outcome';
import type { CrcRecord } from '../../../record/record';
import type { ObjectStore } from '../../../storage/types';
import { CancelledError, isCancelled } from '../../../util/errors';
import { formatCount } from '../../../util/format';
import { withNotificationProgress } from '../../shared/progress';
import { applyResults, type BadgedResult } from '../../shared/badgeResults';
import { prepareRecord, type NoRecordAnswer } from '../plan';
import { mappedFolderOf, remoteUrlOf, verifyTargetOf, type VerifyTarget } from '../targets';
import type { FinishedVerify, VerifyFeature } from '../verifyFeature';
import { allMatched } from '../verifyReport';
import { progressText } from '../../shared/checkProgress';
import { offerExport } from './exportReport';
import { placeText } from '../../shared/notify';

/** Arguments that skip the questions (other commands, tests). */
interface VerifyArgs {
  /** Compare with this folder instead of the mapped one. */
  localDir?: string;
  /** Against the record even when a mapping covers the prefix. */
  againstRecord?: boolean;
  /** A stopped run: continue it (false) or start over (true); asked when absent. */
  restart?: boolean;
  /** The record knows nothing of the prefix: what to do without asking. */
  whenNoRecord?: NoRecordAnswer;
}

/** What the command resolves to: the summary and the report text (undefined when cancelled). */
export interface VerifyOutcome extends FinishedVerify {
  report: string;
}

/** Results badged per run at most (the tree badges the rest from the record as it lists them). */
const BADGES_PER_RUN = 20_000;

async function askRestart(record: CrcRecord, runId: string, given: boolean | undefined): Promise<boolean> {
  const saved = verifyJournal(record).state(runId);
  if (!saved || saved.finished) return false;
  if (given !== undefined) return given;
  const resume = 'Continue';
  const restart = vscode.l10n.t('Start Over');
  const done = saved.counts?.total ?? 0;
  const pick = await vscode.window.showInformationMessage(
    vscode.l10n.t('A verify of this prefix was stopped after {0} objects.', formatCount(done)),
    { modal: true },
    resume,
    restart,
  );
  if (!pick) throw new CancelledError();
  return pick === restart;
}

interface Job {
  feature: VerifyFeature;
  target: VerifyTarget;
  store: ObjectStore;
  record: CrcRecord;
  localDir?: string;
  restart: boolean;
}

/** The run under a cancellable notification: objects done, objects/s, ETA and HEADs as it goes. */
function runWithProgress(job: Job, onResult: (r: VerifyResult) => void): Thenable<VerifySummary> {
  const { target } = job;
  const title = job.localDir
    ? vscode.l10n.t('Verifying {0}/{1} against {2}', target.bucket, target.prefix, vscode.workspace.asRelativePath(job.localDir))
    : vscode.l10n.t('Verifying {0}/{1}', target.bucket, target.prefix);
  return withNotificationProgress(title, async (signal, progress) => {
    let shown = 0;
    return runVerify({
      store: job.store,
      record: job.record,
      profile: target.profile,
      bucket: target.bucket,
      prefix: target.prefix,
      restart: job.restart,
      signal,
      ...(job.localDir ? { localDir: job.localDir, hashFiles: poolHasher(job.feature.services.hashPool()) } : {}),
      onResult,
      onProgress: (p) => {
        const percent = p.total ? Math.min(100, (p.done / p.total) * 100) : 0;
        progress.report({ message: progressText(p), increment: Math.max(0, percent - shown) });
        shown = Math.max(shown, percent);
      },
    });
  });
}

/** Each result with the local file of its pair, when the run compared with a local folder. */
function badgedResults(target: VerifyTarget, results: readonly VerifyResult[], localDir: string | undefined): BadgedResult[] {
  return results.map((r) => ({
    ...r,
    ...(localDir && r.key.startsWith(target.prefix) ? { localPath: join(localDir, ...r.key.slice(target.prefix.length).split('/')) } : {}),
  }));
}

async function verifyWithRecord(job: Job, whenNoRecord: NoRecordAnswer | undefined): Promise<VerifyOutcome> {
  const { feature, target, record } = job;
  await prepareRecord(feature, target, job.store, record, whenNoRecord);
  const badges: VerifyResult[] = [];
  const checkedAt = new Date();
  let summary: VerifySummary;
  try {
    summary = await runWithProgress(job, (r) => {
      if (badges.length < BADGES_PER_RUN) badges.push(r);
    });
  } catch (err) {
    if (isCancelled(err)) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Verify of {0}/{1} stopped. Run it again to continue where it stopped.', target.bucket, target.prefix),
      );
    }
    throw err;
  } finally {
    applyResults(feature.services.badges, target, badgedResults(target, badges, job.localDir));
  }
  const remote = remoteUrlOf(job.store.provider, target);
  const reportTarget = { remote, profile: target.profile, checkedAt, ...(job.localDir ? { localDir: job.localDir } : {}) };
  const report = reportText(reportTarget, summary, verifyJournal(record).issues(summary.runId));
  const rerunArgs: VerifyArgs & { profile: string; bucket: string; prefix: string } = {
    profile: target.profile,
    bucket: target.bucket,
    prefix: target.prefix,
    restart: true,
    ...(job.localDir ? { localDir: job.localDir } : { againstRecord: true }),
  };
  feature.services.results.add({
    kind: 'verify',
    title: vscode.l10n.t('Verify: {0}{1}', remote, job.localDir ? ` ↔ ${vscode.workspace.asRelativePath(job.localDir)}` : ''),
    at: checkedAt,
    counts: summary.counts,
    rows: badgedResults(target, badges, job.localDir).map((r) => ({
      status: r.status,
      path: r.key.startsWith(target.prefix) ? r.key.slice(target.prefix.length) : r.key,
      profile: target.profile,
      bucket: target.bucket,
      key: r.key,
      ...(r.localPath ? { localPath: r.localPath } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
    })),
    report,
    replay: rerunArgs,
    // Read from the record's journal, so a run of millions is never in memory.
    exportTo: (file) =>
      feature.services.record.use((rec) => writeReport(file, reportTarget, summary, verifyJournal(rec).issues(summary.runId))),
  });
  return { target, remote, ...(job.localDir ? { localDir: job.localDir } : {}), summary, checkedAt, report };
}

/**
 * `bucketIntegrity.verifyBucket` / `bucketIntegrity.verifyPrefix`: every object below the prefix against
 * its mapped local file, or against the CRC record when no mapping covers it; then a report document
 * with the counts and an offer to export it as CSV or JSON. A stopped run continues where it stopped.
 */
export async function verifyPrefix(feature: VerifyFeature, arg: unknown, wholeBucket: boolean): Promise<VerifyOutcome | undefined> {
  const target = await verifyTargetOf(
    feature,
    arg,
    wholeBucket ? vscode.l10n.t('Verify Bucket') : vscode.l10n.t('Verify Prefix'),
    !wholeBucket,
  );
  if (wholeBucket) target.prefix = '';
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as VerifyArgs;
  const localDir = given.localDir ?? (given.againstRecord ? undefined : await mappedFolderOf(target));
  const store = await feature.services.storeFor(target.profile);
  const outcome = await feature.services.record.use(async (record) => {
    const runId = verifyRunId({ ...target, ...(localDir ? { localDir } : {}) });
    const restart = await askRestart(record, runId, given.restart);
    return verifyWithRecord({ feature, target, store, record, restart, ...(localDir ? { localDir } : {}) }, given.whenNoRecord);
  });
  feature.last = outcome;
  await feature.reports.show(vscode.l10n.t('Verify {0}', outcome.remote), outcome.report);
  const { counts, requests } = outcome.summary;
  const place = placeText({ profile: target.profile, bucket: target.bucket, key: target.prefix });
  const against = outcome.localDir
    ? vscode.l10n.t('against {0}', vscode.workspace.asRelativePath(outcome.localDir))
    : vscode.l10n.t('against the CRC record');
  const result = allMatched(outcome.summary)
    ? vscode.l10n.t('all match')
    : vscode.l10n.t('{0} did not match', formatCount(counts.total - counts.match));
  const line = vscode.l10n.t(
    'Verified {0} objects in {1} {2}: {3} ({4} HEAD requests).',
    formatCount(counts.total),
    place,
    against,
    result,
    formatCount(requests.head),
  );
  feature.log.info(line);
  offerExport(feature, outcome, line, !allMatched(outcome.summary));
  return outcome;
}
