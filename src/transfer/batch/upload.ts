import { relative, sep } from 'node:path';
import type { ObjectStore } from '../../storage/types';
import { folderPrefix } from '../../storage/listing';
import { CancelledError } from '../../util/errors';
import { describeSkip, walkLocalFiles } from '../../util/walk';
import { PartBufferPool } from '../bufferPool';
import { DEFAULT_CONCURRENCY, uploadFile, type UploadOptions, type UploadResult } from '../upload';
import { cancelledReport, runBatch, type PlannedFile } from './run';
import type { BatchOutcome, BatchProgress, BatchReport } from './types';

/** One local file or folder and where it goes. */
export interface UploadBatchItem {
  store: ObjectStore;
  bucket: string;
  localPath: string;
  /** The key for a file; for a folder, the prefix its files go under ('' is the bucket root). */
  key: string;
  /** Identity of the service (endpoint or region), so a checkpoint never resumes elsewhere. */
  service?: string;
}

export interface UploadBatchOptions extends Omit<UploadOptions, 'bucket' | 'key' | 'localPath' | 'service' | 'signal' | 'onProgress'> {
  /** Files uploading at once (each with its own `concurrency` parts in flight). Default 3. */
  filesAtOnce?: number;
  signal?: AbortSignal;
  /** Stop the batch at the first error that would fail every file (`RunBatchOptions.stopOn`). */
  stopOn?: (err: unknown) => boolean;
  onProgress?: (progress: BatchProgress) => void;
  onFile?: (outcome: BatchOutcome<UploadResult>) => void;
}

/** The key for a file under a folder uploaded to `prefix` (forward slashes, whatever the platform). */
export function keyFor(root: string, file: string, prefix: string): string {
  return folderPrefix(prefix) + relative(root, file).split(sep).join('/');
}

/**
 * Upload files and folders with verification, a few files at a time, and report them as one batch.
 * Each folder is walked (and its files' sizes read) once, with the core's one symlink policy: links to
 * files are uploaded under the link's name, links to folders are left out and named in `notes`.
 */
export async function uploadBatch(items: readonly UploadBatchItem[], options: UploadBatchOptions = {}): Promise<BatchReport<UploadResult>> {
  const { filesAtOnce, onFile, onProgress, signal, stopOn, ...uploadOptions } = options;
  const notes: string[] = [];
  const planned: PlannedFile<UploadResult>[] = [];
  // One pool of part buffers for all files in flight: memory stays at part size × concurrency.
  const buffers = options.buffers ?? new PartBufferPool(options.concurrency ?? DEFAULT_CONCURRENCY);
  const plan = (item: number, localPath: string, key: string, size: number | undefined, failure?: Error): void => {
    const { store, bucket, service } = items[item];
    planned.push({
      item,
      key,
      path: localPath,
      size,
      run: (fileSignal, onFileProgress) => {
        if (failure) return Promise.reject(failure);
        return uploadFile(store, {
          ...uploadOptions,
          buffers,
          bucket,
          service,
          key,
          localPath,
          signal: fileSignal,
          onProgress: onFileProgress,
        });
      },
    });
  };
  try {
    for (const [index, item] of items.entries()) {
      const files = await walkLocalFiles(item.localPath, {
        signal,
        onSkip: (path, reason) => notes.push(`skipped ${path}: ${describeSkip(reason)}`),
        onError: (path, err) => plan(index, path, keyFor(item.localPath, path, item.key), undefined, err),
      });
      // The walk of a file is that file alone; anything else was a folder.
      const isFile = files.length === 1 && files[0].path === item.localPath;
      for (const f of files) plan(index, f.path, isFile ? item.key : keyFor(item.localPath, f.path, item.key), f.size);
    }
  } catch (err) {
    if (signal?.aborted) return cancelledReport(notes);
    throw err;
  }
  return runBatch(planned, notes, { concurrency: Math.max(1, filesAtOnce ?? 3), signal, onProgress, onFile, stopOn });
}

export interface FolderUploadOptions extends Omit<UploadBatchOptions, 'onFile'> {
  bucket: string;
  service?: string;
  folder: string;
  prefix: string;
  onFile?: (outcome: BatchOutcome<UploadResult>) => void;
}

/** Every file under one folder to a prefix (a batch of one folder); throws `CancelledError` when cancelled. */
export async function uploadFolder(store: ObjectStore, options: FolderUploadOptions): Promise<BatchReport<UploadResult>> {
  const { bucket, service, folder, prefix, ...rest } = options;
  const report = await uploadBatch([{ store, bucket, service, localPath: folder, key: prefix }], rest);
  if (report.cancelled) throw new CancelledError();
  return report;
}
