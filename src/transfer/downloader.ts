import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Crc64Hasher, parseCrc64 } from '../crc';
import type { ObjectInfo, ObjectStore } from '../storage/types';
import { CancelledError, IntegrityError, isCancelled, throwIfAborted } from '../util/errors';
import { backoffDelay, isTransient, sleep } from './backoff';
import { resolveSafeLocalPath, UnsafeKeyError, unsafeKeyReason } from '../util/keySafety';
import type { TransferProgress } from './upload';

/**
 * Verified download: the object is streamed into a temporary file next to the target while its CRC-64 is
 * computed, and renamed into place only when that CRC equals the service's. A mismatch removes the
 * temporary file and leaves any existing file untouched. An object without a CRC is saved and reported as
 * "not verified".
 */

export type ExistingFileDecision = 'overwrite' | 'skip' | 'compare';

export interface ExistingFileQuestion {
  path: string;
  key: string;
  localSize: number;
  remoteSize: number;
  /**
   * Set on the second question, after "compare": `true` when the files differ, `undefined` when the
   * object has no CRC so they could not be compared. "compare" is not accepted again.
   */
  differs?: boolean;
  compared?: boolean;
}

/** Asked for every target that already exists; the editor answers with a QuickPick, the CLI with a flag. */
export type ExistingFilePolicy = (question: ExistingFileQuestion) => Promise<ExistingFileDecision> | ExistingFileDecision;

export interface DownloadOptions {
  bucket: string;
  key: string;
  /** The local file to write. */
  targetPath: string;
  /** Default: compare first, and skip files that differ (nothing local is lost without being asked). */
  ifExists?: ExistingFilePolicy;
  /** How many times a download whose CRC came back wrong is fetched again. */
  retries?: number;
  transientRetries?: number;
  /** First backoff ceiling in ms before a transient failure is retried (doubles every retry). Default 200. */
  retryBaseDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  log?: (line: string) => void;
}

export interface DownloadResult {
  path: string;
  bucket: string;
  key: string;
  size: number;
  /** Our CRC-64 of the bytes written (decimal). */
  crc64?: string;
  remoteCrc64?: string;
  verified: boolean;
  reason?: string;
  /** `identical`: the existing file already had the object's CRC; `skipped`: left as it was. */
  outcome: 'downloaded' | 'identical' | 'skipped';
  retried: number;
}

const defaultPolicy: ExistingFilePolicy = (q) => (q.compared ? 'skip' : 'compare');

async function exists(path: string): Promise<{ size: number } | undefined> {
  try {
    const st = await fs.stat(path);
    if (st.isDirectory()) throw new Error(`${path} is a folder; cannot write the object there.`);
    return { size: st.size };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function localCrc(path: string, signal?: AbortSignal): Promise<string> {
  const hasher = new Crc64Hasher();
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1024 * 1024 })) hasher.update(chunk as Buffer);
  return hasher.digestDecimal();
}

/** Download one object to `targetPath` with CRC-64 verification. */
export async function downloadObject(store: ObjectStore, options: DownloadOptions): Promise<DownloadResult> {
  const { bucket, key, targetPath, signal } = options;
  throwIfAborted(signal);
  const base = { path: targetPath, bucket, key, retried: 0 };

  const existing = await exists(targetPath);
  if (existing) {
    const policy = options.ifExists ?? defaultPolicy;
    const info = await store.head(bucket, key, { signal });
    const question: ExistingFileQuestion = { path: targetPath, key, localSize: existing.size, remoteSize: info.size };
    let decision = await policy(question);
    if (decision === 'compare') {
      const remote = parseCrc64(info.crc64);
      if (remote !== undefined && existing.size === info.size) {
        const local = await localCrc(targetPath, signal);
        if (local === remote.toString()) {
          return { ...base, size: info.size, crc64: local, remoteCrc64: info.crc64, verified: true, outcome: 'identical' };
        }
      }
      const differs = remote === undefined && existing.size === info.size ? undefined : true;
      decision = await policy({ ...question, compared: true, differs });
      if (decision === 'compare') decision = 'skip';
    }
    if (decision === 'skip') {
      return { ...base, size: existing.size, verified: false, reason: 'a local file already exists; left as it was', outcome: 'skipped' };
    }
  }

  await fs.mkdir(dirname(targetPath), { recursive: true });
  const retries = options.retries ?? 2;
  const maxTransient = options.transientRetries ?? 5;
  let transient = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await downloadOnce(store, options);
      return { ...result, retried: attempt };
    } catch (err) {
      if (isCancelled(err) || signal?.aborted) throw new CancelledError();
      if (err instanceof IntegrityError && attempt < retries) {
        options.log?.(`${key}: ${err.message} Fetching it again.`);
        continue;
      }
      if (isTransient(err) && transient < maxTransient) {
        options.log?.(`${key}: ${(err as Error).message}; retrying`);
        await sleep(backoffDelay(transient++, options.retryBaseDelayMs), signal);
        attempt--;
        continue;
      }
      throw err;
    }
  }
}

async function downloadOnce(store: ObjectStore, options: DownloadOptions): Promise<Omit<DownloadResult, 'retried'>> {
  const { bucket, key, targetPath, signal } = options;
  const temp = join(dirname(targetPath), `.${basename(targetPath)}.${randomBytes(4).toString('hex')}.bi-download`);
  const hasher = new Crc64Hasher();
  let info: ObjectInfo | undefined;
  try {
    const got = await store.get(bucket, key, { signal });
    info = got.info;
    const total = info.size;
    let lastReport = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        hasher.update(chunk);
        if (options.onProgress && (hasher.length - lastReport >= 256 * 1024 || hasher.length === total)) {
          lastReport = hasher.length;
          options.onProgress({ bytesDone: hasher.length, bytesTotal: total });
        }
        callback(null, chunk);
      },
    });
    await pipeline(got.body, hashing, createWriteStream(temp, { flags: 'wx' }), { signal });
    if (hasher.length !== info.size) {
      throw new IntegrityError(
        `Download of ${key} received ${hasher.length} bytes but the object has ${info.size}; nothing was saved.`,
      );
    }
    const local = hasher.digestDecimal();
    const remote = parseCrc64(info.crc64);
    if (remote !== undefined && remote.toString() !== local) {
      throw new IntegrityError(
        `Download of ${key} failed its CRC-64 check (object ${remote}, received ${local}); nothing was saved.`,
        remote.toString(),
        local,
      );
    }
    await fs.rename(temp, targetPath);
    const common = { path: targetPath, bucket, key, size: info.size, crc64: local, outcome: 'downloaded' as const };
    if (remote === undefined) {
      return { ...common, verified: false, reason: 'the object has no CRC-64 (stored before the service computed one)' };
    }
    return { ...common, remoteCrc64: remote.toString(), verified: true };
  } catch (err) {
    await fs.rm(temp, { force: true });
    if (signal?.aborted) throw new CancelledError();
    throw err;
  }
}

export interface PrefixDownloadOptions {
  bucket: string;
  /** Everything under this prefix; keys are written relative to it. Empty means the whole bucket. */
  prefix: string;
  targetFolder: string;
  /** Objects downloaded at once. */
  concurrency?: number;
  ifExists?: ExistingFilePolicy;
  retries?: number;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Called as each object finishes (or fails), for logs and badges. */
  onFile?: (outcome: FileOutcome<DownloadResult>) => void;
  log?: (line: string) => void;
}

export type FileOutcome<T> = { ok: true; result: T } | { ok: false; key: string; path?: string; error: Error };

export interface BatchSummary<T> {
  outcomes: FileOutcome<T>[];
  verified: number;
  unverified: number;
  failed: number;
  skipped: number;
  bytes: number;
}

export function summarize<T extends { verified: boolean; size: number; outcome?: string }>(
  outcomes: FileOutcome<T>[],
): BatchSummary<T> {
  const s: BatchSummary<T> = { outcomes, verified: 0, unverified: 0, failed: 0, skipped: 0, bytes: 0 };
  for (const o of outcomes) {
    if (!o.ok) s.failed++;
    else if (o.result.outcome === 'skipped') s.skipped++;
    else {
      s.bytes += o.result.size;
      if (o.result.verified) s.verified++;
      else s.unverified++;
    }
  }
  return s;
}

/** Every object under a prefix (all pages). */
export async function listAll(store: ObjectStore, bucket: string, prefix: string, signal?: AbortSignal): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.list(bucket, { prefix, pageToken, signal });
    out.push(...page.objects);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

/** Download every object under a prefix into a folder, a few at a time; unsafe keys are refused one by one. */
export async function downloadPrefix(store: ObjectStore, options: PrefixDownloadOptions): Promise<BatchSummary<DownloadResult>> {
  const { bucket, targetFolder, signal } = options;
  const prefix = options.prefix === '' || options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`;
  const objects = (await listAll(store, bucket, prefix, signal)).filter((o) => !(o.key.endsWith('/') && o.size === 0));
  const bytesTotal = objects.reduce((n, o) => n + o.size, 0);
  const doneBytes = new Map<string, number>();
  const report = (): void => {
    let sum = 0;
    for (const v of doneBytes.values()) sum += v;
    options.onProgress?.({ bytesDone: sum, bytesTotal });
  };
  const outcomes: FileOutcome<DownloadResult>[] = [];
  const queue = [...objects];
  const worker = async (): Promise<void> => {
    for (;;) {
      const obj = queue.shift();
      if (!obj) return;
      throwIfAborted(signal);
      let outcome: FileOutcome<DownloadResult>;
      try {
        const path = resolveSafeLocalPath(targetFolder, obj.key.slice(prefix.length));
        const result = await downloadObject(store, {
          bucket,
          key: obj.key,
          targetPath: path,
          ifExists: options.ifExists,
          retries: options.retries,
          signal,
          log: options.log,
          onProgress: (p) => {
            doneBytes.set(obj.key, p.bytesDone);
            report();
          },
        });
        doneBytes.set(obj.key, obj.size);
        report();
        outcome = { ok: true, result };
      } catch (err) {
        if (isCancelled(err)) throw err;
        outcome = { ok: false, key: obj.key, error: err as Error };
      }
      outcomes.push(outcome);
      options.onFile?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 3) }, worker));
  return summarize(outcomes);
}

/**
 * Local path for downloading one object into a folder: its last key segment. Keys that could escape
 * (any `..`, absolute, drive letter, backslash) are refused even here, so no odd key is written anywhere.
 */
export function targetForObjectInFolder(folder: string, key: string): string {
  const reason = unsafeKeyReason(key.replace(/^\/+/, ''));
  if (reason || key.startsWith('/')) throw new UnsafeKeyError(key, reason ?? 'it is an absolute path');
  const name = key.split('/').pop() ?? '';
  return resolveSafeLocalPath(folder, name);
}
