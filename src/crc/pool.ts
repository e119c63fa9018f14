import { existsSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../util/errors';
import { runLimited } from '../util/concurrency';
import type { CrcCache } from './cache';
import { crc64Combine } from './combine';
import { FileChangedError } from './errors';
import type { KernelName } from './kernel';
import type { ItemResult, TaskMessage, WireError, WorkerInit, WorkerMessage, WorkItem } from './protocol';

/**
 * A pool of `worker_threads` that compute CRC-64 of files.
 *
 * A large file is split into ranges hashed in parallel (positioned reads into a buffer each worker
 * reuses) and the range values are joined with `crc64Combine`, so no file is ever held in memory.
 * Small files are batched and spread over the workers. Workers start on first use, are unref'd
 * while idle (an idle pool never keeps a process alive), and are terminated by `dispose()`.
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
  /** Values for unchanged files come from here, and new values go into it. */
  cache?: CrcCache;
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
  /** Terminates the workers; pending work rejects with `CancelledError`. Safe to call twice. */
  dispose(): void;
}

const MiB = 1024 * 1024;
const DEFAULT_RANGE = 32 * MiB;
const DEFAULT_READ = MiB;
/** A file is split across all workers once each would get at least this much. */
const MIN_SPLIT_RANGE = 4 * MiB;
/** At most this many small files go to a worker in one message. */
const MAX_BATCH_FILES = 64;
const STAT_CONCURRENCY = 32;

export function isHashFailure(r: HashResult | HashFailure): r is HashFailure {
  return 'error' in r;
}

export function createHashPool(options: HashPoolOptions = {}): HashPool {
  return new WorkerHashPool(options);
}

/**
 * dist/crc-worker.js next to the running bundle (dist/extension.js, dist/cli.js, dist/bench.js); from
 * the sources (tests) the built one in dist/.
 */
export function defaultWorkerPath(): string {
  const candidates = [join(__dirname, 'crc-worker.js'), join(__dirname, '..', '..', 'dist', 'crc-worker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

interface Task {
  id: number;
  items: WorkItem[];
  job: Job;
  /** Index in `job.files` of each item's file. */
  files: number[];
}

interface FileState {
  path: string;
  size: number;
  mtimeMs: number;
  /** Range values in order; filled as workers finish. */
  parts: Array<bigint | undefined>;
  /** Where each of `parts` starts, to find a part from an item. */
  starts: number[];
  remaining: number;
  error?: Error;
}

interface Job {
  files: FileState[];
  total: number;
  done: number;
  openTasks: number;
  options: HashOptions;
  finished: boolean;
  resolve(): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  control: Int32Array;
  task?: Task;
  ready: boolean;
}

class WorkerHashPool implements HashPool {
  readonly size: number;
  private readonly rangeSize: number;
  private readonly readSize: number;
  private readonly workerPath: string;
  private readonly kernel?: KernelName;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly jobs = new Set<Job>();
  private nextId = 1;
  private disposed = false;

  constructor(options: HashPoolOptions) {
    const workers = options.workers && options.workers > 0 ? Math.floor(options.workers) : availableParallelism();
    this.size = Math.max(1, workers);
    this.rangeSize = Math.max(MiB, options.rangeSize ?? DEFAULT_RANGE);
    this.readSize = Math.max(64 * 1024, options.readSize ?? DEFAULT_READ);
    this.workerPath = options.workerPath ?? defaultWorkerPath();
    this.kernel = options.kernel;
  }

  async hashFile(path: string, options: HashOptions = {}): Promise<HashResult> {
    const [result] = await this.hashFiles([path], options);
    if (isHashFailure(result)) throw result.error;
    return result;
  }

  async hashFiles(paths: readonly string[], options: HashOptions = {}): Promise<Array<HashResult | HashFailure>> {
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
        out[i] = { path, error: Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' }) };
      } else {
        const cached = options.cache?.get(path, s);
        if (cached !== undefined) {
          out[i] = { path, size: s.size, crc64: cached };
        } else {
          files.push({ path, size: s.size, mtimeMs: s.mtimeMs, parts: [], starts: [], remaining: 0 });
          fileIndex.push(i);
        }
      }
    });

    if (files.length > 0) {
      await this.run(files, options);
      files.forEach((f, k) => {
        const i = fileIndex[k];
        if (f.error) {
          out[i] = { path: f.path, error: f.error };
          return;
        }
        let crc = 0n;
        f.parts.forEach((part, p) => {
          const len = (p + 1 < f.starts.length ? f.starts[p + 1] : f.size) - f.starts[p];
          crc = p === 0 ? part! : crc64Combine(crc, part!, len);
        });
        out[i] = { path: f.path, size: f.size, crc64: crc };
        const s = stats[i];
        if (options.cache && !(s instanceof Error)) options.cache.set(f.path, s, crc);
      });
    }
    return out as Array<HashResult | HashFailure>;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of [...this.jobs]) this.finish(job, new CancelledError('The hash pool was disposed'));
    this.queue.length = 0;
    for (const slot of this.slots) void slot.worker.terminate();
    this.slots.length = 0;
  }

  private throwIfUnusable(signal?: AbortSignal): void {
    if (this.disposed) throw new CancelledError('The hash pool was disposed');
    if (signal?.aborted) throw new CancelledError();
  }

  /** Plans the work for `files`, queues it, and resolves when every file has a value or an error. */
  private run(files: FileState[], options: HashOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const job: Job = {
        files,
        total: files.reduce((sum, f) => sum + f.size, 0),
        done: 0,
        openTasks: 0,
        options,
        finished: false,
        resolve,
        reject,
      };
      const tasks = this.plan(job);
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
      this.queue.push(...tasks);
      this.pump();
    });
  }

  private plan(job: Job): Task[] {
    const tasks: Task[] = [];
    const small: number[] = [];
    let smallBytes = 0;
    job.files.forEach((f, fi) => {
      let ranges = Math.ceil(f.size / this.rangeSize);
      if (ranges < this.size && f.size >= this.size * MIN_SPLIT_RANGE) ranges = this.size;
      if (ranges <= 1) {
        f.starts = [0];
        f.parts = [undefined];
        f.remaining = 1;
        small.push(fi);
        smallBytes += f.size;
        return;
      }
      const step = Math.ceil(f.size / ranges);
      for (let start = 0; start < f.size; start += step) {
        const end = Math.min(f.size, start + step);
        f.starts.push(start);
        f.parts.push(undefined);
        tasks.push({ id: 0, job, items: [{ path: f.path, start, end, size: f.size, mtimeMs: f.mtimeMs }], files: [fi] });
      }
      f.remaining = f.starts.length;
    });
    // Small files in batches sized so every worker gets several: fewer messages, still balanced.
    const batchBytes = Math.min(this.rangeSize, Math.max(256 * 1024, smallBytes / (this.size * 4)));
    let batch: Task | undefined;
    let bytes = 0;
    for (const fi of small) {
      const f = job.files[fi];
      if (!batch || batch.items.length >= MAX_BATCH_FILES || bytes + f.size > batchBytes) {
        batch = { id: 0, job, items: [], files: [] };
        tasks.push(batch);
        bytes = 0;
      }
      batch.items.push({ path: f.path, start: 0, end: f.size, size: f.size, mtimeMs: f.mtimeMs });
      batch.files.push(fi);
      bytes += f.size;
    }
    for (const t of tasks) t.id = this.nextId++;
    return tasks;
  }

  /** Hands queued tasks to idle workers, starting workers up to the pool size. */
  private pump(): void {
    while (this.queue.length > 0) {
      if (this.queue[0].job.finished) {
        this.queue.shift();
        continue;
      }
      const idle = this.slots.find((s) => s.ready && !s.task);
      if (idle) {
        const task = this.queue.shift()!;
        idle.task = task;
        idle.worker.ref();
        const message: TaskMessage = { id: task.id, items: task.items };
        idle.worker.postMessage(message);
        continue;
      }
      const starting = this.slots.filter((s) => !s.ready).length;
      if (this.slots.length < this.size && starting < this.queue.length) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  private spawn(): Slot {
    const control = new SharedArrayBuffer(4);
    const workerData: WorkerInit = { readSize: this.readSize, control, ...(this.kernel ? { kernel: this.kernel } : {}) };
    const worker = new Worker(this.workerPath, { workerData });
    const slot: Slot = { worker, control: new Int32Array(control), ready: false };
    this.slots.push(slot);
    worker.on('message', (msg: WorkerMessage) => this.onMessage(slot, msg));
    worker.on('error', (err) => this.onWorkerLost(slot, err));
    worker.on('exit', (code) => {
      if (!this.disposed) this.onWorkerLost(slot, new Error(`A CRC-64 worker exited unexpectedly (code ${code})`));
    });
    return slot;
  }

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    switch (msg.type) {
      case 'ready':
        slot.ready = true;
        slot.worker.unref();
        this.pump();
        return;
      case 'progress': {
        const job = slot.task?.id === msg.id ? slot.task.job : undefined;
        if (job && !job.finished) {
          job.done += msg.bytes;
          job.options.onProgress?.(Math.min(job.done, job.total), job.total);
        }
        return;
      }
      case 'cancelled':
      case 'done': {
        const task = slot.task;
        slot.task = undefined;
        slot.worker.unref();
        if (task && task.id === msg.id && msg.type === 'done') this.complete(task, msg.results);
        this.pump();
        return;
      }
    }
  }

  private complete(task: Task, results: ItemResult[]): void {
    const job = task.job;
    if (job.finished) return;
    task.items.forEach((item, k) => {
      const file = job.files[task.files[k]];
      const r = results[k];
      if ('error' in r) {
        file.error ??= fromWire(r.error);
      } else {
        file.parts[file.starts.indexOf(item.start)] = r.crc;
      }
      file.remaining--;
    });
    job.openTasks--;
    if (job.openTasks === 0) this.finish(job);
  }

  /** A worker died (crash, or killed): its task's files fail, and a fresh worker replaces it on demand. */
  private onWorkerLost(slot: Slot, err: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    void slot.worker.terminate();
    const task = slot.task;
    slot.task = undefined;
    if (task) this.complete(task, task.items.map(() => ({ error: { name: err.name, message: err.message } })));
    // A worker that cannot even start would fail every task the same way: fail the queue too.
    if (!slot.ready) {
      for (const job of [...this.jobs]) this.finish(job, err);
      this.queue.length = 0;
      return;
    }
    this.pump();
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
    // Queued tasks of this job are dropped by pump(); running ones are told to stop.
    for (const slot of this.slots) {
      if (slot.task?.job === job) Atomics.store(slot.control, 0, slot.task.id);
    }
    job.reject(err);
  }
}

function fromWire(e: WireError): Error {
  if (e.name === 'FileChangedError') return new FileChangedError(e.message);
  const err = new Error(e.message);
  if (e.name && e.name !== 'Error') err.name = e.name;
  if (e.code) (err as NodeJS.ErrnoException).code = e.code;
  return err;
}

type StatResult = Stats;

async function statAll(paths: readonly string[], signal?: AbortSignal): Promise<Array<StatResult | Error>> {
  const out: Array<StatResult | Error> = new Array(paths.length);
  await runLimited(
    paths.map((path, i) => ({ path, i })),
    STAT_CONCURRENCY,
    async ({ path, i }) => {
      try {
        out[i] = await stat(path);
      } catch (err) {
        out[i] = err instanceof Error ? err : new Error(String(err));
      }
    },
    { signal },
  );
  return out;
}
