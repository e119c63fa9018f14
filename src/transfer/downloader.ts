import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Crc64Hasher, parseCrc64 } from '../crc';
import { fileCrc64 } from '../crc/hashers';
import { TruncatedBodyError } from '../storage/errors';
import type { ObjectInfo, ObjectStore } from '../storage/types';
import { isTransientError } from '../storage/retry';
import { CancelledError, IntegrityError, isCancelled, throwIfAborted } from '../util/errors';
import { resolveSafeLocalPath, UnsafeKeyError, unsafeKeyReason } from '../util/keySafety';
import type { TransferProgress } from './upload';
import { retryBudget } from './retryBudget';

/**
 * Verified download: the object is streamed into a temporary file next to the target while its CRC-64 is
 * computed, and renamed into place only when that CRC equals the service's. A mismatch removes the
 * temporary file and leaves any existing file untouched. An object without a CRC (neither in the GET answer
 * nor in HEAD) is saved as "not verified" when nothing would be lost, and never replaces an existing file
 * unless `allowUnverified` is set. A key ending in "/" is a folder marker and is never written as a file.
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
  /** How many times a download whose CRC came back wrong is fetched again. Default: `INTEGRITY_RETRIES.downloadRefetches`. */
  retries?: number;
  /**
   * Replace an existing file even when the object has no CRC-64 to check the bytes against. Off by
   * default: an existing file is then kept and the result says so (a new file is still written, as
   * "not verified", since nothing is lost).
   */
  allowUnverified?: boolean;
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
  /** Set when an existing file was kept because the object's bytes could not be verified. */
  keptUnverified?: boolean;
  /** Set when an existing file was kept although its CRC-64 or size differs from the object's. */
  differs?: boolean;
  retried: number;
}

const defaultPolicy: ExistingFilePolicy = (q) => (q.compared ? 'skip' : 'compare');

/** Longest file name on the platforms we run on (bytes, UTF-8). */
const NAME_MAX = 255;
const TEMP_SUFFIX_BYTES = '.0123abcd.bi-download'.length;

async function exists(path: string): Promise<{ size: number } | undefined> {
  try {
    const st = await fs.stat(path);
    if (st.isDirectory()) throw new Error(l10n.t('{0} is a folder; cannot write the object there.', path));
    return { size: st.size };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** `name` cut to at most `maxBytes` of UTF-8, never inside a character. */
function truncateUtf8(name: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of name) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}

/**
 * A hidden temporary name beside the target that stays within NAME_MAX however long the target's name
 * is (the random part keeps it unique; the visible part only helps a person spot it).
 */
export function temporaryPathFor(targetPath: string): string {
  const visible = truncateUtf8(basename(targetPath), NAME_MAX - 1 - TEMP_SUFFIX_BYTES);
  return join(dirname(targetPath), `.${visible}.${randomBytes(4).toString('hex')}.bi-download`);
}

/** A key ending in "/" names a folder (a marker object), whatever bytes it holds: never a file. */
export function isFolderMarker(key: string): boolean {
  return key.endsWith('/');
}

/**
 * The body stopped mid-way (a reset, a stall): nothing was saved. The storage layer retries calls, not a
 * body already flowing, so it is fetched again here, like a body that arrived wrong.
 */
class BodyCutShort extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** Download one object to `targetPath` with CRC-64 verification. */
export async function downloadObject(store: ObjectStore, options: DownloadOptions): Promise<DownloadResult> {
  const { bucket, key, targetPath, signal } = options;
  throwIfAborted(signal);
  const base = { path: targetPath, bucket, key, retried: 0 };
  if (isFolderMarker(key)) {
    return {
      ...base,
      size: 0,
      verified: false,
      outcome: 'skipped',
      reason: l10n.t('a folder marker (a key ending in "/"); no file is written for it'),
    };
  }

  const existing = await exists(targetPath);
  if (existing) {
    const decided = await decideExisting(store, options, existing.size);
    if (decided) return { ...base, ...decided };
  }

  await fs.mkdir(dirname(targetPath), { recursive: true });
  const retries = retryBudget('downloadRefetches', options.retries);
  // Transient failures are retried by the storage adapter; here only a body that arrived wrong is fetched again.
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await downloadOnce(store, options, existing !== undefined);
      return { ...result, retried: attempt };
    } catch (err) {
      if (isCancelled(err) || signal?.aborted) throw new CancelledError();
      if ((err instanceof IntegrityError || err instanceof BodyCutShort) && attempt < retries) {
        options.log?.(`${key}: ${err.message} Fetching it again.`);
        continue;
      }
      // Cut short on every read: the service answered but never sent the object whole — a finding about
      // this object (exit 1), not an unreachable service.
      if (err instanceof BodyCutShort)
        throw new TruncatedBodyError(
          l10n.t(
            '{0}: the body was cut short on each of {1} reads ({2}); the object could not be read whole.',
            key,
            attempt + 1,
            err.cause.message,
          ),
        );
      throw err;
    }
  }
}

/** The existing-file question; a result when the download stops here (identical or skipped). */
async function decideExisting(
  store: ObjectStore,
  options: DownloadOptions,
  localSize: number,
): Promise<Omit<DownloadResult, 'path' | 'bucket' | 'key' | 'retried'> | undefined> {
  const { bucket, key, targetPath, signal } = options;
  const policy = options.ifExists ?? defaultPolicy;
  const info = await store.head(bucket, key, { signal });
  const question: ExistingFileQuestion = { path: targetPath, key, localSize, remoteSize: info.size };
  let decision = await policy(question);
  let skipped = 'a local file already exists; left as it was';
  let differed = false;
  if (decision === 'compare') {
    const remote = parseCrc64(info.crc64);
    if (remote !== undefined && localSize === info.size) {
      const local = await fileCrc64(targetPath, signal);
      if (local === remote.toString())
        return { size: info.size, crc64: local, remoteCrc64: info.crc64, verified: true, outcome: 'identical' };
    }
    const differs = remote === undefined && localSize === info.size ? undefined : true;
    decision = await policy({ ...question, compared: true, differs });
    if (decision === 'compare') decision = 'skip';
    // Say what the comparison found, so the user knows whether replacing it would change anything.
    differed = differs === true;
    skipped = differs
      ? `the local file differs from the object (${localSize === info.size ? 'CRC-64' : `size ${localSize} vs ${info.size} bytes`}); left as it was`
      : 'a local file already exists and the object has no CRC-64 to compare it with; left as it was';
  }
  if (decision === 'skip')
    return { size: localSize, verified: false, reason: skipped, outcome: 'skipped', ...(differed ? { differs: true } : {}) };
  return undefined;
}

/**
 * The CRC-64 to check a GET against: the GET answer's, else HEAD's. A GET answer can lack the header
 * (a proxy, a fault) for an object that has one; only when HEAD has none either is the object taken as
 * stored without a CRC.
 */
async function expectedCrc(store: ObjectStore, options: DownloadOptions, info: ObjectInfo): Promise<bigint | undefined> {
  const fromGet = parseCrc64(info.crc64);
  if (fromGet !== undefined) return fromGet;
  const head = await store.head(options.bucket, options.key, { signal: options.signal });
  const fromHead = parseCrc64(head.crc64);
  if (fromHead !== undefined) options.log?.(`${options.key}: the download carried no CRC-64; checked against the object's (HEAD).`);
  return fromHead;
}

async function downloadOnce(store: ObjectStore, options: DownloadOptions, replacing: boolean): Promise<Omit<DownloadResult, 'retried'>> {
  const { bucket, key, targetPath, signal } = options;
  const temp = temporaryPathFor(targetPath);
  const hasher = new Crc64Hasher();
  let answered = false;
  try {
    const got = await store.get(bucket, key, { signal });
    answered = true;
    const info = got.info;
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
        l10n.t('Download of {0} received {1} bytes but the object has {2}; nothing was saved.', key, hasher.length, info.size),
      );
    }
    const local = hasher.digestDecimal();
    const remote = await expectedCrc(store, options, info);
    if (remote !== undefined && remote.toString() !== local) {
      throw new IntegrityError(
        l10n.t('Download of {0} failed its CRC-64 check (object {1}, received {2}); nothing was saved.', key, remote.toString(), local),
        remote.toString(),
        local,
      );
    }
    const common = { path: targetPath, bucket, key, size: info.size, crc64: local };
    if (remote === undefined && replacing && !options.allowUnverified) {
      await fs.rm(temp, { force: true });
      return {
        ...common,
        verified: false,
        outcome: 'skipped',
        keptUnverified: true,
        reason: l10n.t(
          'the object has no CRC-64, so the bytes could not be verified; the existing file was kept rather than replaced with unverified data',
        ),
      };
    }
    await fs.rename(temp, targetPath);
    if (remote === undefined) {
      return {
        ...common,
        outcome: 'downloaded',
        verified: false,
        reason: l10n.t('the object has no CRC-64 (stored before the service computed one)'),
      };
    }
    return { ...common, outcome: 'downloaded', remoteCrc64: remote.toString(), verified: true };
  } catch (err) {
    await fs.rm(temp, { force: true });
    if (signal?.aborted) throw new CancelledError();
    if (answered && isTransientError(err)) throw new BodyCutShort(err as Error);
    throw err;
  }
}

/**
 * Local path for downloading one object into a folder: its last key segment. Keys that could escape
 * (any `..`, absolute, drive letter, backslash) are refused even here, so no odd key is written anywhere.
 */
export function targetForObjectInFolder(folder: string, key: string): string {
  const reason = unsafeKeyReason(key.replace(/^\/+/, ''));
  if (reason || key.startsWith('/')) throw new UnsafeKeyError(key, reason ?? l10n.t('it is an absolute path'));
  const name = key.split('/').pop() ?? '';
  return resolveSafeLocalPath(folder, name);
}
