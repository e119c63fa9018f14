import { isCancelled } from '../util/errors';
import { type SkipReason, type WalkEntry, walkEntries } from '../util/walk';
import type { LocalCrcs } from './localCrcs';
import type { HashFailure, HashPool, HashResult } from './pool';

/**
 * CRC-64 of every file under some roots (files or folders), hashed while the folders are still being
 * walked: the one path of `bucket-integrity crc64` and Compute CRC-64.
 *
 * The walk (`walkEntries`, its symlink policy) hands files on in runs as folders are read; they go to
 * the pool in chunks with `hashWalked` (each file stat'ed once, by the worker that opens it) and a few
 * chunks are in flight at once, so the workers never wait for the walk and memory holds at most those
 * chunks however large the tree. Results come out in walk order, roots in the order given.
 */

export interface TreeProgress {
  /** Files with a result so far, and bytes hashed so far. */
  files: number;
  bytes: number;
  /**
   * `files` plus the hashed share (by bytes) of a file hashed on its own: moves through one large file
   * as well as through many small ones.
   */
  filesDone: number;
  /** Files the walk has found so far; the final count once `walking` is false. */
  found: number;
  walking: boolean;
}

export interface TreeHashOptions {
  signal?: AbortSignal;
  /** Remembered values it trusts come from here, and new values go into it (`LocalCrcs`). */
  cache?: LocalCrcs;
  /** A root that cannot be read, or a sub-folder or file the walk cannot read; without it the call rejects. */
  onError?(path: string, err: Error, root: number): void;
  /** An entry the symlink policy leaves out (a link to a folder, a dangling link, a socket…). */
  onSkip?(path: string, reason: SkipReason, root: number): void;
  onProgress?(progress: TreeProgress): void;
  /** Files per chunk handed to the pool (default 256). */
  chunkFiles?: number;
}

/** Chunks hashed at once: one running while the next waits queued behind it, and one filling. */
const CHUNKS_IN_FLIGHT = 3;
/**
 * Small enough that the files in flight (paths, file states, results) mostly die young instead of
 * filling the old generation (1,024 promoted 1.4× the bytes per file), large enough to keep every worker fed.
 */
const DEFAULT_CHUNK_FILES = 256;

interface Chunk {
  roots: number[];
  /** Bytes hashed so far and the bytes of its files sized so far (the pool's progress). */
  done: number;
  total: number;
  results: Promise<Array<HashResult | HashFailure>>;
}

/**
 * Hashes every file under `roots` and calls `onResult` for each (with the index of its root), in walk order; resolves once all have
 * been reported. A file that cannot be hashed is reported as a failure (`{ path, error }`), never thrown.
 * If the call fails (cancel, an error with no `onError`, `onResult` throwing), chunks already handed to
 * the pool finish unless `signal` aborts them.
 */
export async function hashTree(
  pool: HashPool,
  roots: readonly string[],
  onResult: (result: HashResult | HashFailure, root: number) => void | Promise<void>,
  options: TreeHashOptions = {},
): Promise<void> {
  const { signal, cache } = options;
  const chunkFiles = Math.max(1, options.chunkFiles ?? DEFAULT_CHUNK_FILES);
  const progress: TreeProgress = { files: 0, bytes: 0, filesDone: 0, found: 0, walking: true };
  const inFlight: Chunk[] = [];
  let doneBytes = 0;
  const report = (): void => {
    if (!options.onProgress) return;
    progress.bytes = doneBytes;
    progress.filesDone = progress.files;
    for (const c of inFlight) {
      progress.bytes += c.done;
      // Only a chunk of one file: in a larger one the total grows as its files are sized, so a share
      // of it would run ahead.
      if (c.roots.length === 1 && c.total > 0) progress.filesDone += c.done / c.total;
    }
    options.onProgress({ ...progress });
  };

  let paths: string[] = [];
  let pathRoots: number[] = [];
  const launch = (): void => {
    if (paths.length === 0) return;
    const chunk: Chunk = { roots: pathRoots, done: 0, total: 0, results: Promise.resolve([]) };
    const onProgress = (done: number, total: number): void => {
      chunk.done = done;
      chunk.total = total;
      report();
    };
    chunk.results = pool.hashWalked(paths, { signal, cache, onProgress });
    // Awaited in order below; until then a rejection (cancel) must not count as unhandled.
    chunk.results.catch(() => undefined);
    inFlight.push(chunk);
    paths = [];
    pathRoots = [];
  };
  const drainOne = async (): Promise<void> => {
    const chunk = inFlight[0];
    const results = await chunk.results;
    inFlight.shift();
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (!('error' in r)) doneBytes += r.size;
      progress.files++;
      await onResult(r, chunk.roots[i]);
    }
    report();
  };

  for (let root = 0; root < roots.length; root++) {
    const walk = walkEntries(roots[root], {
      signal,
      onError: options.onError ? (path, err) => options.onError!(path, err, root) : undefined,
      onSkip: options.onSkip ? (path, reason) => options.onSkip!(path, reason, root) : undefined,
    });
    for (;;) {
      let step: IteratorResult<WalkEntry[]>;
      try {
        step = await walk.next();
      } catch (err) {
        // Only the root's own errors get here when `onError` is given (the walk reports the rest).
        if (isCancelled(err) || !options.onError) throw err;
        options.onError(roots[root], err instanceof Error ? err : new Error(String(err)), root);
        break;
      }
      if (step.done) break;
      for (const entry of step.value) {
        paths.push(entry.path);
        pathRoots.push(root);
        progress.found++;
        if (paths.length >= chunkFiles) {
          launch();
          while (inFlight.length >= CHUNKS_IN_FLIGHT) await drainOne();
        }
      }
    }
  }
  launch();
  progress.walking = false;
  report();
  while (inFlight.length > 0) await drainOne();
}
