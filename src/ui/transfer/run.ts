import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { BadgeEntry } from '../../integrity/badgeStore';
import { StorageError } from '../../storage/errors';
import type { UploadCheckpoint } from '../../transfer/checkpoint';
import { downloadObject, downloadPrefix, type DownloadResult, type FileOutcome } from '../../transfer/downloader';
import { uploadFolder, walkFiles } from '../../transfer/folderUpload';
import { abortKeptUpload, uploadFile, type TransferProgress, type UploadResult } from '../../transfer/upload';
import { isCancelled } from '../../util/errors';
import { localBadgeKey, remoteBadgeKey } from '../shared/badgeKeys';
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

type Tagged<T> = FileOutcome<T> & { profile: string; bucket: string };

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
  cancelled: boolean;
}

function reportOf<T extends { path: string; key: string; size: number; crc64?: string; verified: boolean; reason?: string }>(
  outcomes: Tagged<T>[],
  cancelled: boolean,
  okOutcome: (r: T) => TransferReport['files'][number]['outcome'],
): TransferReport {
  return {
    cancelled,
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
        : { path: o.path, profile: o.profile, bucket: o.bucket, key: o.key, verified: false, outcome: 'failed' as const, reason: o.error.message },
    ),
  };
}

/** Sums the progress of several transfers running one after another or side by side. */
function progressSum(onProgress: (p: TransferProgress) => void, totals: Map<string, number>) {
  const done = new Map<string, number>();
  const bytesTotal = [...totals.values()].reduce((a, b) => a + b, 0);
  return (id: string) =>
    (p: TransferProgress): void => {
      done.set(id, p.bytesDone);
      let bytesDone = 0;
      for (const v of done.values()) bytesDone += v;
      onProgress({ bytesDone, bytesTotal: Math.max(bytesTotal, bytesDone) });
    };
}

/**
 * Upload files and folders with verification; reports, badges, and the keep-or-abort question on cancel.
 * `treeNode` is the tree folder the upload went into, refreshed afterwards (else the whole tree is).
 */
export async function runUploads(services: TransferServices, items: UploadItem[], treeNode?: unknown): Promise<TransferReport> {
  if (items.length === 0) return { files: [], cancelled: false };
  const settings = readTransferSettings();
  // Sizes up front, so the bar shows the whole batch and a folder's files are known for the cancel question.
  const totals = new Map<string, number>();
  const filesOf = new Map<string, string[]>();
  for (const item of items) {
    const files = item.isFolder ? await walkFiles(item.localPath) : [item.localPath];
    filesOf.set(item.localPath, files);
    let sum = 0;
    for (const f of files) sum += (await fs.stat(f)).size;
    totals.set(item.localPath, sum);
  }
  const title = items.length === 1 ? `Uploading ${basename(items[0].localPath)}` : `Uploading ${items.length} items`;
  const outcomes: Tagged<UploadResult>[] = [];
  try {
    await withTransferProgress(title, async (signal, onProgress) => {
      const progressFor = progressSum(onProgress, totals);
      for (const item of items) {
        const store = await services.storeFor(item.profile);
        const common = {
          bucket: item.bucket,
          ...settings,
          checkpoints: services.checkpoints,
          service: serviceIdFor(services, item.profile),
          onCancel: 'keep' as const,
          signal,
          onProgress: progressFor(item.localPath),
          log: (line: string) => log(services, line),
        };
        const tag = { profile: item.profile, bucket: item.bucket };
        if (item.isFolder) {
          // Outcomes are collected file by file, so a cancel keeps the badges of the files already done.
          await uploadFolder(store, { ...common, folder: item.localPath, prefix: item.key, onFile: (o) => outcomes.push({ ...o, ...tag }) });
        } else {
          try {
            outcomes.push({ ok: true, result: await uploadFile(store, { ...common, key: item.key, localPath: item.localPath }), ...tag });
          } catch (err) {
            if (isCancelled(err)) throw err;
            outcomes.push({ ok: false, key: item.key, path: item.localPath, error: err as Error, ...tag });
          }
        }
      }
    });
  } catch (err) {
    if (!isCancelled(err)) throw err;
    recordUploads(services, outcomes);
    await afterCancelledUpload(services, filesOf);
    return reportOf(outcomes, true, () => 'uploaded');
  }
  recordUploads(services, outcomes);
  if (outcomes.some((o) => o.ok)) {
    void vscode.commands.executeCommand(treeNode ? 'bucketIntegrity.refreshNode' : 'bucketIntegrity.refresh', treeNode).then(undefined, () => undefined);
  }
  showSummary(services, 'Upload', outcomes);
  return reportOf(outcomes, false, () => 'uploaded');
}

/** Paused multipart uploads of this batch: keep them for resume, or abort them now. */
async function afterCancelledUpload(services: TransferServices, filesOf: Map<string, string[]>): Promise<void> {
  const files = new Set([...filesOf.values()].flat());
  const kept = (await services.checkpoints.all()).filter((cp) => files.has(cp.localPath));
  if (kept.length === 0) {
    void vscode.window.showInformationMessage('Upload cancelled.');
    return;
  }
  const what = kept.length === 1 ? basename(kept[0].localPath) : `${kept.length} files`;
  const answer = await askKeepOrAbort(what);
  if (answer === 'keep') {
    log(services, `Kept ${kept.length} interrupted upload(s) for resume.`);
    return;
  }
  await abortCheckpoints(services, kept);
  void vscode.window.showInformationMessage(`Upload of ${what} aborted; no parts were left in the bucket.`);
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

function badgeFor(result: { verified: boolean; crc64?: string; remoteCrc64?: string; reason?: string }): BadgeEntry {
  return result.verified
    ? { status: 'match', localCrc64: result.crc64, remoteCrc64: result.remoteCrc64, remoteCrcSource: 'service', checkedAt: Date.now() }
    : { status: 'no-crc', localCrc64: result.crc64, detail: result.reason, checkedAt: Date.now() };
}

function recordUploads(services: TransferServices, outcomes: Tagged<UploadResult>[]): void {
  const updates: Array<[string, BadgeEntry]> = [];
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
    const entry = badgeFor(r);
    updates.push([localBadgeKey(r.path), entry], [remoteBadgeKey(o.profile, r.bucket, r.key), entry]);
  }
  if (updates.length) services.badges.setMany(updates);
}

function recordDownloads(services: TransferServices, outcomes: Tagged<DownloadResult>[]): void {
  const updates: Array<[string, BadgeEntry]> = [];
  for (const o of outcomes) {
    if (!o.ok) {
      log(services, `FAILED ${o.bucket}/${o.key}: ${o.error.message}`);
      continue;
    }
    const r = o.result;
    log(services, `${r.outcome === 'skipped' ? 'skipped' : r.verified ? 'verified' : 'NOT VERIFIED'} ${o.profile}: ${r.bucket}/${r.key} → ${r.path}${r.reason ? `: ${r.reason}` : ''}`);
    if (r.outcome === 'skipped') continue;
    const entry = badgeFor(r);
    updates.push([localBadgeKey(r.path), entry], [remoteBadgeKey(o.profile, r.bucket, r.key), entry]);
  }
  if (updates.length) services.badges.setMany(updates);
}

/** One message for the whole batch; not awaited, so the command finishes while the message is shown. */
function showSummary<T extends { verified: boolean; reason?: string; outcome?: string }>(
  services: TransferServices,
  verb: 'Upload' | 'Download',
  outcomes: Tagged<T>[],
): void {
  const failed = outcomes.filter((o) => !o.ok) as Array<{ key: string; error: Error }>;
  const ok = outcomes.filter((o): o is Tagged<T> & { ok: true; result: T } => o.ok);
  const skipped = ok.filter((o) => o.result.outcome === 'skipped').length;
  const unverified = ok.filter((o) => !o.result.verified && o.result.outcome !== 'skipped');
  const verified = ok.length - skipped - unverified.length;
  const n = (k: number): string => `${k} file${k === 1 ? '' : 's'}`;
  const parts = [`${n(verified)} verified`];
  if (unverified.length) parts.push(`${unverified.length} NOT verified (${unverified[0].result.reason ?? 'no CRC-64'})`);
  if (skipped) parts.push(`${skipped} skipped`);
  if (failed.length) parts.push(`${failed.length} failed (${failed[0].key}: ${failed[0].error.message})`);
  const message = `${verb}: ${parts.join(', ')}.`;
  const show = failed.length
    ? vscode.window.showErrorMessage
    : unverified.length || skipped
      ? vscode.window.showWarningMessage
      : vscode.window.showInformationMessage;
  const needsLog = failed.length > 0 || unverified.length > 0;
  void show(message, ...(needsLog ? ['Show Log'] : [])).then((pick) => {
    if (pick === 'Show Log') services.log.show(true);
  });
  if (failed.some((f) => f.error instanceof StorageError && f.error.hint)) {
    const hint = (failed.find((f) => f.error instanceof StorageError && f.error.hint)!.error as StorageError).hint;
    log(services, `hint: ${hint}`);
  }
}

/** Download objects and prefixes with verification; asks about existing files, updates badges. */
export async function runDownloads(services: TransferServices, items: DownloadItem[]): Promise<TransferReport> {
  if (items.length === 0) return { files: [], cancelled: false };
  const ifExists = askExistingFilePolicy();
  const outcomes: Tagged<DownloadResult>[] = [];
  const title = items.length === 1 ? `Downloading ${basename(items[0].key) || items[0].bucket}` : `Downloading ${items.length} items`;
  try {
    await withTransferProgress(title, async (signal, onProgress) => {
      for (const item of items) {
        const store = await services.storeFor(item.profile);
        const common = { bucket: item.bucket, ifExists, signal, onProgress, log: (line: string) => log(services, line) };
        const tag = { profile: item.profile, bucket: item.bucket };
        if (item.isPrefix) {
          await downloadPrefix(store, {
            ...common,
            prefix: item.key,
            targetFolder: item.localPath,
            onFile: (o) => outcomes.push({ ...o, ...tag }),
          });
        } else {
          try {
            outcomes.push({ ok: true, result: await downloadObject(store, { ...common, key: item.key, targetPath: item.localPath }), ...tag });
          } catch (err) {
            if (isCancelled(err)) throw err;
            outcomes.push({ ok: false, key: item.key, path: item.localPath, error: err as Error, ...tag });
          }
        }
      }
    });
  } catch (err) {
    if (!isCancelled(err)) throw err;
    recordDownloads(services, outcomes);
    void vscode.window.showInformationMessage('Download cancelled; nothing partial was left on disk.');
    return reportOf(outcomes, true, (r) => r.outcome);
  }
  recordDownloads(services, outcomes);
  showSummary(services, 'Download', outcomes);
  return reportOf(outcomes, false, (r) => r.outcome);
}
