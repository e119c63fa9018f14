import * as vscode from 'vscode';
import {
  auditBasisText,
  auditBuckets,
  auditJournal,
  auditPlaces,
  auditReportText,
  auditRunId,
  isUnstreamable,
  reportsKnown,
  reportWarnings,
  unstreamableText,
  writeAuditReport,
  type AuditOptions,
  type AuditResult,
  type AuditSide,
  type AuditSummary,
  type AuditTarget,
  type StreamedReport,
} from '../../integrity/audit';
import { importInventory } from '../../inventory/import';
import type { ObjectStore } from '../../storage/types';
import { allMatch } from '../../integrity/verdict';
import type { CrcRecord } from '../../record/record';
import { namingSide } from '../../storage/namingSide';
import { CancelledError } from '../../util/errors';
import { formatCount } from '../../util/format';
import type { BadgeEntry } from '../../integrity/badgeStore';
import { remoteBadgeKey } from '../shared/badgeKeys';
import { remoteTargetOf } from '../shared/commandArgs';
import { firstWorkspaceFolder } from '../shared/mappingSettings';
import { normalizePrefix } from '../shared/mappingModel';
import { pickProfile } from '../shared/pickProfile';
import { missingKeysHint } from '../shared/profileModel';
import { withNotificationProgress } from '../shared/progress';
import { pickBucket } from '../shared/pickBucket';
import type { AuditFeature, AuditPlace, FinishedAudit } from './auditFeature';
import { sideInventory, type SideInventory } from './reports';
import { ENABLE_BUTTON, objectCount, unservedQuestion, type UnservedSide } from '../shared/noRecordQuestion';
import { runCommand } from '../commands';

/** Arguments that skip the questions (other commands, tests). */
export interface CompareWithBucketArgs {
  /** The first side; default the clicked node or the Buckets view's selection. */
  first?: AuditPlace;
  /** The second side; asked with quick picks when absent. */
  other?: AuditPlace;
  /** Start over even when an audit of the same two places was stopped. */
  restart?: boolean;
  /** What to do, without asking, when a side needs a HEAD per object (no report, nothing in the record). */
  whenNoRecord?: 'head' | 'cancel';
}

/** What a run stores to be run again: its two places (no keys: each profile's own are used then). */
export interface AuditReplay {
  first: AuditPlace;
  other: AuditPlace;
}

function isPlace(p: unknown): p is AuditPlace {
  const place = p as Partial<AuditPlace> | null;
  return (
    typeof place === 'object' &&
    place !== null &&
    typeof place.profile === 'string' &&
    typeof place.bucket === 'string' &&
    typeof place.prefix === 'string'
  );
}

/**
 * Re-run from the Results view, also of a run an earlier window stored: the same two places, started
 * over. Stored data is trusted only as far as it checks out.
 */
export function rerunAudit(feature: AuditFeature, replay: unknown): Promise<FinishedAudit | undefined> {
  const r = replay as Partial<AuditReplay> | null;
  if (typeof r !== 'object' || r === null || !isPlace(r.first) || !isPlace(r.other))
    throw new Error(vscode.l10n.t('This Compare with Bucket run cannot be run again: its stored places are not readable.'));
  const place = (p: AuditPlace): AuditPlace => ({ profile: p.profile, bucket: p.bucket, prefix: p.prefix });
  return compareWithBucket(feature, { first: place(r.first), other: place(r.other), restart: true });
}

/** Results badged per run at most (each side). */
const BADGES_PER_RUN = 20_000;
const ROWS_PER_RUN = 20_000;

function firstPlace(feature: AuditFeature, arg: unknown): AuditPlace | undefined {
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as CompareWithBucketArgs;
  if (given.first) return { ...given.first, prefix: normalizePrefix(given.first.prefix) };
  const t = remoteTargetOf(arg ?? feature.buckets?.selection());
  if (!t) return undefined;
  const prefix = t.isPrefix ? t.key : t.key.slice(0, t.key.lastIndexOf('/') + 1);
  return { profile: t.profile, bucket: t.bucket, prefix: normalizePrefix(prefix) };
}

/** The other side, with quick picks: the profile, the bucket, then the same prefix, the whole bucket or one of its folders. */
async function askOther(feature: AuditFeature, first: AuditPlace): Promise<AuditPlace> {
  const title = vscode.l10n.t('Compare {0} with Bucket', `${first.bucket}/${first.prefix}`);
  const profile = await pickProfile(feature.services.profiles, `${title}: profile`);
  const store = await feature.services.storeFor(profile.name);
  const bucket = await pickBucket(store, `${title}: bucket`);
  const listed = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing {0}', bucket) },
    () => store.list(bucket, { delimiter: '/', pageSize: 1000 }),
  );
  const items: Array<vscode.QuickPickItem & { prefix: string }> = [];
  if (first.prefix) items.push({ label: first.prefix, description: vscode.l10n.t('the same prefix'), prefix: first.prefix });
  items.push({ label: vscode.l10n.t('(whole bucket)'), description: bucket, prefix: '' });
  for (const p of listed.prefixes) if (p !== first.prefix) items.push({ label: p, prefix: p });
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('{0}: prefix in {1}', title, bucket),
    ignoreFocusOut: true,
  });
  if (!pick) throw new CancelledError();
  return { profile: profile.name, bucket, prefix: pick.prefix };
}

function connectionOf(feature: AuditFeature, place: AuditPlace) {
  const p = feature.services.profiles.get(place.profile);
  if (!p) throw new Error(vscode.l10n.t('There is no profile "{0}".', place.profile));
  return p;
}

function labelOf(provider: string, place: AuditPlace): string {
  return `${provider}://${place.bucket}/${place.prefix}`;
}

/**
 * Badges on both sides' nodes: each side's object gets the pair's verdict (`+` on the first side's
 * object, `-` on the second's), and a side that lacks the object keeps no old badge for it.
 */
function badge(feature: AuditFeature, first: AuditPlace, second: AuditPlace, results: readonly AuditResult[]): void {
  const checkedAt = Date.now();
  const updates: Array<[string, BadgeEntry | undefined]> = [];
  for (const r of results) {
    // An error is no verdict: the badges stay what they were.
    const status = r.status;
    if (status === 'error') continue;
    const entry = (crc: string | undefined): BadgeEntry => ({
      status,
      checkedAt,
      remoteOnly: true,
      ...(crc ? { remoteCrc64: crc, remoteCrcSource: 'service' as const } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
    });
    updates.push([
      remoteBadgeKey(first.profile, first.bucket, first.prefix + r.path),
      r.status === 'only-remote' ? undefined : entry(r.crc1),
    ]);
    updates.push([
      remoteBadgeKey(second.profile, second.bucket, second.prefix + r.path),
      r.status === 'only-local' ? undefined : entry(r.crc2),
    ]);
  }
  feature.services.badges.apply(updates);
}

interface Job {
  feature: AuditFeature;
  sides: [AuditSide, AuditSide];
  /** Each side's newest CRC inventory report, when it has one. */
  reports: [StreamedReport | undefined, StreamedReport | undefined];
  restart: boolean;
}

/** What a run found and how its CRC-64s were known. */
interface Ran {
  summary: AuditSummary;
  basis: string;
  notes: string[];
}

/**
 * The audit with the live listings; each side's CRC inventory report, when it has one, read as it streams
 * (`sideInventory`). A report found out of key order or damaged stops that run before anything judged is
 * shown: the reports are then imported into the record, and the run is made again from the record.
 */
function run(job: Job, record: CrcRecord, kept: AuditResult[]): Thenable<Ran> {
  const [a, b] = job.sides;
  return withNotificationProgress(vscode.l10n.t('Comparing {0} with {1}', a.label, b.label), async (signal, progress) => {
    let shown = 0;
    const audit = (known: Pick<AuditOptions, 'knownSide' | 'total'>) =>
      auditBuckets({
        record,
        first: a,
        second: b,
        restart: job.restart,
        signal,
        reportMatches: true,
        ...known,
        onResult: (r) => {
          if (kept.length < Math.max(BADGES_PER_RUN, ROWS_PER_RUN)) kept.push(r);
        },
        onProgress: (p) => {
          const percent = p.total ? Math.min(100, (p.done / p.total) * 100) : 0;
          const heads = p.requests.first.head + p.requests.second.head;
          progress.report({
            message: p.total
              ? vscode.l10n.t('{0} of {1} objects, {2} HEAD requests', formatCount(p.done), formatCount(p.total), formatCount(heads))
              : vscode.l10n.t('{0} objects, {1} HEAD requests', formatCount(p.done), formatCount(heads)),
            increment: Math.max(0, percent - shown),
          });
          shown = Math.max(shown, percent);
        },
      });
    const reports = job.reports;
    const streamed = reports.filter((r) => r !== undefined).length;
    const notes = reportWarnings(reports, Date.now(), true);
    if (streamed > 0) {
      const known = reportsKnown(reports, signal);
      try {
        return { summary: await audit(known), basis: auditBasisText({ listing: true, streamed }), notes };
      } catch (err) {
        // A report read later out of order would make what was judged wrong: none of it is shown.
        kept.length = 0;
        if (!isUnstreamable(err)) throw err;
        auditJournal(record).clear(auditRunId({ first: a, second: b, ...known }));
        const why = `${unstreamableText(err)}: the inventory reports were imported into the CRC record instead`;
        job.feature.log.warn(`Compare with Bucket: ${why}.`);
        notes.push(why);
        for (const [i, r] of reports.entries()) {
          if (!r) continue;
          progress.report({ message: vscode.l10n.t('Importing the CRC inventory of {0}', job.sides[i].bucket) });
          const imported = await importInventory({
            store: r.store,
            record,
            profile: job.sides[i].profile,
            location: r.location,
            prefix: r.prefix,
            signal,
          });
          for (const f of imported.failed) notes.push(`${r.label}: inventory file ${f.key} was not imported: ${f.message}`);
        }
        return { summary: await audit({}), basis: auditBasisText({ listing: true, imported: streamed }), notes };
      }
    }
    return { summary: await audit({}), basis: auditBasisText({ listing: true }), notes };
  });
}

/**
 * A side that neither its report nor the record can serve costs a HEAD per object: say so, with what it
 * costs, and go on only when asked to (or offer to enable a CRC inventory). Throws `CancelledError` when
 * the user backs out.
 */
async function confirmHeads(
  feature: AuditFeature,
  stores: readonly ObjectStore[],
  sides: readonly AuditSide[],
  inventories: readonly SideInventory[],
  answer: 'head' | 'cancel' | undefined,
): Promise<void> {
  const unknown = await feature.services.record.use((record) =>
    sides.map(
      (side, i) => !inventories[i].report && record.objects.count({ profile: side.profile, bucket: side.bucket }, side.prefix) === 0,
    ),
  );
  const unserved: UnservedSide[] = [];
  const unservedSides: AuditSide[] = [];
  for (const [i, side] of sides.entries()) {
    if (!unknown[i]) continue;
    // An empty side costs one listing, no HEAD: nothing to ask.
    if ((await stores[i].list(side.bucket, { prefix: side.prefix, pageSize: 1 })).objects.length === 0) continue;
    const { choice } = inventories[i];
    const objects = answer ? undefined : await objectCount(stores[i], side.bucket, choice).catch(() => undefined);
    unserved.push({ where: `${side.bucket}/${side.prefix}`, bucket: side.bucket, choice, objects });
    unservedSides.push(side);
  }
  if (unserved.length === 0 || answer === 'head') return;
  if (answer === 'cancel') throw new CancelledError();
  const q = unservedQuestion(unserved, 'compare');
  const picked = await vscode.window.showWarningMessage(q.text, { modal: true }, ...q.buttons);
  const enable = q.enableSide === undefined ? undefined : unservedSides[q.enableSide];
  if (picked === ENABLE_BUTTON && enable)
    void runCommand('bucketIntegrity.enableCrcInventory', { profile: enable.profile, bucket: enable.bucket });
  if (picked === undefined || picked === ENABLE_BUTTON) throw new CancelledError();
}

/**
 * `bucketIntegrity.compareWithBucket`: a bucket or folder of the tree against another bucket or prefix
 * (any profile, COS or OSS) by the CRC-64 both services store: each side's CRC inventory report as it
 * streams when the bucket has one, else the record (filled by Import CRC Inventory, uploads, earlier
 * checks), and the live listings, only new or changed objects HEADed. The report document, badges on both
 * sides' nodes, the Results view, and an offer to export.
 */
export async function compareWithBucket(feature: AuditFeature, arg?: unknown): Promise<FinishedAudit | undefined> {
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as CompareWithBucketArgs;
  const first = firstPlace(feature, arg);
  if (!first) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Select a bucket or a folder in the Buckets view, then run Compare with Bucket… on it.'),
    );
    return undefined;
  }
  const second = given.other ? { ...given.other, prefix: normalizePrefix(given.other.prefix) } : await askOther(feature, first);
  const pa = connectionOf(feature, first);
  const pb = connectionOf(feature, second);
  const refused = auditPlaces(
    { connection: pa, bucket: first.bucket, prefix: first.prefix },
    { connection: pb, bucket: second.bucket, prefix: second.prefix },
  );
  if (refused) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Compare with Bucket: {0}', `${refused[0].toUpperCase()}${refused.slice(1)}`));
    return undefined;
  }
  const stores: [ObjectStore, ObjectStore] = await Promise.all([namedStore(feature, first), namedStore(feature, second)]);
  const sides: [AuditSide, AuditSide] = [sideOf(stores[0], first, pa.provider), sideOf(stores[1], second, pb.provider)];
  const inventories = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Looking for the inventory reports') },
    () => Promise.all(sides.map((side, i) => sideInventory(stores[i], [first, second][i], side.label, feature.log))),
  );
  await confirmHeads(feature, stores, sides, inventories, given.whenNoRecord);
  const reports: Job['reports'] = [inventories[0].report, inventories[1].report];
  const checkedAt = new Date();
  const kept: AuditResult[] = [];
  const finished = await feature.services.record.use(async (record) => {
    let ran: Ran;
    try {
      ran = await run({ feature, sides, reports, restart: given.restart === true }, record, kept);
    } catch (err) {
      if (err instanceof CancelledError)
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Compare with Bucket stopped. Run it again on the same two places to continue where it stopped.'),
        );
      throw err;
    } finally {
      badge(feature, first, second, kept.slice(0, BADGES_PER_RUN));
    }
    const { summary, basis, notes } = ran;
    const target: AuditTarget = { first: sides[0].label, second: sides[1].label, checkedAt, basis, notes };
    const report = auditReportText(target, summary, auditJournal(record).issues(summary.runId));
    return { first, second, target, summary, report };
  });
  feature.last = finished;
  addRun(feature, finished, kept, checkedAt);
  await feature.reports.show(vscode.l10n.t('Compare {0} with {1}', finished.target.first, finished.target.second), finished.report);
  announce(feature, finished);
  return finished;
}

/**
 * A side's store, with its own profile's keys: an error that stops the run (or the questions before it)
 * says which profile's keys or bucket it was.
 */
async function namedStore(feature: AuditFeature, place: AuditPlace): Promise<ObjectStore> {
  return namingSide(await feature.services.storeFor(place.profile), {
    side: vscode.l10n.t('Profile "{0}"', place.profile),
    hint: (err) => (err.kind === 'credentials' ? missingKeysHint(connectionOf(feature, place)) : undefined),
  });
}

/** One side of the run, on its profile's named store. */
function sideOf(store: ObjectStore, place: AuditPlace, provider: string): AuditSide {
  return {
    store,
    profile: place.profile,
    bucket: place.bucket,
    prefix: place.prefix,
    label: labelOf(provider, place),
  };
}

/** The run in the Results view: its rows open the object where it exists; Re-run replays its two places. */
function addRun(feature: AuditFeature, finished: FinishedAudit, kept: readonly AuditResult[], checkedAt: Date): void {
  const { first, second } = finished;
  feature.services.results.add({
    kind: 'audit',
    title: vscode.l10n.t('Compare {0} ↔ {1}', finished.target.first, finished.target.second),
    at: checkedAt,
    counts: finished.summary.counts,
    rows: kept.slice(0, ROWS_PER_RUN).map((r) => ({
      status: r.status,
      path: r.path,
      // The row opens the object where it exists: the first side's, or the second's when only there.
      ...(r.status === 'only-remote'
        ? { profile: second.profile, bucket: second.bucket, key: second.prefix + r.path }
        : { profile: first.profile, bucket: first.bucket, key: first.prefix + r.path }),
      ...(r.detail ? { detail: r.detail } : {}),
    })),
    report: finished.report,
    // Plain data, so Re-run works on this run after a window reload too (see `rerunAudit`).
    replay: { first, other: second } satisfies AuditReplay,
  });
}

/** The one line of what was found (logged, and shown with an offer to export). */
function announce(feature: AuditFeature, finished: FinishedAudit): void {
  const c = finished.summary.counts;
  const line = allMatch(c)
    ? vscode.l10n.t('{0} objects compared, {1} ↔ {2}: all match.', formatCount(c.total), finished.target.first, finished.target.second)
    : vscode.l10n.t(
        '{0} objects compared, {1} ↔ {2}: {3} did not match.',
        formatCount(c.total),
        finished.target.first,
        finished.target.second,
        formatCount(c.total - c.match),
      );
  feature.log.info(line);
  offerExport(feature, line, !allMatch(c));
}

const CSV = vscode.l10n.t('Export CSV…');
const JSON_EXPORT = vscode.l10n.t('Export JSON…');

function offerExport(feature: AuditFeature, line: string, problems: boolean): void {
  const shown = problems
    ? vscode.window.showWarningMessage(line, CSV, JSON_EXPORT)
    : vscode.window.showInformationMessage(line, CSV, JSON_EXPORT);
  void shown.then((pick) => {
    if (!pick) return undefined;
    return exportAuditReport(feature, { format: pick === CSV ? 'csv' : 'json' }).catch((err: Error) => {
      feature.log.error(`Export failed: ${err.message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The report could not be written: {0}', err.message));
    });
  });
}

/** `bucketIntegrity.exportAuditReport`: the last audit's counts and every pair that did not match, CSV or JSON. */
export async function exportAuditReport(feature: AuditFeature, arg?: unknown): Promise<string | undefined> {
  const last = feature.last;
  if (!last) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Run Compare with Bucket… first; its report can then be exported.'));
    return undefined;
  }
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as { file?: string; format?: 'csv' | 'json' };
  let file = given.file;
  if (!file) {
    const json = given.format === 'json';
    const base = firstWorkspaceFolder();
    const name = `compare-${last.first.bucket}-${last.second.bucket}.${json ? 'json' : 'csv'}`;
    const picked = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Compare with Bucket Report'),
      ...(base ? { defaultUri: vscode.Uri.joinPath(base, name) } : {}),
      filters: json ? { JSON: ['json'] } : { CSV: ['csv'] },
    });
    if (!picked) return undefined;
    file = picked.fsPath;
  }
  const out = file;
  await feature.services.record.use((record) =>
    writeAuditReport(out, last.target, last.summary, auditJournal(record).issues(last.summary.runId)),
  );
  feature.log.info(`Compare with Bucket report written to ${out}.`);
  return out;
}
