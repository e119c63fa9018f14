import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Crc64Hasher } from '../../crc/crc64';
import { walkFiles } from '../../crc/walk';
import type { BadgeStatus } from '../../integrity/badgeStore';
import { StorageError } from '../../storage/errors';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { CancelledError, isCancelled, throwIfAborted } from '../../util/errors';

/**
 * "Compare with Remote" without the editor: local files against the objects they map to, like
 * `rclone check`. Local CRCs come from the engine (and its cache); remote CRCs from HEAD (listings carry
 * none), with bounded concurrency. Sizes that differ settle a mismatch without hashing or HEAD.
 */

export type FileStatus = BadgeStatus | 'error';

export interface FileResult {
  /** Path relative to the compared folder (POSIX separators); the file name for a single file. */
  relativePath: string;
  /** Absolute local path (also for a file missing locally: where it would be). */
  localPath: string;
  key: string;
  status: FileStatus;
  localSize?: number;
  remoteSize?: number;
  localCrc64?: string;
  remoteCrc64?: string;
  remoteCrcSource?: 'service' | 'download';
  /** Why, in a few words (sizes that differ, the error's message). */
  detail?: string;
}

export interface HashOutcome {
  path: string;
  size?: number;
  crc64?: bigint;
  error?: Error;
}

export interface CompareDeps {
  store: Pick<ObjectStore, 'list' | 'head'>;
  /** CRC-64 of local files, in the order given (the worker pool with its cache in the extension). */
  hashFiles(paths: readonly string[], signal: AbortSignal | undefined, onProgress: (done: number, total: number) => void): Promise<HashOutcome[]>;
  /** HEADs at once. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Phase and counts, for a progress notification. */
  onProgress?(message: string): void;
  /**
   * A remote CRC-64 computed earlier by downloading the object, for objects stored without one; lets a
   * "no CRC" object be verified after "Compute Remote CRC-64 (download)".
   */
  downloadedCrc?(key: string, info: ObjectInfo): string | undefined;
}

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

async function mapLimit<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      throwIfAborted(signal);
      await run(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isNotFound(err: unknown): boolean {
  return (err instanceof StorageError && err.kind === 'no-such-key') || (err as { status?: number })?.status === 404;
}

async function listAll(store: CompareDeps['store'], bucket: string, prefix: string, signal?: AbortSignal): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.list(bucket, { prefix, pageToken, pageSize: 1000, signal });
    out.push(...page.objects);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

async function localFilesUnder(dir: string, signal?: AbortSignal): Promise<string[]> {
  try {
    return await walkFiles(dir, { signal, onError: () => undefined });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Every file below `localDir` against every object below `prefix` (a '/'-terminated prefix, or '' for
 * the bucket root). Folder-marker objects (keys ending with '/') are not files and are skipped.
 */
export async function compareFolder(deps: CompareDeps, target: { localDir: string; bucket: string; prefix: string }): Promise<FileResult[]> {
  const { signal } = deps;
  const prefix = target.prefix === '' || target.prefix.endsWith('/') ? target.prefix : `${target.prefix}/`;
  deps.onProgress?.('Listing local files and remote objects…');
  const [localPaths, objects] = await Promise.all([localFilesUnder(target.localDir, signal), listAll(deps.store, target.bucket, prefix, signal)]);

  const remoteByRel = new Map<string, ObjectInfo>();
  for (const o of objects) if (!o.key.endsWith('/')) remoteByRel.set(o.key.slice(prefix.length), o);
  const localByRel = new Map<string, { path: string; size: number }>();
  await mapLimit(localPaths, 32, signal, async (path) => {
    try {
      localByRel.set(toPosix(relative(target.localDir, path)), { path, size: (await stat(path)).size });
    } catch {
      // Gone since the walk: it is simply not there.
    }
  });

  const results = new Map<string, FileResult>();
  const both: string[] = [];
  for (const [rel, local] of localByRel) {
    const remote = remoteByRel.get(rel);
    const base = { relativePath: rel, localPath: local.path, key: prefix + rel, localSize: local.size };
    if (!remote) results.set(rel, { ...base, ...classify(local, undefined) });
    else if (remote.size !== local.size) results.set(rel, { ...base, remoteSize: remote.size, ...classify(local, remote) });
    else both.push(rel);
  }
  for (const [rel, remote] of remoteByRel) {
    if (localByRel.has(rel)) continue;
    const localPath = join(target.localDir, ...rel.split('/'));
    results.set(rel, { relativePath: rel, localPath, key: remote.key, remoteSize: remote.size, ...classify(undefined, remote) });
  }

  // Same size on both sides: HEAD for the remote CRC, hash locally, compare.
  const heads = new Map<string, ObjectInfo | Error>();
  let headed = 0;
  await mapLimit(both, deps.concurrency ?? 8, signal, async (rel) => {
    const key = prefix + rel;
    try {
      heads.set(rel, await deps.store.head(target.bucket, key, { signal }));
    } catch (err) {
      if (isCancelled(err) || signal?.aborted) throw new CancelledError();
      heads.set(rel, isNotFound(err) ? new StorageError('no-such-key', 'deleted during the comparison') : (err as Error));
    }
    deps.onProgress?.(`HEAD ${++headed}/${both.length}`);
  });
  const toHash = both.filter((rel) => {
    const h = heads.get(rel);
    return h && !(h instanceof Error) && (h.crc64 || deps.downloadedCrc?.(h.key, h));
  });
  const hashes = new Map<string, HashOutcome>();
  if (toHash.length > 0) {
    const paths = toHash.map((rel) => localByRel.get(rel)!.path);
    const outcomes = await deps.hashFiles(paths, signal, (done, total) => deps.onProgress?.(`Hashing ${percent(done, total)}`));
    outcomes.forEach((o, i) => hashes.set(toHash[i], o));
  }
  for (const rel of both) {
    const local = localByRel.get(rel)!;
    const base = { relativePath: rel, localPath: local.path, key: prefix + rel, localSize: local.size };
    const head = heads.get(rel)!;
    if (head instanceof Error) {
      results.set(
        rel,
        head instanceof StorageError && head.kind === 'no-such-key'
          ? { ...base, ...classify(local, undefined) }
          : { ...base, status: 'error', detail: head.message },
      );
      continue;
    }
    results.set(rel, pairResult(base, head, hashes.get(rel), deps));
  }
  throwIfAborted(signal);
  return [...results.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

function percent(done: number, total: number): string {
  return total > 0 ? `${Math.floor((done / total) * 100)}%` : '';
}

function pairResult(
  base: { relativePath: string; localPath: string; key: string; localSize: number },
  head: ObjectInfo,
  hash: HashOutcome | undefined,
  deps: CompareDeps,
): FileResult {
  const downloaded = head.crc64 ? undefined : deps.downloadedCrc?.(head.key, head);
  const remoteCrc64 = head.crc64 ?? downloaded;
  const remote = { size: head.size, crc64: remoteCrc64 };
  const withRemote = {
    ...base,
    remoteSize: head.size,
    ...(remoteCrc64 ? { remoteCrc64, remoteCrcSource: head.crc64 ? ('service' as const) : ('download' as const) } : {}),
  };
  if (hash?.error) return { ...withRemote, status: 'error', detail: hash.error.message };
  const localCrc64 = hash?.crc64 !== undefined ? hash.crc64.toString(10) : undefined;
  // The file may have changed size between stat and hash: the hash's size is the truth.
  const localSize = hash?.size ?? base.localSize;
  return { ...withRemote, localSize, ...(localCrc64 ? { localCrc64 } : {}), ...classify({ size: localSize, crc64: localCrc64 }, remote) };
}

/** One local file against one object. A missing object is `missing-remote`, a missing file `missing-local`. */
export async function compareFile(deps: CompareDeps, target: { localPath: string; bucket: string; key: string }): Promise<FileResult> {
  const { signal } = deps;
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
  let head: ObjectInfo | undefined;
  try {
    head = await deps.store.head(target.bucket, target.key, { signal });
  } catch (err) {
    if (isCancelled(err) || signal?.aborted) throw new CancelledError();
    if (!isNotFound(err)) return { ...base, ...(localSize !== undefined ? { localSize } : {}), status: 'error', detail: (err as Error).message };
  }
  if (localSize === undefined && !head) return { ...base, status: 'error', detail: 'neither the file nor the object exists' };
  if (localSize === undefined) return { ...base, remoteSize: head!.size, ...classify(undefined, head) };
  if (!head) return { ...base, localSize, ...classify({ size: localSize }, undefined) };
  const withSizes = { ...base, localSize };
  if (head.size !== localSize) return { ...withSizes, remoteSize: head.size, ...classify({ size: localSize }, head) };
  const canCheck = !!(head.crc64 || deps.downloadedCrc?.(head.key, head));
  let hash: HashOutcome | undefined;
  if (canCheck) {
    deps.onProgress?.(`Hashing ${name}`);
    [hash] = await deps.hashFiles([target.localPath], signal, (done, total) => deps.onProgress?.(`Hashing ${name} ${percent(done, total)}`));
  }
  return pairResult(withSizes, head, hash, deps);
}

/**
 * CRC-64 of an object computed by streaming it through the engine (never written to disk), for objects
 * stored without one. Also returns the service's CRC when the object has one, so both can be shown.
 */
export async function computeRemoteCrc64(
  store: Pick<ObjectStore, 'get'>,
  bucket: string,
  key: string,
  options: { signal?: AbortSignal; onProgress?(done: number, total: number): void } = {},
): Promise<{ crc64: string; size: number; serviceCrc64?: string; info: ObjectInfo }> {
  const { info, body } = await store.get(bucket, key, { signal: options.signal });
  const hasher = new Crc64Hasher();
  try {
    for await (const chunk of body) {
      throwIfAborted(options.signal);
      hasher.update(chunk as Uint8Array);
      options.onProgress?.(hasher.length, info.size);
    }
  } catch (err) {
    body.destroy();
    if (options.signal?.aborted) throw new CancelledError();
    throw err;
  }
  if (hasher.length !== info.size) {
    throw new StorageError('malformed-response', `The download of ${key} ended after ${hasher.length} of ${info.size} bytes.`, 'Try again.');
  }
  return { crc64: hasher.digestDecimal(), size: hasher.length, ...(info.crc64 ? { serviceCrc64: info.crc64 } : {}), info };
}
