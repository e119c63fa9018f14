import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { LocalHasher } from '../crc/hashers';
import type { ObjectInfo, ObjectStore } from '../storage/types';
import { folderPrefix, listAllObjects } from '../storage/listing';
import { throwIfAborted } from '../util/errors';
import { describeSkip, walkLocalFiles, type LocalFile, type SkipReason } from '../util/walk';
import { checkPairs } from './check/engine';
import { CheckMeter, type CheckProgress } from './check/progress';
import { headSource, withDownloadedCrcs, type RemoteCrcSource } from './check/source';
import type { CheckPair, CheckResult } from './check/types';
import { countVerdicts, judge, type Verdict, type VerdictCounts } from './verdict';

/** `prefix` as a folder (re-exported: callers of the comparison name prefixes the same way). */
export { folderPrefix };

/**
 * Compare: local files against the objects they correspond to, like `rclone check` — the small case of
 * the one check engine (`./check/engine`). This module only finds the pairs (a folder walk and a
 * listing, or one file and one key); the engine asks the remote source (a HEAD per object by default:
 * listings carry no CRC-64), hashes and judges. Sizes are compared first: a size difference settles a
 * mismatch without hashing or a HEAD.
 */

/** One file's result: the check engine's result, always with its local path (where it would be, when missing). */
export type FileResult = CheckResult & { localPath: string };

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
export function classify(
  local: { size: number; crc64?: string } | undefined,
  remote: { size: number; crc64?: string } | undefined,
): { status: Verdict; detail?: string } {
  const { verdict, detail } = judge({ local, remote });
  return detail === undefined ? { status: verdict } : { status: verdict, detail };
}

/** Counts per verdict, and the total. */
export function summarize(results: readonly FileResult[]): VerdictCounts {
  return countVerdicts(results);
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
    else if (o.size > 0)
      notes.push(`passed over ${o.key}: a folder marker (key ending in "/") that holds ${o.size} byte${o.size === 1 ? '' : 's'}`);
  }
  const pairs: CheckPair[] = [];
  const localRels = new Set<string>();
  for (const f of localFiles) {
    const rel = toPosix(relative(target.localDir, f.path));
    localRels.add(rel);
    pairs.push({ path: rel, key: prefix + rel, local: { path: f.path, size: f.size }, listed: remoteByRel.get(rel) ?? null });
  }
  for (const [rel, remote] of remoteByRel) {
    if (!localRels.has(rel))
      pairs.push({ path: rel, key: remote.key, missingLocalPath: join(target.localDir, ...rel.split('/')), listed: remote });
  }
  const results = await check(deps, target.bucket, pairs);
  throwIfAborted(signal);
  return { results: results.sort(byPath), notes };
}

/** The engine over `pairs`, with Compare's source (HEAD, plus CRC-64s computed by downloading) and progress. */
async function check(deps: CompareDeps, bucket: string, pairs: CheckPair[]): Promise<FileResult[]> {
  let remote = deps.remote ?? headSource(deps.store, bucket, deps.concurrency ?? 8);
  if (deps.downloadedCrc) remote = withDownloadedCrcs(remote, deps.downloadedCrc);
  const results = await checkPairs(pairs, {
    remote,
    sizesFirst: true,
    signal: deps.signal,
    ...(deps.hashFiles ? { hashFiles: deps.hashFiles } : {}),
    ...(deps.onProgress ? { meter: new CheckMeter(deps.onProgress) } : {}),
  });
  return results as FileResult[];
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
  // Without a file, the pair is the object alone: asked of the source like any other.
  const local = localSize === undefined ? { missingLocalPath: target.localPath } : { local: { path: target.localPath, size: localSize } };
  const [result] = await check(deps, target.bucket, [{ path: name, key: target.key, ...local }]);
  return result ?? { ...base, ...classify(undefined, undefined) };
}
