import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from '../util/errors';
import type { LocalCrcs } from './localCrcs';
import type { KernelName } from './kernel';
import {
  applyResults,
  combineParts,
  type FileState,
  type Job,
  type PlanLimits,
  planTasks,
  planUnstated,
  statAll,
  type Task,
} from './poolJobs';
import { WorkerSet } from './poolWorkers';

/**
 * A pool of `worker_threads` that compute CRC-64 of files.
 *
 * A large file is split into ranges hashed in parallel (positioned reads into a buffer each worker
 * reuses) and the range values are joined with `crc64Combine`, so no file is ever held in memory.
 * Small files are batched and spread over the workers. Workers start on first use, are unref'd
 * while idle (an idle pool never keeps a process alive), and are terminated by `dispose()`.
 *
 * This file holds the public API and the calls' life; `poolJobs.ts` plans and combines the work,
 * `poolWorkers.ts` runs the workers and the queue.
 */

export interface HashPoolOptions {
  /** Worker threads; default one per available core. */
  workers?: number;
  /** Files larger than this are split into ranges hashed in parallel (default 32 MiB). */
  rangeSize?: number;
  /** Bytes per positioned read (default 1 MiB). */
  readSize?: number;
  /** The worker script; default dist/crc-worker.js next to the running bundle. */
  workerPath?: string;
  /** Force a kernel in the workers (tests, benchmarks); default WASM when available. */
  kernel?: KernelName;
}

export interface HashOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far and the total, in bytes. */
  onProgress?(done: number, total: number): void;
  /** Remembered values it trusts come from here, and new values go into it. */
  cache?: LocalCrcs;
}

export interface HashResult {
  path: string;
  size: number;
  crc64: bigint;
}

export interface HashFailure {
  path: string;
  error: Error;
}

export interface HashPool {
  /** Number of worker threads the pool may run. */
  readonly size: number;
  /** CRC-64 of one file; rejects with the file's error, or `CancelledError` on abort. */
  hashFile(path: string, options?: HashOptions): Promise<HashResult>;
  /** CRC-64 of many files, in the order given; a file that fails gets `{ path, error }`. */
  hashFiles(paths: readonly string[], options?: HashOptions): Promise<Array<HashResult | HashFailure>>;
  /**
   * `hashFiles` for paths a folder walk has just found: nothing is stat'ed on this thread, each file is
   * stat'ed by the worker that opens it (one system call per file instead of three), so the progress
   * total grows as sizes become known. A path that is no regular file fails as in `hashFiles`.
   */
  hashWalked(paths: readonly string[], options?: HashOptions): Promise<Array<HashResult | HashFailure>>;
  /** Terminates the workers; pending work rejects with `CancelledError`. Safe to call twice. */
  dispose(): void;
}

const MiB = 1024 * 1024;
const DEFAULT_RANGE = 32 * MiB;
const DEFAULT_READ = MiB;

export function isHashFailure(r: HashResult | HashFailure): r is HashFailure {
  return 'error' in r;
}

export function createHashPool(options: HashPoolOptions = {}): HashPool {
  return new WorkerHashPool(options);
}

function outcomeOf(f: FileState): HashResult | HashFailure {
  return f.error ? { path: f.path, error: f.error } : { path: f.path, size: f.size, crc64: combineParts(f) };
}

/**
 * dist/crc-worker.js next to the running bundle (dist/extension.js, dist/cli.js, dist/bench.js); from
 * the sources (tests) the built one in dist/.
 */
export function defaultWorkerPath(): string {
  const candidates = [join(__dirname, 'crc-worker.js'), join(__dirname, '..', '..', 'dist', 'crc-worker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

class WorkerHashPool implements HashPool {
  readonly size: number;
  private readonly limits: PlanLimits;
  private readonly workers: WorkerSet;
  private readonly jobs = new Set<Job>();
  private nextId = 1;
  private disposed = false;

  constructor(options: HashPoolOptions) {
    const workers = options.workers && options.workers > 0 ? Math.floor(options.workers) : availableParallelism();
    this.size = Math.max(1, workers);
    this.limits = { workers: this.size, rangeSize: Math.max(MiB, options.rangeSize ?? DEFAULT_RANGE) };
    this.workers = new WorkerSet({
      size: this.size,
      readSize: Math.max(64 * 1024, options.readSize ?? DEFAULT_READ),
      workerPath: options.workerPath ?? defaultWorkerPath(),
      kernel: options.kernel,
      onResults: (task, results) => this.onResults(task, results),
      onStartFailure: (err) => {
        for (const job of [...this.jobs]) this.finish(job, err);
      },
    });
  }

  async hashFile(path: string, options: HashOptions = {}): Promise<HashResult> {
    const [result] = await this.hashFiles([path], options);
    if (isHashFailure(result)) throw result.error;
    return result;
  }

  async hashFiles(paths: readonly string[], options: HashOptions = {}): Promise<Array<HashResult | HashFailure>> {
    const { cache, ...rest } = options;
    if (cache)
      return cache.hash(
        paths,
        (misses, signal, onProgress) => this.hashFiles(misses, { ...rest, signal, onProgress }),
        rest.signal,
        rest.onProgress,
      );
    this.throwIfUnusable(options.signal);
    const stats = await statAll(paths, options.signal);
    this.throwIfUnusable(options.signal);

    const out: Array<HashResult | HashFailure | undefined> = new Array(paths.length);
    const files: FileState[] = [];
    const fileIndex: number[] = [];
    paths.forEach((path, i) => {
      const s = stats[i];
      if (s instanceof Error) {
        out[i] = { path, error: s };
      } else if (!s.isFile()) {
        out[i] = { path, error: Object.assign(new Error(l10n.t('{0} is not a regular file', path)), { code: 'EISDIR' }) };
      } else {
        files.push({ path, size: s.size, mtimeMs: s.mtimeMs, parts: [], starts: [], remaining: 0 });
        fileIndex.push(i);
      }
    });

    if (files.length > 0) {
      await this.run(files, planTasks, options);
      files.forEach((f, k) => (out[fileIndex[k]] = outcomeOf(f)));
    }
    return out as Array<HashResult | HashFailure>;
  }

  async hashWalked(paths: readonly string[], options: HashOptions = {}): Promise<Array<HashResult | HashFailure>> {
    const { cache, ...rest } = options;
    if (cache)
      return cache.hash(
        paths,
        (misses, signal, onProgress) => this.hashWalked(misses, { ...rest, signal, onProgress }),
        rest.signal,
        rest.onProgress,
      );
    this.throwIfUnusable(options.signal);
    const files: FileState[] = paths.map((path) => ({ path, size: 0, mtimeMs: 0, parts: [undefined], starts: [0], remaining: 1 }));
    if (files.length > 0) await this.run(files, planUnstated, options);
    return files.map(outcomeOf);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of [...this.jobs]) this.finish(job, new CancelledError('The hash pool was disposed'));
    this.workers.terminate();
  }

  private throwIfUnusable(signal?: AbortSignal): void {
    if (this.disposed) throw new CancelledError('The hash pool was disposed');
    if (signal?.aborted) throw new CancelledError();
  }

  private onResults(task: Task, results: Parameters<typeof applyResults>[1]): void {
    const job = task.job;
    if (job.finished) return;
    const total = job.total;
    const { more, last } = applyResults(task, results, this.limits);
    if (job.total !== total) job.onProgress?.(Math.min(job.done, job.total), job.total);
    if (more.length > 0) {
      for (const t of more) t.id = this.nextId++;
      this.workers.push(more);
    }
    if (last) this.finish(job);
  }

  /** Plans the work for `files`, queues it, and resolves when every file has a value or an error. */
  private run(files: FileState[], plan: (job: Job, limits: PlanLimits) => Task[], options: HashOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const job: Job = {
        files,
        total: files.reduce((sum, f) => sum + f.size, 0),
        done: 0,
        openTasks: 0,
        onProgress: options.onProgress,
        finished: false,
        resolve,
        reject,
      };
      const tasks = plan(job, this.limits);
      for (const t of tasks) t.id = this.nextId++;
      job.openTasks = tasks.length;
      if (tasks.length === 0) {
        resolve();
        return;
      }
      const signal = options.signal;
      if (signal) {
        const onAbort = () => this.finish(job, new CancelledError());
        signal.addEventListener('abort', onAbort, { once: true });
        const done = () => signal.removeEventListener('abort', onAbort);
        job.resolve = () => (done(), resolve());
        job.reject = (err) => (done(), reject(err));
      }
      this.jobs.add(job);
      options.onProgress?.(0, job.total);
      this.workers.push(tasks);
    });
  }

  /** Settles a job once: resolves when all its tasks are done, rejects on cancel/dispose/fatal error. */
  private finish(job: Job, err?: Error): void {
    if (job.finished) return;
    job.finished = true;
    this.jobs.delete(job);
    if (!err) {
      job.resolve();
      return;
    }
    // Queued tasks of this job are dropped by the queue; running ones are told to stop.
    this.workers.stop(job);
    job.reject(err);
  }
}
