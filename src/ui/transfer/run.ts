import { basename, sep } from 'node:path';
import * as vscode from 'vscode';
import { isArchivedError, offerRestore } from '../shared/restoreFlow';
import { StorageError } from '../../storage/errors';
import { downloadBatch, uploadBatch, type BatchOutcome, type BatchReport } from '../../transfer/batch';
import type { UploadCheckpoint } from '../../transfer/checkpoint';
import type { DownloadResult } from '../../transfer/downloader';
import { abortKeptUpload, type UploadResult } from '../../transfer/upload';
import { rememberTransfers } from '../../record/transferred';
import { badgeUpdates, type BadgedResult } from '../shared/badgeResults';
import type { MenuArg, PlaceArg } from '../commandArgs';
import { runCommand } from '../commands';
import { commonFolder, notify, placeText } from '../shared/notify';
import type { RemoteLocation } from '../shared/remoteUri';
import { log, profileOfServiceId, serviceIdFor, type TransferServices } from './transferServices';
import { withTransferProgress } from './progress';
import { askExistingFilePolicy, askKeepOrAbort } from './questions';
import { readTransferSettings } from './settings';

/** One local file or folder and where it goes. For a folder, `key` is a prefix ending with '/'. */
export interface UploadItem {
  localPath: string;
  isFolder: boolean;
  profile: string;
  bucket: string;
  key: string;
}

/** One object or prefix and where it lands. For a prefix, `localPath` is the folder to write into. */
export interface DownloadItem {
  profile: string;
  bucket: string;
  key: string;
  isPrefix: boolean;
  localPath: string;
}

type Tagged<T> = BatchOutcome<T> & { profile: string; bucket: string };

/** What a transfer command returns (for other commands and tests): one entry per file, and whether it was cancelled. */
export interface TransferReport {
  files: Array<{
    path?: string;
    profile: string;
    bucket: string;
    key: string;
    size?: number;
    crc64?: string;
    verified: boolean;
    outcome: 'uploaded' | 'downloaded' | 'identical' | 'skipped' | 'failed';
    reason?: string;
    retriedParts?: number[];
  }>;
  /** Entries left out on purpose (a link to a folder, a folder marker), in words. */
  notes: string[];
  cancelled: boolean;
}

/** The batch's outcomes with the profile and bucket of the item each came from. */
function tagged<T>(report: BatchReport<T>, items: ReadonlyArray<{ profile: string; bucket: string }>): Tagged<T>[] {
  return report.outcomes.map((o) => ({ ...o, profile: items[o.item].profile, bucket: items[o.item].bucket }));
}

function reportOf<T extends { path: string; key: string; size: number; crc64?: string; verified: boolean; reason?: string }>(
  outcomes: Tagged<T>[],
  batch: BatchReport<T>,
  okOutcome: (r: T) => TransferReport['files'][number]['outcome'],
): TransferReport {
  return {
    cancelled: batch.cancelled,
    notes: batch.notes,
    files: outcomes.map((o) =>
      o.ok
        ? {
            path: o.result.path,
            profile: o.profile,
            bucket: o.bucket,
            key: o.result.key,
            size: o.result.size,
            crc64: o.result.crc64,
            verified: o.result.verified,
            outcome: okOutcome(o.result),
            ...(o.result.reason ? { reason: o.result.reason } : {}),
            ...('retriedParts' in o.result ? { retriedParts: (o.result as unknown as UploadResult).retriedParts } : {}),
          }
        : {
            path: o.path,
            profile: o.profile,
            bucket: o.bucket,
            key: o.key,
            verified: false,
            outcome: 'failed' as const,
            reason: o.error.message,
          },
    ),
  };
}

/**
 * Upload files and folders with verification; reports, badges, and the keep-or-abort question on cancel.
 * `treeNode` is the tree folder the upload went into, refreshed afterwards (else the whole tree is).
 */
export async function runUploads(services: TransferServices, items: UploadItem[], treeNode?: MenuArg | PlaceArg): Promise<TransferReport> {
  if (items.length === 0) return { files: [], notes: [], cancelled: false };
  const settings = readTransferSettings();
  const stores = await Promise.all(items.map((item) => services.storeFor(item.profile)));
  const title =
    items.length === 1 ? vscode.l10n.t('Uploading {0}', basename(items[0].localPath)) : vscode.l10n.t('Uploading {0} items', items.length);
  const batch = await withTransferProgress(title, (signal, onProgress) =>
    uploadBatch(
      items.map((item, i) => ({
        store: stores[i],
        bucket: item.bucket,
        localPath: item.localPath,
        key: item.key,
        service: serviceIdFor(services, item.profile),
      })),
      { ...settings, checkpoints: services.checkpoints, onCancel: 'keep', signal, onProgress, log: (line) => log(services, line) },
    ),
  );
  const outcomes = tagged(batch, items);
  for (const note of batch.notes) log(services, note);
  recordUploads(services, outcomes);
  if (batch.cancelled) {
    await afterCancelledUpload(services, items);
    return reportOf(outcomes, batch, () => 'uploaded');
  }
  if (outcomes.some((o) => o.ok)) {
    void (treeNode ? runCommand('bucketIntegrity.refreshNode', treeNode) : runCommand('bucketIntegrity.refresh')).then(
      undefined,
      () => undefined,
    );
  }
  showSummary(services, 'Upload', outcomes, batch.notes, uploadDestination(items, outcomes));
  return reportOf(outcomes, batch, () => 'uploaded');
}

/** Where a batch of uploads went, in words (what → where), and the place to reveal in the Buckets view. */
function uploadDestination(items: readonly UploadItem[], outcomes: Tagged<UploadResult>[]): Destination {
  const first = items[0];
  const uploaded = outcomes.filter((o) => o.ok).map((o) => (o as { result: UploadResult }).result);
  const sameBucket = items.every((i) => i.profile === first.profile && i.bucket === first.bucket);
  if (!sameBucket) return { what: vscode.l10n.t('{0} items', items.length), where: vscode.l10n.t('their buckets') };
  if (items.length === 1 && !first.isFolder) {
    const place = { profile: first.profile, bucket: first.bucket, key: first.key };
    return { what: basename(first.localPath), where: placeText(place), reveal: place };
  }
  // The folder all keys landed in: reveal it, not one of its objects.
  const keys = uploaded.length ? uploaded.map((r) => r.key) : items.map((i) => i.key);
  const folder = commonFolder(keys);
  const place = { profile: first.profile, bucket: first.bucket, key: folder };
  const what = items.length === 1 ? `${basename(first.localPath)}/` : vscode.l10n.t('{0} items', items.length);
  return { what, where: placeText(place), reveal: place };
}

/** What a summary names: the file(s), where they went, and where the Buckets view can show them. */
interface Destination {
  what: string;
  where: string;
  reveal?: RemoteLocation;
}

/** Paused multipart uploads of this batch: keep them for resume, or abort them now. */
async function afterCancelledUpload(services: TransferServices, items: readonly UploadItem[]): Promise<void> {
  const inBatch = (path: string): boolean =>
    items.some((item) => path === item.localPath || (item.isFolder && path.startsWith(item.localPath.replace(/[\\/]*$/, '') + sep)));
  const kept = (await services.checkpoints.all()).filter((cp) => inBatch(cp.localPath));
  if (kept.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Upload cancelled.'));
    return;
  }
  const what = kept.length === 1 ? basename(kept[0].localPath) : `${kept.length} files`;
  const answer = await askKeepOrAbort(what);
  if (answer === 'keep') {
    log(services, `Kept ${kept.length} interrupted upload(s) for resume.`);
    return;
  }
  await abortCheckpoints(services, kept);
  void vscode.window.showInformationMessage(vscode.l10n.t('Upload of {0} aborted; no parts were left in the bucket.', what));
}

export async function abortCheckpoints(services: TransferServices, kept: UploadCheckpoint[]): Promise<void> {
  for (const cp of kept) {
    const profile = profileOfServiceId(cp.service);
    if (!profile) {
      await services.checkpoints.delete(cp);
      continue;
    }
    const store = await services.storeFor(profile);
    await abortKeptUpload(store, services.checkpoints, cp, (line) => log(services, line));
  }
}

/** A transfer's outcome as a result of the pair it left behind: verified is a match, else unchecked. */
function badgedResult(result: {
  verified: boolean;
  crc64?: string;
  remoteCrc64?: string;
  reason?: string;
  path: string;
  key: string;
}): BadgedResult {
  const base = { key: result.key, localPath: result.path, ...(result.crc64 ? { localCrc64: result.crc64 } : {}) };
  return result.verified
    ? { ...base, status: 'match', ...(result.remoteCrc64 ? { remoteCrc64: result.remoteCrc64 } : {}) }
    : { ...base, status: 'no-crc', ...(result.reason ? { detail: result.reason } : {}) };
}

/**
 * Keeps what the batch verified in the CRC record (one write per bucket, after the batch, not awaited),
 * so a later Verify needs no request for those objects. A record held by another window is only logged.
 */
function rememberInRecord(
  services: TransferServices,
  source: 'upload' | 'download',
  outcomes: Tagged<UploadResult | DownloadResult>[],
): void {
  if (services.record) void rememberTransfers(services.record, source, outcomes, (line) => log(services, line));
}

function recordUploads(services: TransferServices, outcomes: Tagged<UploadResult>[]): void {
  const updates: ReturnType<typeof badgeUpdates> = [];
  for (const o of outcomes) {
    if (!o.ok) {
      log(services, `FAILED ${o.path ?? ''} → ${o.bucket}/${o.key}: ${o.error.message}`);
      continue;
    }
    const r = o.result;
    const parts = r.parts ? `, ${r.parts} parts${r.retriedParts.length ? `, re-sent ${r.retriedParts.join(', ')}` : ''}` : '';
    log(
      services,
      `${r.verified ? 'verified' : 'NOT VERIFIED'} ${r.path} → ${o.profile}: ${r.bucket}/${r.key} (${r.size} bytes${parts}` +
        `${r.resumedParts ? `, ${r.resumedParts} resumed` : ''})${r.crc64 ? ` crc64 ${r.crc64}` : ''}${r.reason ? `: ${r.reason}` : ''}`,
    );
    updates.push(...badgeUpdates({ profile: o.profile, bucket: r.bucket }, [badgedResult(r)]));
  }
  if (updates.length) services.badges.apply(updates);
  rememberInRecord(services, 'upload', outcomes);
}

function recordDownloads(services: TransferServices, outcomes: Tagged<DownloadResult>[]): void {
  const updates: ReturnType<typeof badgeUpdates> = [];
  for (const o of outcomes) {
    if (!o.ok) {
      log(services, `FAILED ${o.bucket}/${o.key}: ${o.error.message}`);
      continue;
    }
    const r = o.result;
    log(
      services,
      `${r.outcome === 'skipped' ? 'skipped' : r.verified ? 'verified' : 'NOT VERIFIED'} ${o.profile}: ${r.bucket}/${r.key} → ${r.path}${r.reason ? `: ${r.reason}` : ''}`,
    );
    if (r.outcome === 'skipped') continue;
    updates.push(...badgeUpdates({ profile: o.profile, bucket: r.bucket }, [badgedResult(r)]));
  }
  if (updates.length) services.badges.apply(updates);
  rememberInRecord(services, 'download', outcomes);
}

/**
 * One message for the whole batch, naming the file(s) and where they went, with Reveal in Buckets (uploads)
 * and Show Log; not awaited, so the command finishes while the message is shown.
 */
function showSummary<T extends { verified: boolean; reason?: string; outcome?: string }>(
  services: TransferServices,
  verb: 'Upload' | 'Download',
  outcomes: Tagged<T>[],
  notes: readonly string[],
  destination: Destination,
): void {
  const failed = outcomes.filter((o) => !o.ok) as Array<{ key: string; error: Error }>;
  const ok = outcomes.filter((o): o is Tagged<T> & { ok: true; result: T } => o.ok);
  const skipped = ok.filter((o) => o.result.outcome === 'skipped').length;
  const unverified = ok.filter((o) => !o.result.verified && o.result.outcome !== 'skipped');
  const verified = ok.length - skipped - unverified.length;
  const parts = [verified === 1 ? vscode.l10n.t('1 file verified') : vscode.l10n.t('{0} files verified', verified)];
  if (unverified.length)
    parts.push(vscode.l10n.t('{0} NOT verified ({1})', unverified.length, unverified[0].result.reason ?? vscode.l10n.t('no CRC-64')));
  if (skipped) parts.push(vscode.l10n.t('{0} skipped', skipped));
  if (failed.length) parts.push(vscode.l10n.t('{0} failed ({1}: {2})', failed.length, failed[0].key, failed[0].error.message));
  if (notes.length) parts.push(vscode.l10n.t('{0} left out ({1})', notes.length, notes[0]));
  const message =
    verb === 'Upload'
      ? vscode.l10n.t('Uploaded {0} to {1}: {2}.', destination.what, destination.where, parts.join(vscode.l10n.t(', ')))
      : vscode.l10n.t('Downloaded {0} into {1}: {2}.', destination.what, destination.where, parts.join(vscode.l10n.t(', ')));
  const level = failed.length ? 'error' : unverified.length || skipped || notes.length ? 'warning' : 'info';
  const reveal = ok.length > 0 ? destination.reveal : undefined;
  void notify(level, message, { reveal, log: true });
  if (failed.some((f) => f.error instanceof StorageError && f.error.hint)) {
    const hint = (failed.find((f) => f.error instanceof StorageError && f.error.hint)!.error as StorageError).hint;
    log(services, `hint: ${hint}`);
  }
}

/** Download objects and prefixes with verification; asks about existing files, updates badges. */
export async function runDownloads(services: TransferServices, items: DownloadItem[]): Promise<TransferReport> {
  if (items.length === 0) return { files: [], notes: [], cancelled: false };
  const ifExists = askExistingFilePolicy();
  const stores = await Promise.all(items.map((item) => services.storeFor(item.profile)));
  const title =
    items.length === 1
      ? vscode.l10n.t('Downloading {0}', basename(items[0].key) || items[0].bucket)
      : vscode.l10n.t('Downloading {0} items', items.length);
  const batch = await withTransferProgress(title, (signal, onProgress) =>
    downloadBatch(
      items.map((item, i) => ({
        store: stores[i],
        bucket: item.bucket,
        key: item.key,
        isPrefix: item.isPrefix,
        localPath: item.localPath,
      })),
      { ifExists, signal, onProgress, log: (line) => log(services, line) },
    ),
  );
  const outcomes = tagged(batch, items);
  for (const note of batch.notes) log(services, note);
  recordDownloads(services, outcomes);
  if (batch.cancelled) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Download cancelled; nothing partial was left on disk.'));
    return reportOf(outcomes, batch, (r) => r.outcome);
  }
  showSummary(services, 'Download', outcomes, batch.notes, downloadDestination(items));
  offerRestoreOfArchived(services, items, outcomes);
  return reportOf(outcomes, batch, (r) => r.outcome);
}

/** Objects that failed as archived: Restore… each one asked for, then download it again. */
function offerRestoreOfArchived(
  services: TransferServices,
  items: readonly DownloadItem[],
  outcomes: ReadonlyArray<{ ok: boolean; error?: unknown }>,
): void {
  const archived = outcomes.filter((o) => !o.ok && isArchivedError(o.error));
  if (archived.length !== 1 || items.length !== 1 || items[0].isPrefix) {
    if (archived.length > 0)
      log(services, `${archived.length} archived object(s) not downloaded: restore them (Restore… on each) and download again.`);
    return;
  }
  const item = items[0];
  const restoreServices = { storeFor: (name: string) => services.storeFor(name), log: services.log };
  void offerRestore(restoreServices, { profile: item.profile, bucket: item.bucket, key: item.key }, 'the download', () =>
    runDownloads(services, [item]),
  );
}

/** Where a batch of downloads went: the object or folder named, the local file or folder it landed in. */
function downloadDestination(items: readonly DownloadItem[]): Destination {
  const first = items[0];
  if (items.length > 1) return { what: vscode.l10n.t('{0} items', items.length), where: commonLocal(items.map((i) => i.localPath)) };
  const name = first.isPrefix ? `${placeText(first)}` : basename(first.key);
  return { what: name, where: first.localPath };
}

/** The deepest folder holding every path. */
function commonLocal(paths: readonly string[]): string {
  let prefix = paths[0];
  for (const p of paths)
    while (prefix && p !== prefix && !p.startsWith(prefix.endsWith(sep) ? prefix : prefix + sep))
      prefix = prefix.slice(0, Math.max(0, prefix.lastIndexOf(sep)));
  return prefix || sep;
}
