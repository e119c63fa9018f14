import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ObjectStore } from '../storage/types';
import { isCancelled, throwIfAborted } from '../util/errors';
import { summarize, type BatchSummary, type FileOutcome } from './downloader';
import { PartBufferPool } from './bufferPool';
import { DEFAULT_CONCURRENCY, uploadFile, type TransferProgress, type UploadOptions, type UploadResult } from './upload';

/** Every regular file under `root` (symbolic links are not followed), sorted for a stable order. */
export async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await visit(full);
      else if (e.isFile()) out.push(full);
    }
  };
  await visit(root);
  return out.sort();
}

/** The key for a file under a folder uploaded to `prefix` (forward slashes, whatever the platform). */
export function keyFor(root: string, file: string, prefix: string): string {
  const rel = relative(root, file).split(sep).join('/');
  const p = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return p + rel;
}

export interface FolderUploadOptions extends Omit<UploadOptions, 'key' | 'localPath' | 'onProgress'> {
  folder: string;
  prefix: string;
  /** Files uploading at once (each with its own `concurrency` parts in flight). */
  filesAtOnce?: number;
  onProgress?: (progress: TransferProgress) => void;
  onFile?: (outcome: FileOutcome<UploadResult>) => void;
}

/** Upload every file under a folder to a prefix, a few files at a time, and summarize. */
export async function uploadFolder(store: ObjectStore, options: FolderUploadOptions): Promise<BatchSummary<UploadResult>> {
  const files = await walkFiles(options.folder);
  const sizes = new Map<string, number>();
  for (const f of files) sizes.set(f, (await fs.stat(f)).size);
  const bytesTotal = [...sizes.values()].reduce((a, b) => a + b, 0);
  const doneBytes = new Map<string, number>();
  const report = (): void => {
    let sum = 0;
    for (const v of doneBytes.values()) sum += v;
    options.onProgress?.({ bytesDone: sum, bytesTotal });
  };
  const queue = [...files];
  const outcomes: FileOutcome<UploadResult>[] = [];
  // One pool of part buffers for all files in flight: memory stays at part size × concurrency.
  const buffers = options.buffers ?? new PartBufferPool(options.concurrency ?? DEFAULT_CONCURRENCY);
  const worker = async (): Promise<void> => {
    for (;;) {
      const file = queue.shift();
      if (!file) return;
      throwIfAborted(options.signal);
      const key = keyFor(options.folder, file, options.prefix);
      let outcome: FileOutcome<UploadResult>;
      try {
        const result = await uploadFile(store, {
          ...options,
          buffers,
          key,
          localPath: file,
          onProgress: (p) => {
            doneBytes.set(file, p.bytesDone);
            report();
          },
        });
        outcome = { ok: true, result };
      } catch (err) {
        if (isCancelled(err)) throw err;
        outcome = { ok: false, key, path: file, error: err as Error };
      }
      outcomes.push(outcome);
      options.onFile?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.filesAtOnce ?? 3) }, worker));
  return summarize(outcomes);
}
