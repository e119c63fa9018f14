import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { ObjectStore } from '../../storage/types';
import { parseCrc64 } from '../../crc';
import { fileCrc64 } from '../../crc/hashers';
import { isCancelled, throwIfAborted } from '../../util/errors';
import type { CheckpointStore, CheckpointTarget } from '../checkpoint';
import { abortQuietly } from './cleanup';
import { uploadMultipart } from './multipart';
import { uploadSingle } from './single';
import { DEFAULT_MULTIPART_THRESHOLD, type UploadOptions, type UploadResult } from './types';

/**
 * Verified upload of one local file. Nothing is reported as uploaded unless the service's CRC-64 of what
 * it stored equals ours; when the service gives no CRC the result says "not verified" and why.
 *
 * Small files: one PUT (`single.ts`). Large files: multipart (`multipart.ts`): open-or-resume
 * (`open.ts`), the part lanes (`parts.ts`), Complete with recovery (`finish.ts`), the verdict (`verdict.ts`).
 */
export * from './types';
export { LocalFileChangedError } from './localFile';
export { UploadGoneError } from './finish';
export { uploadVerdict, type UploadVerdict, type VerdictInput } from './verdict';

/**
 * Upload one file with CRC-64 verification. Throws `IntegrityError`, `StorageError`, `CancelledError`,
 * `LocalFileChangedError` (the file changed under the upload) or `UploadGoneError`.
 */
export async function uploadFile(store: ObjectStore, options: UploadOptions): Promise<UploadResult> {
  throwIfAborted(options.signal);
  // An absolute path, so a checkpoint written from one working folder is found again from another.
  options = { ...options, localPath: resolve(options.localPath) };
  const stat = await fs.stat(options.localPath);
  if (!stat.isFile()) throw new Error(l10n.t('Not a file: {0}', options.localPath));
  const threshold = options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD;
  if (options.skipIdentical) {
    const same = await identicalObject(store, options, stat.size);
    if (same) return same;
  }
  if (stat.size >= threshold && stat.size > 0) return uploadMultipart(store, options, stat);
  return uploadSingle(store, options, stat.size);
}

/** The object at the key already holds this file (same size, same CRC-64): its result, with nothing sent. */
async function identicalObject(store: ObjectStore, options: UploadOptions, size: number): Promise<UploadResult | undefined> {
  // The check only saves work: a HEAD that fails (write-only keys, or keys the upload will report better,
  // since a HEAD's error has no body to say why) lets the upload go on and speak for itself.
  const info = await store.head(options.bucket, options.key, { signal: options.signal }).catch((err: unknown) => {
    if (isCancelled(err)) throw err;
    return undefined;
  });
  const remote = parseCrc64(info?.crc64);
  if (!info || remote === undefined || info.size !== size) return undefined;
  const local = await fileCrc64(options.localPath, options.signal);
  if (local !== remote.toString()) return undefined;
  const { bucket, key, localPath: path } = options;
  return {
    path,
    bucket,
    key,
    size,
    parts: 0,
    crc64: local,
    remoteCrc64: info.crc64,
    verified: true,
    identical: true,
    retriedParts: [],
    resumedParts: 0,
  };
}

/**
 * Abort an interrupted upload kept for resume (the "abort" answer to "keep for resume or abort?"),
 * leaving no parts behind, and forget its checkpoint.
 */
export async function abortKeptUpload(
  store: ObjectStore,
  checkpoints: CheckpointStore,
  target: CheckpointTarget,
  log?: (line: string) => void,
): Promise<boolean> {
  const cp = await checkpoints.load(target);
  if (!cp) return false;
  await abortQuietly(store, cp, log);
  await checkpoints.delete(target);
  return true;
}
