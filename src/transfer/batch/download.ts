import type { ObjectStore } from '../../storage/types';
import { folderPrefix, listAllObjects } from '../../storage/listing';
import { CancelledError } from '../../util/errors';
import { resolveSafeLocalPath } from '../../util/keySafety';
import { downloadObject, isFolderMarker, targetForObjectInFolder, type DownloadOptions, type DownloadResult } from '../downloader';
import { cancelledReport, runBatch, type PlannedFile } from './run';
import type { BatchOutcome, BatchProgress, BatchReport } from './types';

/** One object or prefix and where it lands. */
export interface DownloadBatchItem {
  store: ObjectStore;
  bucket: string;
  /** An object's key, or with `isPrefix` a prefix (taken as a folder: `data` means `data/`). */
  key: string;
  /** Every object under `key` goes into the folder `localPath`, at its path relative to the prefix. */
  isPrefix?: boolean;
  /** One object into the folder `localPath`, under its last key segment. */
  intoFolder?: boolean;
  /** The file to write, or the folder to write into. */
  localPath: string;
}

export interface DownloadBatchOptions extends Pick<DownloadOptions, 'ifExists' | 'retries' | 'allowUnverified' | 'log'> {
  /** Objects downloaded at once. Default 3. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Stop the batch at the first error that would fail every file (`RunBatchOptions.stopOn`). */
  stopOn?: (err: unknown) => boolean;
  onProgress?: (progress: BatchProgress) => void;
  onFile?: (outcome: BatchOutcome<DownloadResult>) => void;
}

/**
 * Download objects and prefixes with verification, a few at a time, and report them as one batch. Keys
 * that would land outside the target folder are refused one by one; folder markers (keys ending in "/")
 * never become files: empty ones are passed over, ones with a body are named in `notes`.
 */
export async function downloadBatch(
  items: readonly DownloadBatchItem[],
  options: DownloadBatchOptions = {},
): Promise<BatchReport<DownloadResult>> {
  const { concurrency, onFile, onProgress, signal, stopOn, ...downloadOptions } = options;
  const notes: string[] = [];
  const planned: PlannedFile<DownloadResult>[] = [];
  const plan = (item: number, key: string, size: number | undefined, target: () => string): void => {
    const { store, bucket } = items[item];
    planned.push({
      item,
      key,
      size,
      run: async (fileSignal, onFileProgress) =>
        downloadObject(store, { ...downloadOptions, bucket, key, targetPath: target(), signal: fileSignal, onProgress: onFileProgress }),
    });
  };
  try {
    for (const [index, item] of items.entries()) {
      if (!item.isPrefix) {
        plan(index, item.key, undefined, () => (item.intoFolder ? targetForObjectInFolder(item.localPath, item.key) : item.localPath));
        continue;
      }
      const prefix = folderPrefix(item.key);
      for (const o of await listAllObjects(item.store, item.bucket, prefix, signal)) {
        if (isFolderMarker(o.key)) {
          if (o.size > 0)
            notes.push(`skipped ${o.key}: a folder marker (a key ending in "/") holding ${o.size} bytes; no file is named after a folder`);
          continue;
        }
        plan(index, o.key, o.size, () => resolveSafeLocalPath(item.localPath, o.key.slice(prefix.length)));
      }
    }
  } catch (err) {
    if (signal?.aborted) return cancelledReport(notes);
    throw err;
  }
  return runBatch(planned, notes, { concurrency: Math.max(1, concurrency ?? 3), signal, onProgress, onFile, stopOn });
}

export interface PrefixDownloadOptions extends DownloadBatchOptions {
  bucket: string;
  /** Everything under this prefix; keys are written relative to it. Empty means the whole bucket. */
  prefix: string;
  targetFolder: string;
}

/** Every object under one prefix into a folder (a batch of one prefix); throws `CancelledError` when cancelled. */
export async function downloadPrefix(store: ObjectStore, options: PrefixDownloadOptions): Promise<BatchReport<DownloadResult>> {
  const { bucket, prefix, targetFolder, ...rest } = options;
  const report = await downloadBatch([{ store, bucket, key: prefix, isPrefix: true, localPath: targetFolder }], rest);
  if (report.cancelled) throw new CancelledError();
  return report;
}
