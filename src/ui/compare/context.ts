import * as vscode from 'vscode';
import type { BadgeEntry, BadgeStore } from '../../integrity/badgeStore';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { isCancelled } from '../../util/errors';
import type { BucketsFeature } from '../buckets/context';
import type { Logger } from '../logger';
import { parseMappings, type FolderMapping } from '../mappings/mappingModel';
import type { Services } from '../services';
import { remoteBadgeKey } from '../transfer/context';
import type { CompareDeps, FileResult } from '../../integrity/compare';
import type { ReportDocuments } from './reportDocuments';

/** State shared by the compare commands: the services, the tree, and CRCs computed by downloading. */
export interface CompareFeature {
  readonly services: Pick<Services, 'badges' | 'storeFor' | 'hashPool' | 'crcCache' | 'saveCrcCache' | 'logger' | 'profiles'>;
  readonly buckets?: BucketsFeature;
  readonly log: Logger;
  /** Remote CRC-64 values computed by downloading objects stored without one, valid while ETag and size hold. */
  readonly downloaded: Map<string, { etag?: string; size: number; crc64: string }>;
  /** Where reports open (read-only documents); a plain untitled document without it. */
  readonly reports?: ReportDocuments;
  /** Pairs compared so far, by remote badge key: what a refresh or a save re-checks. */
  readonly pairs: Map<string, ComparedPair>;
}

export interface ComparedPair {
  profile: string;
  bucket: string;
  key: string;
  localPath: string;
}

/** Remember compared pairs so a refresh of their folder in the tree can re-check them. */
export function rememberPairs(feature: CompareFeature, profile: string, bucket: string, results: readonly FileResult[]): void {
  for (const r of results) {
    if (r.status === 'error') continue;
    feature.pairs.set(remoteBadgeKey(profile, bucket, r.key), { profile, bucket, key: r.key, localPath: r.localPath });
  }
}

export function mappingsFromSettings(): FolderMapping[] {
  return parseMappings(vscode.workspace.getConfiguration('bucketIntegrity').get('mappings')).mappings;
}

/** The workspace folder whose mappings apply to a local URI (the first one when the URI is outside all). */
export function workspaceRootFor(uri?: vscode.Uri): vscode.Uri | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)?.uri) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
}

export function downloadedKey(profile: string, bucket: string, key: string): string {
  return `${profile}/${bucket}/${key}`;
}

/** Everything `compareFile` / `compareFolder` need, bound to one profile's store. */
export async function compareDeps(
  feature: CompareFeature,
  profile: string,
  bucket: string,
  store: ObjectStore,
  signal: AbortSignal | undefined,
  onProgress?: (message: string) => void,
): Promise<CompareDeps> {
  const cache = await feature.services.crcCache().catch(() => undefined);
  const concurrency = vscode.workspace.getConfiguration('bucketIntegrity').get<number>('compare.concurrency', 8);
  return {
    store,
    signal,
    concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 8,
    onProgress,
    hashFiles: async (paths, sig, progress) => {
      const out = await feature.services.hashPool().hashFiles(paths, { signal: sig, onProgress: progress, cache });
      return out.map((r) => ('error' in r ? { path: r.path, error: r.error } : { path: r.path, size: r.size, crc64: r.crc64 }));
    },
    downloadedCrc: (key: string, info: ObjectInfo) => {
      const known = feature.downloaded.get(downloadedKey(profile, bucket, key));
      return known && known.size === info.size && known.etag === info.etag ? known.crc64 : undefined;
    },
  };
}

/** Badge entries for results: the local file and the object get the same entry (where each exists). */
export function badgeUpdates(profile: string, bucket: string, results: readonly FileResult[]): Array<[string, BadgeEntry]> {
  const updates: Array<[string, BadgeEntry]> = [];
  const at = Date.now();
  for (const r of results) {
    if (r.status === 'error') continue;
    const entry: BadgeEntry = {
      status: r.status,
      ...(r.localCrc64 ? { localCrc64: r.localCrc64 } : {}),
      ...(r.remoteCrc64 ? { remoteCrc64: r.remoteCrc64, remoteCrcSource: r.remoteCrcSource ?? 'service' } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
      checkedAt: at,
    };
    if (r.status !== 'missing-local') updates.push([vscode.Uri.file(r.localPath).toString(), entry]);
    if (r.status !== 'missing-remote') updates.push([remoteBadgeKey(profile, bucket, r.key), entry]);
  }
  return updates;
}

/**
 * Record results in the badge store: both sides get the same entry; the side that does not exist (any
 * more) loses its badge, so a deleted file or object does not keep an old "match".
 */
export function applyResults(badges: BadgeStore, profile: string, bucket: string, results: readonly FileResult[]): void {
  for (const r of results) {
    if (r.status === 'missing-local') badges.delete(vscode.Uri.file(r.localPath).toString());
    if (r.status === 'missing-remote') badges.delete(remoteBadgeKey(profile, bucket, r.key));
  }
  badges.setMany(badgeUpdates(profile, bucket, results));
}

/** Run with a cancellable notification; cancellation resolves to undefined. */
export async function withCancellableProgress<T>(
  title: string,
  run: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        const report = (message: string): void => {
          // About four updates a second are enough for a notification.
          const now = Date.now();
          if (now - last < 250) return;
          last = now;
          progress.report({ message });
        };
        try {
          return await run(abort.signal, report);
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    if (isCancelled(err)) return undefined;
    throw err;
  }
}
