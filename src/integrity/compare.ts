import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { streamHasher, type HashOutcome, type LocalHasher } from '../crc/hashers';
import { StorageError } from '../storage/errors';
import type { ObjectInfo, ObjectStore } from '../storage/types';
import { folderPrefix, listAllObjects } from '../storage/listing';
import { CancelledError, isCancelled, throwIfAborted } from '../util/errors';
import { describeSkip, walkLocalFiles, type LocalFile, type SkipReason } from '../util/walk';
import type { CheckProgress } from './progress';
import { headSource, type RemoteCrcSource, type RemoteFacts } from './remoteSource';
import { countVerdicts, judge, type Verdict, type VerdictCounts } from './verdict';

/** `prefix` as a folder (re-exported: callers of the comparison name prefixes the same way). */
export { folderPrefix };

/**
 * Local files against the objects they correspond to, like `rclone check`: every pair gets one verdict
 * of `./verdict` (`match`, `differ`, `only-local`, `only-remote`, `no-crc`, or `error` when a HEAD or a
 * read failed).
 *
 * Sizes are compared first: a size difference settles a mismatch without hashing or a HEAD. Remote CRCs
 * come from HEAD (listings carry none) with bounded concurrency; local CRCs from an injected hasher (the
 * worker pool with its cache in the extension and the CLI, a plain stream hasher by default).
 */

export interface FileResult {
  /** Path relative to the compared folder (POSIX separators); the file name for a single file. */
  relativePath: string;
  /** Absolute local path (for a file missing locally: where it would be). */
  localPath: string;
  key: string;
  status: Verdict;
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

export interface CompareDeps {
  store: Pick<ObjectStore, 'list' | 'head'>;
  /** Default: `streamHasher` (one file after the other, on this thread). */
  hashFiles?: LocalHasher;
  /** HEAD requests in flight at once (default 8). */
  concurrency?: number;
  /** Where the objects' CRC-64s come from (default: a HEAD per object, `concurrency` at once). */
  remote?: RemoteCrcSource;
  signal?: AbortSignal;
  /** Phase and counts, for a progress notification (numbers: the caller words them). */
  onProgress?(progress: CheckProgress): void;
  /**
   * A remote CRC-64 computed earlier by downloading the object, for objects stored without one, so a
   * "no CRC" object can be verified after `computeRemoteCrc64`.
   */
  downloadedCrc?(key: string, info: ObjectInfo): string | undefined;
  /** A local entry the walker's symlink policy left out (a link to a folder, a dangling link). */
  onSkip?(path: string, reason: SkipReason): void;
}

/** The verdict on a pair as a result's `status` and `detail`. */
export function classify(local: { size: number; crc64?: string } | undefined, remote: { size: number; crc64?: string } | undefined): { status: Verdict; detail?: string } {
  const { verdict, detail } = judge({ local, remote });
  return detail === undefined ? { status: verdict } : { status: verdict, detail };
}

/** Counts per verdict, and the total. */
export function summarize(results: readonly FileResult[]): VerdictCounts {
  return countVerdicts(results);
}

function isNotFound(err: unknown): boolean {
  return err instanceof StorageError && err.kind === 'no-such-key';
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function byPath(a: FileResult, b: FileResult): number {
  return a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
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
  deps.onProgress?.({ phase: 'list', done: 0 });
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
  const source = deps.remote ?? headSource(deps.store, bucket, deps.concurrency ?? 8);
  let headed = 0;
  const onEach = (): void => deps.onProgress?.({ phase: 'head', done: ++headed, total: pairs.length, heads: headed });
  const facts = pairs.length > 0 ? await source.facts(pairs.map((p) => p.key), { signal, onEach }) : new Map<string, RemoteFacts>();
  const heads = new Map<Pair, RemoteFacts>(pairs.map((p) => [p, facts.get(p.key)]));

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
      (done, total) => deps.onProgress?.({ phase: 'hash', done: 0, total: toHash.length, bytesDone: done, bytesTotal: total }),
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
 * One local file against one object. A missing object is `only-local`, a missing file `only-remote`;
 * both missing, or a path that is not a file, is `error`.
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
      if (isNotFound(err)) return { ...base, ...classify(undefined, undefined) };
      throw err;
    }
  }
  const [result] = await comparePairs(deps, target.bucket, [{ rel: name, localPath: target.localPath, key: target.key, localSize }]);
  return result;
}
