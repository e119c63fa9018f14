import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Crc64Hasher } from '../crc/crc64';
import { isFatalForRun, StorageError } from '../storage/errors';
import type { ObjectInfo, ObjectStore } from '../storage/types';
import { folderPrefix, listAllObjects } from '../storage/listing';
import { runLimited } from '../util/concurrency';
import { CancelledError, isCancelled, throwIfAborted } from '../util/errors';
import { describeSkip, walkLocalFiles, type LocalFile, type SkipReason } from '../util/walk';
import type { BadgeStatus } from './badgeStore';

/** `prefix` as a folder (re-exported: callers of the comparison name prefixes the same way). */
export { folderPrefix };

/**
 * Local files against the objects they correspond to, like `rclone check`: every pair ends up `match`
 * (CRC-64 equal), `mismatch` (sizes or CRC-64 differ), `no-crc` (the object was stored without one, so it
 * cannot be checked without downloading it), `missing-remote` or `missing-local`; a pair that could not be
 * checked (a HEAD or a read failed) is `error`.
 *
 * Sizes are compared first: a size difference settles a mismatch without hashing or a HEAD. Remote CRCs
 * come from HEAD (listings carry none) with bounded concurrency; local CRCs from an injected hasher (the
 * worker pool with its cache in the extension and the CLI, a plain stream hasher by default).
 */

export type FileStatus = BadgeStatus | 'error';

export const FILE_STATUSES: readonly FileStatus[] = ['match', 'mismatch', 'no-crc', 'missing-remote', 'missing-local', 'error'];

export interface FileResult {
  /** Path relative to the compared folder (POSIX separators); the file name for a single file. */
  relativePath: string;
  /** Absolute local path (for a file missing locally: where it would be). */
  localPath: string;
  key: string;
  status: FileStatus;
  localSize?: number;
  remoteSize?: number;
  /** Unsigned decimal, when the file was hashed. */
  localCrc64?: string;
  /** Unsigned decimal, from the service or computed by downloading. */
  remoteCrc64?: string;
  remoteCrcSource?: 'service' | 'download';
  /** Why, in a few words: the sizes, "CRC-64 differs", the error's message. */
  detail?: string;
}

export interface HashOutcome {
  path: string;
  size?: number;
  crc64?: bigint;
  error?: Error;
}

/** CRC-64 of local files, one outcome per path in the order given. */
export type LocalHasher = (
  paths: readonly string[],
  signal: AbortSignal | undefined,
  onProgress: (done: number, total: number) => void,
) => Promise<HashOutcome[]>;

export interface CompareDeps {
  store: Pick<ObjectStore, 'list' | 'head'>;
  /** Default: `streamHasher` (one file after the other, on this thread). */
  hashFiles?: LocalHasher;
  /** HEAD requests in flight at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Phase and counts, for a progress notification. */
  onProgress?(message: string): void;
  /**
   * A remote CRC-64 computed earlier by downloading the object, for objects stored without one, so a
   * "no CRC" object can be verified after `computeRemoteCrc64`.
   */
  downloadedCrc?(key: string, info: ObjectInfo): string | undefined;
  /** A local entry the walker's symlink policy left out (a link to a folder, a dangling link). */
  onSkip?(path: string, reason: SkipReason): void;
}

export type CompareSummary = Record<FileStatus, number> & { total: number };

/** Status of one pair. Sizes first (cheap), then CRCs; an object without a CRC cannot be checked. */
export function classify(
  local: { size: number; crc64?: string } | undefined,
  remote: { size: number; crc64?: string } | undefined,
): { status: BadgeStatus; detail?: string } {
  if (!local && !remote) throw new Error('Nothing to compare');
  if (!remote) return { status: 'missing-remote', detail: 'no such object in the bucket' };
  if (!local) return { status: 'missing-local', detail: 'no local file' };
  if (local.size !== remote.size) return { status: 'mismatch', detail: `sizes differ (local ${local.size}, remote ${remote.size} bytes)` };
  if (!remote.crc64) return { status: 'no-crc', detail: 'the object was stored without a CRC-64' };
  if (local.crc64 === undefined) throw new Error('The local CRC-64 is missing');
  if (local.crc64 !== remote.crc64) return { status: 'mismatch', detail: 'CRC-64 differs' };
  return { status: 'match' };
}

/** Counts per status, and the total. */
export function summarize(results: readonly FileResult[]): CompareSummary {
  const summary = { total: results.length } as CompareSummary;
  for (const s of FILE_STATUSES) summary[s] = 0;
  for (const r of results) summary[r.status]++;
  return summary;
}

/**
 * The default hasher: each file streamed through the CRC-64 engine on this thread. The extension and
 * the CLI pass the worker pool instead (parallel, cached).
 */
export const streamHasher: LocalHasher = async (paths, signal, onProgress) => {
  const sizes = await Promise.all(paths.map((p) => stat(p).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  const out: HashOutcome[] = [];
  for (const path of paths) {
    throwIfAborted(signal);
    const hasher = new Crc64Hasher();
    try {
      for await (const chunk of createReadStream(path, { signal })) {
        hasher.update(chunk as Uint8Array);
        done += (chunk as Uint8Array).length;
        onProgress(done, total);
      }
      out.push({ path, size: hasher.length, crc64: hasher.digest() });
    } catch (err) {
      if (signal?.aborted || isCancelled(err)) throw new CancelledError();
      out.push({ path, error: err as Error });
    }
  }
  return out;
};

/** Errors that would fail every other request too stop the whole comparison instead of marking files. */
const isFatal = isFatalForRun;

function isNotFound(err: unknown): boolean {
  return err instanceof StorageError && err.kind === 'no-such-key';
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function byPath(a: FileResult, b: FileResult): number {
  return a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
}

function percent(done: number, total: number): string {
  return total > 0 ? `${Math.floor((done / total) * 100)}%` : '';
}

async function localFilesUnder(dir: string, deps: CompareDeps, notes: string[]): Promise<LocalFile[]> {
  const onSkip = (path: string, reason: SkipReason): void => {
    notes.push(`skipped ${path}: ${describeSkip(reason)}`);
    deps.onSkip?.(path, reason);
  };
  try {
    return await walkLocalFiles(dir, { signal: deps.signal, onError: () => undefined, onSkip });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

interface Pair {
  rel: string;
  localPath: string;
  key: string;
  localSize: number;
}

export interface FolderTarget {
  localDir: string;
  bucket: string;
  prefix: string;
}

/** A folder comparison with what it left out, in words for a log or a report. */
export interface FolderComparison {
  results: FileResult[];
  /**
   * Entries that are in neither the results nor the counts: local links the walker's symlink policy left
   * out (also told to `onSkip`), and folder-marker objects that hold bytes.
   */
  notes: string[];
}

/**
 * Every file below `localDir` against every object below `prefix` (taken as a folder: `data` means
 * `data/`; '' is the bucket root). Folder-marker objects (keys ending with '/') are not files and are
 * skipped. Results are sorted by relative path. Rejects on cancellation and on errors that concern the
 * whole comparison (bad credentials, access denied, missing bucket, listing failures).
 */
export async function compareFolder(deps: CompareDeps, target: FolderTarget): Promise<FileResult[]> {
  return (await compareFolderWithNotes(deps, target)).results;
}

/** `compareFolder`, and the notes on what it left out (see `FolderComparison`). */
export async function compareFolderWithNotes(deps: CompareDeps, target: FolderTarget): Promise<FolderComparison> {
  const { signal } = deps;
  const prefix = folderPrefix(target.prefix);
  const notes: string[] = [];
  deps.onProgress?.('Listing local files and remote objects…');
  const [localFiles, objects] = await Promise.all([
    localFilesUnder(target.localDir, deps, notes),
    listAllObjects(deps.store, target.bucket, prefix, signal, 1000),
  ]);

  const remoteByRel = new Map<string, ObjectInfo>();
  for (const o of objects) {
    if (!o.key.endsWith('/')) remoteByRel.set(o.key.slice(prefix.length), o);
    // Not a file anywhere (no local name can end in '/'), but bytes nobody would see otherwise.
    else if (o.size > 0) notes.push(`passed over ${o.key}: a folder marker (key ending in "/") that holds ${o.size} byte${o.size === 1 ? '' : 's'}`);
  }
  const localByRel = new Map<string, { path: string; size: number }>();
  for (const f of localFiles) localByRel.set(toPosix(relative(target.localDir, f.path)), { path: f.path, size: f.size });

  const results: FileResult[] = [];
  const pairs: Pair[] = [];
  for (const [rel, local] of localByRel) {
    const remote = remoteByRel.get(rel);
    const base = { relativePath: rel, localPath: local.path, key: prefix + rel, localSize: local.size };
    if (!remote) results.push({ ...base, ...classify(local, undefined) });
    else if (remote.size !== local.size) results.push({ ...base, remoteSize: remote.size, ...classify(local, remote) });
    else pairs.push({ rel, localPath: local.path, key: remote.key, localSize: local.size });
  }
  for (const [rel, remote] of remoteByRel) {
    if (localByRel.has(rel)) continue;
    results.push({ relativePath: rel, localPath: join(target.localDir, ...rel.split('/')), key: remote.key, remoteSize: remote.size, ...classify(undefined, remote) });
  }
  results.push(...(await comparePairs(deps, target.bucket, pairs)));
  throwIfAborted(signal);
  return { results: results.sort(byPath), notes };
}

/** Same-size pairs: HEAD each object for its CRC, hash the files whose object has one, compare. */
async function comparePairs(deps: CompareDeps, bucket: string, pairs: readonly Pair[]): Promise<FileResult[]> {
  const { signal } = deps;
  const heads = new Map<Pair, ObjectInfo | Error | undefined>();
  let headed = 0;
  await runLimited(
    pairs,
    deps.concurrency ?? 8,
    async (pair, laneSignal) => {
      try {
        heads.set(pair, await deps.store.head(bucket, pair.key, { signal: laneSignal }));
      } catch (err) {
        if (signal?.aborted || isCancelled(err)) throw new CancelledError();
        if (isFatal(err)) throw err;
        heads.set(pair, isNotFound(err) ? undefined : (err as Error));
      }
      deps.onProgress?.(`Checking remote objects ${++headed}/${pairs.length}`);
    },
    { signal },
  );

  const remoteCrc = (head: ObjectInfo): string | undefined => head.crc64 ?? deps.downloadedCrc?.(head.key, head);
  const toHash = pairs.filter((p) => {
    const h = heads.get(p);
    return h && !(h instanceof Error) && h.size === p.localSize && remoteCrc(h) !== undefined;
  });
  const hashes = new Map<Pair, HashOutcome>();
  if (toHash.length > 0) {
    const hasher = deps.hashFiles ?? streamHasher;
    const outcomes = await hasher(
      toHash.map((p) => p.localPath),
      signal,
      (done, total) => deps.onProgress?.(`Hashing local files ${percent(done, total)}`),
    );
    outcomes.forEach((o, i) => hashes.set(toHash[i], o));
  }

  return pairs.map((pair) => {
    const base = { relativePath: pair.rel, localPath: pair.localPath, key: pair.key, localSize: pair.localSize };
    const head = heads.get(pair);
    if (head === undefined) return { ...base, ...classify({ size: pair.localSize }, undefined) };
    if (head instanceof Error) return { ...base, status: 'error' as const, detail: head.message };
    const crc = remoteCrc(head);
    const withRemote = {
      ...base,
      remoteSize: head.size,
      ...(crc ? { remoteCrc64: crc, remoteCrcSource: head.crc64 ? ('service' as const) : ('download' as const) } : {}),
    };
    const hash = hashes.get(pair);
    if (hash?.error) return { ...withRemote, status: 'error' as const, detail: hash.error.message };
    const localCrc64 = hash?.crc64 !== undefined ? hash.crc64.toString(10) : undefined;
    // The file may have changed between stat and hash: what was hashed is the truth.
    const localSize = hash?.size ?? pair.localSize;
    return { ...withRemote, localSize, ...(localCrc64 ? { localCrc64 } : {}), ...classify({ size: localSize, crc64: localCrc64 }, { size: head.size, crc64: crc }) };
  });
}

/**
 * One local file against one object. A missing object is `missing-remote`, a missing file
 * `missing-local`; both missing, or a path that is not a file, is `error`.
 */
export async function compareFile(deps: CompareDeps, target: { localPath: string; bucket: string; key: string }): Promise<FileResult> {
  const name = target.key.slice(target.key.lastIndexOf('/') + 1);
  const base = { relativePath: name, localPath: target.localPath, key: target.key };
  let localSize: number | undefined;
  try {
    const s = await stat(target.localPath);
    if (!s.isFile()) return { ...base, status: 'error', detail: 'not a file' };
    localSize = s.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { ...base, status: 'error', detail: (err as Error).message };
  }
  if (localSize === undefined) {
    try {
      const head = await deps.store.head(target.bucket, target.key, { signal: deps.signal });
      return { ...base, remoteSize: head.size, ...(head.crc64 ? { remoteCrc64: head.crc64, remoteCrcSource: 'service' as const } : {}), ...classify(undefined, head) };
    } catch (err) {
      if (deps.signal?.aborted || isCancelled(err)) throw new CancelledError();
      if (isNotFound(err)) return { ...base, status: 'error', detail: 'neither the file nor the object exists' };
      throw err;
    }
  }
  const [result] = await comparePairs(deps, target.bucket, [{ rel: name, localPath: target.localPath, key: target.key, localSize }]);
  return result;
}

export interface RemoteCrcResult {
  /** CRC-64 of the bytes downloaded, unsigned decimal. */
  crc64: string;
  size: number;
  /** The service's own CRC-64, when the object has one (to show both). */
  serviceCrc64?: string;
  info: ObjectInfo;
}

export interface RemoteCrcOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
  /** Each chunk as it is hashed (to keep the bytes); throwing stops the download with that error. */
  onChunk?(chunk: Uint8Array, info: ObjectInfo): void;
}

/**
 * CRC-64 of an object computed by streaming it through the engine (never written to disk), for objects
 * stored without one. Accepts `(store, bucket, key, signal, onProgress)` or `(store, bucket, key, options)`.
 */
export async function computeRemoteCrc64(
  store: Pick<ObjectStore, 'get'>,
  bucket: string,
  key: string,
  signalOrOptions?: AbortSignal | RemoteCrcOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<RemoteCrcResult> {
  const options: RemoteCrcOptions =
    signalOrOptions === undefined || signalOrOptions instanceof AbortSignal ? { signal: signalOrOptions, onProgress } : signalOrOptions;
  const { signal } = options;
  const { info, body } = await store.get(bucket, key, { signal });
  const hasher = new Crc64Hasher();
  try {
    for await (const chunk of body) {
      hasher.update(chunk as Uint8Array);
      options.onChunk?.(chunk as Uint8Array, info);
      options.onProgress?.(hasher.length, info.size);
    }
  } catch (err) {
    body.destroy();
    if (signal?.aborted || isCancelled(err)) throw new CancelledError();
    throw err;
  }
  throwIfAborted(signal);
  if (hasher.length !== info.size) {
    throw new StorageError(
      'network',
      `The download of ${key} ended after ${hasher.length} of ${info.size} bytes.`,
      'Retry; check the network connection if it keeps happening.',
    );
  }
  return { crc64: hasher.digestDecimal(), size: hasher.length, ...(info.crc64 ? { serviceCrc64: info.crc64 } : {}), info };
}
