import * as vscode from 'vscode';
import { auditBuckets, auditJournal, auditPlaces, auditReportText, type AuditResult, type AuditSummary } from '../../../integrity/audit';
import { allMatch } from '../../../integrity/verdict';
import { folderPrefix, listObjects } from '../../../storage/listing';
import type { ObjectInfo } from '../../../storage/types';
import { runLimited } from '../../../util/concurrency';
import { formatCount } from '../../../util/format';
import type { RemoteTarget } from '../../shared/commandArgs';
import { withNotificationProgress } from '../../shared/progress';
import { runCommand } from '../../commands';
import type { CopyFeature } from '../context';
import type { DestinationArg } from '../destination';
import { copyRouted, removeSource, type CopyPlace } from '../route';
import type { RestoreRequest } from '../../../storage/objectState';
import { isArchivedError } from '../../shared/restoreFlow';
import { askFolderRestore, restoreAll } from '../folderRestore';
import { restoreExpiredError } from '../../../transfer/restore/restoringStore';

/**
 * Copy To… / Move… of a folder of the Buckets view: every object below it copied (server-side or
 * streamed, each verified by CRC-64), then the two prefixes audited bucket against bucket — the one
 * verdict on every pair, what is only on one side included. A move deletes a source object only when the
 * audit proved its pair (`=`) and the source is still the object that was read (`deleteSourceIfProven`):
 * nothing the audit did not prove is deleted.
 */

export interface FolderCopyOutcome {
  copied: number;
  failed: Array<{ key: string; message: string }>;
  counts: Record<string, number>;
  deleted: number;
  kept: Array<{ key: string; why: string }>;
  report: string;
}

const LANES = 4;

async function destinationPrefix(
  feature: CopyFeature,
  source: RemoteTarget,
  given: DestinationArg | undefined,
  move: boolean,
): Promise<{ profile: string; bucket: string; prefix: string } | undefined> {
  if (typeof given === 'object' && given)
    return { profile: given.profile ?? source.profile, bucket: given.bucket, prefix: folderPrefix(given.key) };
  const profiles = [source.profile, ...feature.profileNames().filter((n) => n !== source.profile)];
  const profile =
    profiles.length === 1
      ? source.profile
      : await vscode.window.showQuickPick(profiles, {
          title: move ? vscode.l10n.t('Move {0} to: profile', source.key) : vscode.l10n.t('Copy {0} to: profile', source.key),
          ignoreFocusOut: true,
        });
  if (!profile) return undefined;
  const text = await vscode.window.showInputBox({
    title: move
      ? vscode.l10n.t('Move {0} to: bucket/folder in {1}', `${source.bucket}/${source.key}`, profile)
      : vscode.l10n.t('Copy {0} to: bucket/folder in {1}', `${source.bucket}/${source.key}`, profile),
    value: `${source.bucket}/`,
    ignoreFocusOut: true,
    validateInput: (v) =>
      /^[^/]+\/.*$/.test(v.trim()) ? undefined : vscode.l10n.t('Type the bucket, a slash, then the folder, e.g. backup-bucket/2024/'),
  });
  if (text === undefined) return undefined;
  const t = text.trim();
  const slash = t.indexOf('/');
  return { profile, bucket: t.slice(0, slash), prefix: folderPrefix(t.slice(slash + 1)) };
}

/** Both ends of a folder copy, resolved: what each step below takes. */
interface FolderJob {
  feature: CopyFeature;
  move: boolean;
  source: RemoteTarget;
  srcPrefix: string;
  dest: { profile: string; bucket: string; prefix: string };
  from: Omit<CopyPlace, 'bucket' | 'key'>;
  to: Omit<CopyPlace, 'bucket' | 'key'>;
}

const label = (p: string, b: string, k: string): string => `${p}:${b}/${k}`;

/** The source object of a path relative to the folder, and its copy. */
function pair(job: FolderJob, rel: string): { from: CopyPlace; to: CopyPlace } {
  return {
    from: { ...job.from, bucket: job.source.bucket, key: job.srcPrefix + rel },
    to: { ...job.to, bucket: job.dest.bucket, key: job.dest.prefix + rel },
  };
}

export async function copyFolder(
  feature: CopyFeature,
  move: boolean,
  source: RemoteTarget,
  given: DestinationArg | undefined,
  restore?: RestoreRequest,
): Promise<FolderCopyOutcome | undefined> {
  const srcPrefix = folderPrefix(source.key);
  const dest = await destinationPrefix(feature, source, given, move);
  if (!dest) return undefined;
  const [fromEnd, toEnd] = await Promise.all([feature.endpointOf(source.profile), feature.endpointOf(dest.profile)]);
  const refused = auditPlaces(
    { connection: fromEnd.connection, bucket: source.bucket, prefix: srcPrefix },
    { connection: toEnd.connection, bucket: dest.bucket, prefix: dest.prefix },
  );
  if (refused) {
    void vscode.window.showErrorMessage(
      move
        ? vscode.l10n.t('Move of {0} refused: {1} Nothing was copied or deleted.', `${source.bucket}/${srcPrefix}`, refused)
        : vscode.l10n.t('Copy of {0} refused: {1} Nothing was copied or deleted.', `${source.bucket}/${srcPrefix}`, refused),
    );
    return undefined;
  }
  const [fromStore, toStore] = await Promise.all([feature.services.storeFor(source.profile), feature.services.storeFor(dest.profile)]);
  const job: FolderJob = {
    feature,
    move,
    source,
    srcPrefix,
    dest,
    from: { store: fromStore, endpoint: fromEnd },
    to: { store: toStore, endpoint: toEnd },
  };
  const [from, to] = [label(source.profile, source.bucket, srcPrefix), label(dest.profile, dest.bucket, dest.prefix)];
  return withNotificationProgress(
    move ? vscode.l10n.t('Moving {0} to {1}', from, to) : vscode.l10n.t('Copying {0} to {1}', from, to),
    async (signal, progress) => {
      const onCopied = (copied: number) => progress.report({ message: vscode.l10n.t('{0} objects copied', formatCount(copied)) });
      const copy = await copyAll(job, signal, onCopied);
      if (copy.archived.length) await copyArchived(job, copy, restore, signal, onCopied, (n) => progress.report({ message: n }));
      progress.report({ message: vscode.l10n.t('auditing both prefixes') });
      const audit = await auditCopy(job, signal);
      const removal = move ? await deleteProven(job, copy.read, audit.proven, signal) : { deleted: 0, kept: [] };
      return finish(job, copy, audit, removal);
    },
  );
}

interface Copied {
  /** The source objects copied, as read for the copy (by path relative to the folder). */
  read: Map<string, ObjectInfo>;
  failed: FolderCopyOutcome['failed'];
  /** The sources the service refused because they are archived (also in `failed`). */
  archived: ObjectInfo[];
  copied: number;
}

/** Every object below the folder copied (each verified by CRC-64); a failure is noted and the others go on. */
async function copyAll(job: FolderJob, signal: AbortSignal, onCopied: (copied: number) => void): Promise<Copied> {
  const { source, srcPrefix } = job;
  const done: Copied = { read: new Map(), failed: [], archived: [], copied: 0 };
  const objects = (async function* () {
    for await (const o of listObjects(job.from.store, source.bucket, srcPrefix, { signal })) if (!o.key.endsWith('/')) yield o;
  })();
  await copyEach(job, objects, signal, done, onCopied);
  return done;
}

/** `objects` (below the folder) copied into `done`, a few at a time; a failure is noted and the others go on. */
async function copyEach(
  job: FolderJob,
  objects: Iterable<ObjectInfo> | AsyncIterable<ObjectInfo>,
  signal: AbortSignal,
  done: Copied,
  onCopied: (copied: number) => void,
): Promise<void> {
  const { feature, srcPrefix } = job;
  await runLimited(
    objects,
    LANES,
    async (o) => {
      const rel = o.key.slice(srcPrefix.length);
      try {
        const { from, to } = pair(job, rel);
        const r = await copyRouted(from, to, { move: false, overwrite: true, signal, checkpoints: feature.migrationCheckpoints });
        if (r.sourceInfo) done.read.set(rel, r.sourceInfo);
        done.copied++;
      } catch (err) {
        if (signal.aborted) throw err;
        done.failed.push({ key: o.key, message: (err as Error).message });
        if (isArchivedError(err)) done.archived.push(o);
      }
      onCopied(done.copied);
    },
    { signal },
  );
}

/**
 * The archived sources the copy was refused: restored (with `given`, or the tier and days the user picks
 * when asked), tracked until readable, then copied like the others. Declined, they stay failures.
 */
async function copyArchived(
  job: FolderJob,
  done: Copied,
  given: RestoreRequest | undefined,
  signal: AbortSignal,
  onCopied: (copied: number) => void,
  say: (message: string) => void,
): Promise<void> {
  const archived = done.archived;
  const request = given ?? (await askFolderRestore(archived.length, label(job.source.profile, job.source.bucket, job.srcPrefix)));
  if (!request) return;
  const retried = new Set(archived.map((o) => o.key));
  done.failed = done.failed.filter((f) => !retried.has(f.key));
  done.archived = [];
  say(vscode.l10n.t('restoring {0} archived objects', formatCount(archived.length)));
  const ready = await restoreAll(job.from.store, job.source.bucket, archived, request, {
    signal,
    log: (line) => job.feature.log.info(line),
    onFailed: (o, message) => done.failed.push({ key: o.key, message }),
    onRestored: (n) => say(vscode.l10n.t('{0} of {1} archived objects restored', formatCount(n), formatCount(archived.length))),
  });
  await copyEach(job, ready, signal, done, onCopied);
  // Refused again after its restore: the restored copy expired before the copy read it.
  const expired = new Set(done.archived.map((o) => o.key));
  for (const f of done.failed) if (expired.has(f.key)) f.message = restoreExpiredError(job.source.bucket, f.key, request.days).message;
}

interface Audited {
  summary: AuditSummary;
  report: string;
  /** Paths the audit proved (`=`). */
  proven: string[];
  rows: AuditResult[];
}

/** The two prefixes audited bucket against bucket: the one verdict on every pair, what is only on one side included. */
async function auditCopy(job: FolderJob, signal: AbortSignal): Promise<Audited> {
  const { source, srcPrefix, dest, move } = job;
  const first = {
    store: job.from.store,
    profile: source.profile,
    bucket: source.bucket,
    prefix: srcPrefix,
    label: `${job.from.store.provider}://${source.bucket}/${srcPrefix}`,
  };
  const second = {
    store: job.to.store,
    profile: dest.profile,
    bucket: dest.bucket,
    prefix: dest.prefix,
    label: `${job.to.store.provider}://${dest.bucket}/${dest.prefix}`,
  };
  const proven: string[] = [];
  const rows: AuditResult[] = [];
  const { summary, report } = await job.feature.services.record.use(async (record) => {
    const s = await auditBuckets({
      record,
      first,
      second,
      restart: true,
      signal,
      reportMatches: true,
      onResult: (r) => {
        if (r.status === 'match') proven.push(r.path);
        if (rows.length < 20_000) rows.push(r);
      },
    });
    const text = auditReportText(
      {
        first: first.label,
        second: second.label,
        checkedAt: new Date(),
        basis: move
          ? vscode.l10n.t('the copy just made, audited from the CRC record and the live listings (a move deletes only what this proved)')
          : vscode.l10n.t('the copy just made, audited from the CRC record and the live listings'),
      },
      s,
      auditJournal(record).issues(s.runId),
    );
    return { summary: s, report: text };
  });
  return { summary, report, proven, rows };
}

/** A move: each source the audit proved deleted if it is still the object that was read; all else kept, with why. */
async function deleteProven(
  job: FolderJob,
  read: Map<string, ObjectInfo>,
  proven: readonly string[],
  signal: AbortSignal,
): Promise<{ deleted: number; kept: FolderCopyOutcome['kept'] }> {
  let deleted = 0;
  const kept: FolderCopyOutcome['kept'] = [];
  const provenSet = new Set(proven);
  for (const [rel] of read) if (!provenSet.has(rel)) kept.push({ key: job.srcPrefix + rel, why: 'the audit did not prove its copy' });
  await runLimited(
    proven.filter((rel) => read.has(rel)),
    LANES,
    async (rel) => {
      const { from, to } = pair(job, rel);
      const outcome = await removeSource(from, to, read.get(rel), signal);
      if (outcome.sourceDeleted) deleted++;
      else kept.push({ key: job.srcPrefix + rel, why: outcome.keptBecause ?? 'kept' });
    },
    { signal },
  );
  return { deleted, kept };
}

/** The run in the Results view, both places refreshed, and the one line of what happened. */
function finish(
  job: FolderJob,
  { copied, failed }: Copied,
  { summary, report, rows }: Audited,
  { deleted, kept }: { deleted: number; kept: FolderCopyOutcome['kept'] },
): FolderCopyOutcome {
  const { feature, move, source, srcPrefix, dest } = job;
  const [from, to] = [label(source.profile, source.bucket, srcPrefix), label(dest.profile, dest.bucket, dest.prefix)];
  feature.services.results.add({
    kind: 'copy',
    title: move ? vscode.l10n.t('Move: {0} → {1} (audited)', from, to) : vscode.l10n.t('Copy: {0} → {1} (audited)', from, to),
    at: new Date(),
    counts: summary.counts,
    rows: rows.map((r) => ({
      status: r.status,
      path: r.path,
      profile: dest.profile,
      bucket: dest.bucket,
      key: dest.prefix + r.path,
      ...(r.detail ? { detail: r.detail } : {}),
    })),
    report,
  });
  for (const p of [
    { profile: dest.profile, bucket: dest.bucket, prefix: dest.prefix },
    ...(deleted ? [{ profile: source.profile, bucket: source.bucket, prefix: srcPrefix }] : []),
  ]) {
    void runCommand('bucketIntegrity.refreshNode', p);
  }
  const c = summary.counts;
  const clauses = [
    move
      ? vscode.l10n.t('Moved {0} objects to {1}', formatCount(copied), to)
      : vscode.l10n.t('Copied {0} objects to {1}', formatCount(copied), to),
    allMatch(c)
      ? vscode.l10n.t('audit: all match')
      : vscode.l10n.t('audit: {0} of {1} did not match', formatCount(c.total - c.match), formatCount(c.total)),
    ...(move ? [vscode.l10n.t('{0} sources deleted, {1} kept', formatCount(deleted), formatCount(kept.length))] : []),
    ...(failed.length ? [vscode.l10n.t('{0} failed', failed.length)] : []),
  ];
  const line = vscode.l10n.t('{0}.', clauses.join(vscode.l10n.t('; ')));
  feature.log.info(line);
  for (const k of kept) feature.log.info(`kept ${k.key}: ${k.why}`);
  for (const f of failed) feature.log.error(`${f.key}: ${f.message}`);
  void (allMatch(c) && !failed.length && !kept.length
    ? vscode.window.showInformationMessage(line)
    : vscode.window.showWarningMessage(line));
  return { copied, failed, counts: { ...c }, deleted, kept, report };
}
