import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { crc64, crc64Combine, crc64Update, formatCrc64, parseCrc64 } from '../crc';
import { StorageError } from '../storage/errors';
import type { CompleteResult, ObjectStore } from '../storage/types';
import { CancelledError, IntegrityError, isCancelled, throwIfAborted } from '../util/errors';
import { backoffDelay, isTransient, sleep } from './backoff';
import { PartBufferPool } from './bufferPool';
import type { CheckpointPart, CheckpointStore, CheckpointTarget, UploadCheckpoint } from './checkpoint';
import { MiB, partRange, planParts } from './planner';

/**
 * Verified upload of one local file. Nothing is reported as uploaded unless the service's CRC-64 of what
 * it stored equals ours; when the service gives no CRC the result says "not verified" and why.
 *
 * Small files: one PUT. Large files: multipart through the low-level part calls, each part read once into
 * a buffer that feeds both our CRC and the request body, several parts in flight, every part's CRC
 * checked, the whole-object CRC predicted by combining part CRCs and checked against Complete's.
 */

export const DEFAULT_PART_SIZE = 8 * MiB;
export const DEFAULT_MULTIPART_THRESHOLD = 16 * MiB;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_PART_RETRIES = 3;

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface UploadOptions {
  bucket: string;
  key: string;
  localPath: string;
  /** Part size in bytes (raised automatically to stay within 10,000 parts). */
  partSize?: number;
  /** Files of at least this many bytes go multipart. */
  multipartThreshold?: number;
  /** Parts in flight at once; memory is bounded by `partSize × concurrency`. */
  concurrency?: number;
  /** How many times a part (or a PUT) whose CRC came back wrong is sent again before giving up. */
  partRetries?: number;
  /** How many times a request failing with 5xx / reset / timeout is sent again, with backoff. */
  transientRetries?: number;
  /** Smallest part except the last (services: 1 MiB). Lowered only in tests, with the emulator's limit. */
  minPartSize?: number;
  /** Most parts an upload may have (services: 10,000). Lowered only in tests, to see the part size raised. */
  maxParts?: number;
  /** First backoff ceiling in ms before a transient failure is retried (doubles every retry). Default 200. */
  retryBaseDelayMs?: number;
  /**
   * `false` skips every CRC computation and check. Only the benchmark's baseline uses it; results are
   * then always "not verified".
   */
  verify?: boolean;
  /** Where resume checkpoints live; without it an interrupted upload cannot be resumed. */
  checkpoints?: CheckpointStore;
  /** Identity of the service (endpoint or region), so a checkpoint never resumes elsewhere. */
  service?: string;
  /**
   * On cancel: `keep` leaves the multipart upload and its checkpoint for a later resume (default when a
   * checkpoint store is given); `abort` aborts it so no parts are left behind.
   */
  onCancel?: 'keep' | 'abort';
  /**
   * Part buffers to draw from. A folder upload shares one pool between its files so that memory stays at
   * `partSize × concurrency` however many files are in flight; by default each upload has its own.
   */
  buffers?: PartBufferPool;
  /** CRC of a part's bytes; defaults to the in-thread engine. A worker pool can be plugged in here. */
  hashPart?: (bytes: Uint8Array) => Promise<bigint> | bigint;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Short lines worth showing in a log (never secrets). */
  log?: (line: string) => void;
}

export interface UploadResult {
  path: string;
  bucket: string;
  key: string;
  size: number;
  /** Number of parts; 0 for a single PUT. */
  parts: number;
  partSize?: number;
  /** Our CRC-64 of the file (decimal); absent when verification was switched off. */
  crc64?: string;
  /** The CRC-64 the service reported for the stored object, if it gave one. */
  remoteCrc64?: string;
  /** True only when the service's CRC of the stored object equals ours. */
  verified: boolean;
  /** Why the upload is not verified, when it is not. */
  reason?: string;
  /** Parts sent more than once because their CRC came back wrong (0 stands for a single PUT). */
  retriedParts: number[];
  /** Parts taken over from an interrupted upload. */
  resumedParts: number;
  uploadId?: string;
}

/** Upload one file with CRC-64 verification. Throws `IntegrityError`, `StorageError` or `CancelledError`. */
export async function uploadFile(store: ObjectStore, options: UploadOptions): Promise<UploadResult> {
  throwIfAborted(options.signal);
  // An absolute path, so a checkpoint written from one working folder is found again from another.
  options = { ...options, localPath: resolve(options.localPath) };
  const stat = await fs.stat(options.localPath);
  if (!stat.isFile()) throw new Error(`Not a file: ${options.localPath}`);
  const threshold = options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD;
  if (stat.size >= threshold && stat.size > 0) return uploadMultipart(store, options, stat.size, stat.mtimeMs);
  return uploadSingle(store, options, stat.size);
}

/** Bytes hashed between two turns of the event loop, so sockets keep moving while a part is hashed. */
const HASH_SLICE = 1024 * 1024;

/**
 * CRC-64 of a part, computed while the same bytes are being sent: the request starts first, the hash
 * runs in slices alongside it, and the result is awaited only when the service's answer is compared.
 */
function startHash(options: UploadOptions, bytes: Uint8Array): Promise<bigint> {
  const run = async (): Promise<bigint> => {
    if (options.hashPart) return options.hashPart(bytes);
    let crc = 0n;
    for (let offset = 0; offset < bytes.length; offset += HASH_SLICE) {
      if (offset > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      crc = crc64Update(crc, bytes.subarray(offset, offset + HASH_SLICE));
    }
    return crc;
  };
  const hashing = run();
  // Awaited later; a failure must not surface as an unhandled rejection before that.
  hashing.catch(() => undefined);
  return hashing;
}

/**
 * Send a request again on 5xx / reset / timeout with exponential backoff and jitter. The adapters may
 * already retry; this is the transfer's own bound so a storm on one part does not fail a 10 GB upload.
 */
async function withTransientRetry<T>(options: UploadOptions, what: string, fn: () => Promise<T>): Promise<T> {
  const max = options.transientRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal);
    try {
      return await fn();
    } catch (err) {
      if (options.signal?.aborted) throw new CancelledError();
      if (!isTransient(err) || attempt >= max) throw err;
      options.log?.(`${what}: ${(err as Error).message}; retrying`);
      await sleep(backoffDelay(attempt, options.retryBaseDelayMs), options.signal);
    }
  }
}

async function uploadSingle(store: ObjectStore, options: UploadOptions, size: number): Promise<UploadResult> {
  const { bucket, key, localPath } = options;
  const verify = options.verify !== false;
  const body = await fs.readFile(localPath);
  if (body.length !== size) throw new Error(`${localPath} changed while it was being read.`);
  const hashing = verify ? startHash(options, body) : undefined;
  const retries = options.partRetries ?? DEFAULT_PART_RETRIES;
  const retried: number[] = [];
  options.onProgress?.({ bytesDone: 0, bytesTotal: size });
  for (let attempt = 0; ; attempt++) {
    const res = await withTransientRetry(options, `PUT ${key}`, () => store.put(bucket, key, body, { signal: options.signal }));
    const local = hashing ? await hashing : undefined;
    const base = { path: localPath, bucket, key, size, parts: 0, retriedParts: retried, resumedParts: 0 };
    if (local === undefined) {
      options.onProgress?.({ bytesDone: size, bytesTotal: size });
      return { ...base, verified: false, reason: 'verification was switched off' };
    }
    const remote = parseCrc64(res.crc64);
    if (remote === undefined) {
      options.onProgress?.({ bytesDone: size, bytesTotal: size });
      return { ...base, crc64: formatCrc64(local), verified: false, reason: 'the service returned no CRC-64 for the upload' };
    }
    if (remote === local) {
      options.onProgress?.({ bytesDone: size, bytesTotal: size });
      return { ...base, crc64: formatCrc64(local), remoteCrc64: formatCrc64(remote), verified: true };
    }
    if (!retried.includes(0)) retried.push(0);
    options.log?.(`PUT ${key}: CRC-64 mismatch (local ${formatCrc64(local)}, service ${formatCrc64(remote)}); sending again`);
    if (attempt >= retries) {
      const removed = await removeCorruptObject(store, bucket, key, options);
      throw new IntegrityError(
        `Upload of ${key} failed its CRC-64 check ${attempt + 1} times (local ${formatCrc64(local)}, service ` +
          `${formatCrc64(remote)}). ${removed}`,
        formatCrc64(local),
        formatCrc64(remote),
      );
    }
  }
}

/** A stored object that failed its check is not left looking like a good copy. */
async function removeCorruptObject(store: ObjectStore, bucket: string, key: string, options: UploadOptions): Promise<string> {
  try {
    await store.deleteObject(bucket, key);
    return 'The corrupt copy was removed from the bucket.';
  } catch (err) {
    options.log?.(`Could not remove the corrupt copy of ${key}: ${(err as Error).message}`);
    return 'The corrupt copy could not be removed; delete it or upload again.';
  }
}

/** Read exactly `length` bytes at `offset` into `buf`. */
async function readFully(handle: fs.FileHandle, buf: Buffer, length: number, offset: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
    if (bytesRead === 0) throw new Error('The local file became shorter while it was being uploaded.');
    done += bytesRead;
  }
}

function sameEtag(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string | undefined): string => (s ?? '').replace(/"/g, '').toLowerCase();
  return norm(a) === norm(b);
}

async function uploadMultipart(
  store: ObjectStore,
  options: UploadOptions,
  size: number,
  mtimeMs: number,
): Promise<UploadResult> {
  const { bucket, key, localPath, checkpoints } = options;
  const verify = options.verify !== false;
  const log = (line: string): void => options.log?.(line);
  const target: CheckpointTarget = {
    provider: store.provider,
    service: options.service ?? '',
    bucket,
    key,
    localPath,
  };

  // Resume when a checkpoint for this exact destination and unchanged file exists and its parts are there.
  let cp = checkpoints ? await checkpoints.load(target) : undefined;
  if (cp) {
    if (cp.localSize !== size || cp.localMtimeMs !== mtimeMs) {
      log(`${localPath} changed since the interrupted upload; starting over.`);
      await abortQuietly(store, cp, options);
      await checkpoints!.delete(target);
      cp = undefined;
    } else {
      cp = await reconcileWithService(store, cp, options, verify);
      if (!cp) await checkpoints!.delete(target);
    }
  }

  const plan = planParts(size, {
    partSize: cp?.partSize ?? options.partSize ?? DEFAULT_PART_SIZE,
    minPartSize: options.minPartSize,
    maxParts: options.maxParts,
  });
  if (plan.raised) log(`Part size raised to ${plan.partSize} bytes so ${localPath} fits in 10,000 parts.`);

  // Opened before the upload is initiated, so an unreadable file never leaves an empty upload behind.
  const handle = await fs.open(localPath, 'r');
  try {
    return await uploadParts(store, options, { size, mtimeMs, plan, handle, cp, target });
  } finally {
    await handle.close();
  }
}

interface PartsContext {
  size: number;
  mtimeMs: number;
  plan: ReturnType<typeof planParts>;
  handle: fs.FileHandle;
  cp: UploadCheckpoint | undefined;
  target: CheckpointTarget;
}

async function uploadParts(store: ObjectStore, options: UploadOptions, ctx: PartsContext): Promise<UploadResult> {
  const { bucket, key, localPath, checkpoints } = options;
  const { size, mtimeMs, plan, handle, target } = ctx;
  let cp = ctx.cp;
  const verify = options.verify !== false;
  const log = (line: string): void => options.log?.(line);
  if (!cp) {
    const { uploadId } = await withTransientRetry(options, `Initiate ${key}`, () =>
      store.createMultipartUpload(bucket, key, { signal: options.signal }),
    );
    cp = {
      version: 1,
      ...target,
      localSize: size,
      localMtimeMs: mtimeMs,
      uploadId,
      partSize: plan.partSize,
      parts: [],
      createdAt: new Date().toISOString(),
    };
    await checkpoints?.save(cp);
  }
  const checkpoint: UploadCheckpoint = cp;
  const uploadId = checkpoint.uploadId;

  // Only parts that fit this plan exactly are taken over; anything else is sent again.
  const fits = (p: CheckpointPart): boolean => p.partNumber >= 1 && p.partNumber <= plan.partCount && p.size === partRange(plan, size, p.partNumber).length;
  const done = new Map<number, CheckpointPart>(checkpoint.parts.filter(fits).map((p) => [p.partNumber, p]));
  const resumedParts = done.size;
  if (ctx.cp) log(`Resuming ${key}: ${resumedParts} of ${plan.partCount} parts already uploaded.`);
  const pending: number[] = [];
  for (let n = 1; n <= plan.partCount; n++) if (!done.has(n)) pending.push(n);
  let bytesDone = 0;
  for (const p of done.values()) bytesDone += p.size;
  options.onProgress?.({ bytesDone, bytesTotal: size });

  // Checkpoint writes are chained so an older snapshot never lands after a newer one.
  let saving: Promise<void> = Promise.resolve();
  const saveCheckpoint = (): Promise<void> => {
    if (!checkpoints) return saving;
    const snapshot: UploadCheckpoint = { ...checkpoint, parts: [...done.values()].sort((a, b) => a.partNumber - b.partNumber) };
    saving = saving.then(() => checkpoints.save(snapshot));
    return saving;
  };

  // One controller stops every worker at the first failure or at the caller's cancel.
  const inner = new AbortController();
  const onOuterAbort = (): void => inner.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) inner.abort();
  const partOptions: UploadOptions = { ...options, signal: inner.signal };

  const retriedParts = new Set<number>();
  const unverifiedParts: number[] = [];
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, pending.length || 1));
  const retries = options.partRetries ?? DEFAULT_PART_RETRIES;
  let firstError: unknown;

  // Every part in flight holds one pooled buffer: memory is partSize × concurrency.
  const pool = options.buffers ?? new PartBufferPool(concurrency);
  const worker = async (): Promise<void> => {
    for (;;) {
      if (inner.signal.aborted) return;
      const n = pending.shift();
      if (n === undefined) return;
      const buffer = await pool.acquire(plan.partSize, inner.signal);
      try {
        await sendPart(n, buffer);
      } finally {
        pool.release(buffer);
      }
      await saveCheckpoint();
    }
  };
  const sendPart = async (n: number, buffer: Buffer): Promise<void> => {
    const range = partRange(plan, size, n);
    await readFully(handle, buffer, range.length, range.offset);
    const bytes = buffer.subarray(0, range.length);
    const hashing = verify ? startHash(options, bytes) : undefined;
    for (let attempt = 0; ; attempt++) {
      const res = await withTransientRetry(partOptions, `Part ${n} of ${key}`, () =>
        store.uploadPart(bucket, key, uploadId, n, bytes, { signal: inner.signal }),
      );
      const local = hashing ? await hashing : undefined;
      if (!res.etag) throw new StorageError('malformed-response', `The service returned no ETag for part ${n} of ${key}.`);
      const remote = verify ? parseCrc64(res.crc64) : undefined;
      if (verify && remote !== undefined && remote !== local) {
        retriedParts.add(n);
        log(`Part ${n} of ${key}: CRC-64 mismatch (local ${formatCrc64(local!)}, service ${formatCrc64(remote)}); sending again`);
        if (attempt < retries) continue;
        throw new IntegrityError(
          `Part ${n} of ${key} failed its CRC-64 check ${attempt + 1} times (local ${formatCrc64(local!)}, service ` +
            `${formatCrc64(remote)}). The upload was not completed.`,
          formatCrc64(local!),
          formatCrc64(remote),
          n,
        );
      }
      if (verify && remote === undefined) unverifiedParts.push(n);
      done.set(n, {
        partNumber: n,
        etag: res.etag,
        crc64: local === undefined ? '' : formatCrc64(local),
        size: range.length,
        verified: remote !== undefined,
      });
      break;
    }
    bytesDone += range.length;
    options.onProgress?.({ bytesDone, bytesTotal: size });
  };

  const runWorker = async (): Promise<void> => {
    try {
      await worker();
    } catch (err) {
      if (firstError === undefined) firstError = err;
      inner.abort();
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, runWorker));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    await saving.catch(() => undefined);
  }

  if (options.signal?.aborted || (firstError !== undefined && isCancelled(firstError))) {
    const keep = checkpoints !== undefined && (options.onCancel ?? 'keep') === 'keep';
    if (!keep) {
      await abortQuietly(store, checkpoint, options);
      await checkpoints?.delete(target);
    }
    throw new CancelledError(keep ? 'Upload paused; it can be resumed.' : 'Upload cancelled; nothing was left in the bucket.');
  }
  if (firstError !== undefined) {
    // A part that stays corrupt cannot be resumed into a good object: abort so nothing is left behind.
    // Other failures (network down after retries) keep the checkpoint when there is one, to resume later.
    if (firstError instanceof IntegrityError || !checkpoints) {
      await abortQuietly(store, checkpoint, options);
      await checkpoints?.delete(target);
    }
    throw firstError;
  }

  // Parts read at different times from a file that was being rewritten would assemble into an object that
  // never existed on disk: check the file is still the one whose parts were sent.
  const after = await fs.stat(localPath);
  if (after.size !== size || after.mtimeMs !== mtimeMs) {
    await abortQuietly(store, checkpoint, options);
    await checkpoints?.delete(target);
    throw new Error(`${localPath} changed while it was being uploaded; the upload was not completed. Upload it again.`);
  }

  const parts = [...done.values()].sort((a, b) => a.partNumber - b.partNumber);
  // The whole-object CRC follows from the part CRCs: no second read of the file.
  let whole = crc64(new Uint8Array(0));
  if (verify) for (const p of parts) whole = crc64Combine(whole, BigInt(p.crc64), p.size);
  const wholeText = formatCrc64(whole);
  const completed = await completeOnce(store, options, uploadId, parts, verify ? wholeText : undefined, size);
  await checkpoints?.delete(target);

  const base = {
    path: localPath,
    bucket,
    key,
    size,
    parts: parts.length,
    partSize: plan.partSize,
    retriedParts: [...retriedParts].sort((a, b) => a - b),
    resumedParts,
    uploadId,
  };
  if (!verify) return { ...base, verified: false, reason: 'verification was switched off' };

  const remote = parseCrc64(completed.crc64);
  const notVerifiedParts = parts.filter((p) => !p.verified).map((p) => p.partNumber);
  if (remote !== undefined && remote !== whole) {
    const removed = await removeCorruptObject(store, bucket, key, options);
    throw new IntegrityError(
      `The assembled object ${key} has CRC-64 ${formatCrc64(remote)} but the local file's is ${wholeText}. ${removed}`,
      wholeText,
      formatCrc64(remote),
    );
  }
  if (remote === undefined) {
    const why = notVerifiedParts.length
      ? `the service returned no CRC-64 for part${notVerifiedParts.length > 1 ? 's' : ''} ${notVerifiedParts.join(', ')}, so it gave no whole-object CRC-64`
      : 'the service returned no whole-object CRC-64 on Complete';
    return { ...base, crc64: wholeText, verified: false, reason: why };
  }
  if (notVerifiedParts.length) {
    return {
      ...base,
      crc64: wholeText,
      remoteCrc64: formatCrc64(remote),
      verified: false,
      reason: `the service returned no CRC-64 for part(s) ${notVerifiedParts.join(', ')}`,
    };
  }
  return { ...base, crc64: wholeText, remoteCrc64: formatCrc64(remote), verified: true };
}

/**
 * Keep only the checkpoint's parts the service still has with the same ETag (and CRC, when listed).
 * Returns `undefined` when the upload is gone (expired or aborted elsewhere): start over.
 */
async function reconcileWithService(
  store: ObjectStore,
  cp: UploadCheckpoint,
  options: UploadOptions,
  verify: boolean,
): Promise<UploadCheckpoint | undefined> {
  let listed;
  try {
    listed = await withTransientRetry(options, `List Parts ${cp.key}`, () =>
      store.listParts(cp.bucket, cp.key, cp.uploadId, { signal: options.signal }),
    );
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-upload') {
      options.log?.(`The interrupted upload of ${cp.key} no longer exists; starting over.`);
      return undefined;
    }
    throw err;
  }
  const byNumber = new Map(listed.map((p) => [p.partNumber, p]));
  const kept = cp.parts.filter((p) => {
    const there = byNumber.get(p.partNumber);
    // A part sent without our CRC (verification was off) cannot join a verified upload: send it again.
    if (verify && !/^\d+$/.test(p.crc64)) return false;
    if (!there || !sameEtag(there.etag, p.etag)) return false;
    if (there.size !== undefined && there.size !== p.size) return false;
    if (there.crc64 !== undefined && p.crc64 && there.crc64 !== p.crc64) return false;
    return true;
  });
  return { ...cp, parts: kept };
}

/**
 * Complete the upload. Complete is not idempotent: when a retry after a lost response finds the upload
 * gone, the object may have been assembled by the first attempt, so it is looked at before giving up.
 */
async function completeOnce(
  store: ObjectStore,
  options: UploadOptions,
  uploadId: string,
  parts: CheckpointPart[],
  expectedCrc: string | undefined,
  size: number,
): Promise<CompleteResult> {
  const { bucket, key } = options;
  let attempts = 0;
  try {
    return await withTransientRetry(options, `Complete ${key}`, () => {
      attempts++;
      return store.completeMultipartUpload(
        bucket,
        key,
        uploadId,
        parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
        { signal: options.signal },
      );
    });
  } catch (err) {
    if (!(attempts > 1 && err instanceof StorageError && err.kind === 'no-such-upload')) throw err;
    const info = await store.head(bucket, key, { signal: options.signal });
    if (info.size !== size || (expectedCrc !== undefined && info.crc64 !== expectedCrc)) throw err;
    options.log?.(`Complete ${key}: the first attempt had succeeded; the stored object matches.`);
    return { etag: info.etag, crc64: info.crc64 };
  }
}

async function abortQuietly(store: ObjectStore, cp: UploadCheckpoint, options: UploadOptions): Promise<void> {
  try {
    await withTransientRetry({ ...options, signal: undefined }, `Abort ${cp.key}`, () =>
      store.abortMultipartUpload(cp.bucket, cp.key, cp.uploadId),
    );
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-upload') return;
    options.log?.(`Could not abort the multipart upload of ${cp.key}: ${(err as Error).message}`);
  }
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
  await abortQuietly(store, cp, { bucket: cp.bucket, key: cp.key, localPath: cp.localPath, log });
  await checkpoints.delete(target);
  return true;
}
