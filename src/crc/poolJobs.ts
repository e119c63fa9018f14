import { type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { runLimited } from '../util/concurrency';
import { crc64Combine } from './combine';
import { FileChangedError } from './errors';
import type { ItemResult, WireError, WorkItem } from './protocol';

/**
 * The hash pool's bookkeeping, free of workers: which files a call hashes, how they are cut into
 * tasks (ranges of a large file, batches of small ones), how task results land in their files, and
 * how a file's range values combine into its CRC-64.
 */

/** A file is split across all workers once each would get at least this much. */
const MIN_SPLIT_RANGE = 4 * 1024 * 1024;
/** At most this many small files go to a worker in one message. */
const MAX_BATCH_FILES = 64;
const STAT_CONCURRENCY = 32;

export interface Task {
  id: number;
  items: WorkItem[];
  job: Job;
  /** Index in `job.files` of each item's file. */
  files: number[];
}

export interface FileState {
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

/** The files of one `hashFiles` call while their tasks run. */
export interface Job {
  files: FileState[];
  total: number;
  done: number;
  openTasks: number;
  /** Reports bytes hashed so far and the total. */
  onProgress?(done: number, total: number): void;
  finished: boolean;
  resolve(): void;
  reject(err: Error): void;
}

export interface PlanLimits {
  /** Worker threads the pool may run. */
  workers: number;
  /** Files larger than this are split into ranges. */
  rangeSize: number;
}

/** Fills each file's ranges and returns the tasks for `job` (ids still 0: the pool numbers them). */
export function planTasks(job: Job, limits: PlanLimits): Task[] {
  const tasks: Task[] = [];
  const small: number[] = [];
  let smallBytes = 0;
  job.files.forEach((f, fi) => {
    if (f.size <= wholeUpTo(limits)) {
      f.starts = [0];
      f.parts = [undefined];
      f.remaining = 1;
      small.push(fi);
      smallBytes += f.size;
      return;
    }
    tasks.push(...splitFile(job, fi, limits));
  });
  tasks.push(...batchSmallFiles(job, small, smallBytes, limits));
  return tasks;
}

/** The largest file hashed whole by one worker; a larger one is split into ranges. */
export function wholeUpTo(limits: PlanLimits): number {
  return limits.workers > 1 ? Math.min(limits.rangeSize, limits.workers * MIN_SPLIT_RANGE - 1) : limits.rangeSize;
}

/** The range tasks of a file too large to hash whole. */
function splitFile(job: Job, fi: number, limits: PlanLimits): Task[] {
  const f = job.files[fi];
  const tasks: Task[] = [];
  let ranges = Math.ceil(f.size / limits.rangeSize);
  if (ranges < limits.workers && f.size >= limits.workers * MIN_SPLIT_RANGE) ranges = limits.workers;
  const step = Math.ceil(f.size / ranges);
  f.starts = [];
  f.parts = [];
  for (let start = 0; start < f.size; start += step) {
    const end = Math.min(f.size, start + step);
    f.starts.push(start);
    f.parts.push(undefined);
    tasks.push({ id: 0, job, items: [{ path: f.path, start, end, size: f.size, mtimeMs: f.mtimeMs }], files: [fi] });
  }
  f.remaining = f.starts.length;
  return tasks;
}

/**
 * Tasks for files nobody has stat'ed (a folder walk's): each goes to a worker whole, with its size
 * learnt there from the `fstat` of the open file; one too large to hash whole comes back with its size
 * and `applyResults` splits it. Batches are cut by count, as sizes are not known yet. Each file state
 * comes in as one whole part (`starts: [0]`, `parts: [undefined]`, `remaining: 1`).
 */
export function planUnstated(job: Job, limits: PlanLimits): Task[] {
  const tasks: Task[] = [];
  const limit = wholeUpTo(limits);
  const perBatch = Math.max(1, Math.min(MAX_BATCH_FILES, Math.ceil(job.files.length / (limits.workers * 4))));
  job.files.forEach((f, fi) => {
    let batch = tasks[tasks.length - 1];
    if (!batch || batch.items.length >= perBatch) {
      batch = { id: 0, job, items: [], files: [] };
      tasks.push(batch);
    }
    batch.items.push({ path: f.path, wholeUpTo: limit });
    batch.files.push(fi);
  });
  return tasks;
}

/** Small files in batches sized so every worker gets several: fewer messages, still balanced. */
function batchSmallFiles(job: Job, small: number[], smallBytes: number, limits: PlanLimits): Task[] {
  const tasks: Task[] = [];
  const batchBytes = Math.min(limits.rangeSize, Math.max(256 * 1024, smallBytes / (limits.workers * 4)));
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
  return tasks;
}

/**
 * Stores a task's results in its files. Returns the tasks still to run for them (the ranges of an
 * unstated file that came back too large to hash whole) and whether the job has no open task left.
 */
export function applyResults(task: Task, results: ItemResult[], limits: PlanLimits): { more: Task[]; last: boolean } {
  const job = task.job;
  const more: Task[] = [];
  task.items.forEach((item, k) => {
    const fi = task.files[k];
    const file = job.files[fi];
    const r = results[k];
    if ('error' in r) {
      file.error ??= fromWire(r.error);
    } else if ('large' in r) {
      file.size = r.large.size;
      file.mtimeMs = r.large.mtimeMs;
      job.total += file.size;
      const ranges = splitFile(job, fi, limits);
      more.push(...ranges);
      return;
    } else {
      if (r.size !== undefined) {
        file.size = r.size;
        file.mtimeMs = r.mtimeMs ?? file.mtimeMs;
        job.total += r.size;
      }
      file.parts[item.wholeUpTo === undefined ? file.starts.indexOf(item.start) : 0] = r.crc;
    }
    file.remaining--;
  });
  job.openTasks += more.length - 1;
  return { more, last: job.openTasks === 0 };
}

/** The file's CRC-64 from its range values, joined in order. */
export function combineParts(f: FileState): bigint {
  let crc = 0n;
  f.parts.forEach((part, p) => {
    const len = (p + 1 < f.starts.length ? f.starts[p + 1] : f.size) - f.starts[p];
    crc = p === 0 ? part! : crc64Combine(crc, part!, len);
  });
  return crc;
}

function fromWire(e: WireError): Error {
  if (e.name === 'FileChangedError') return new FileChangedError(e.message);
  const err = new Error(e.message);
  if (e.name && e.name !== 'Error') err.name = e.name;
  if (e.code) (err as NodeJS.ErrnoException).code = e.code;
  return err;
}

/** `stat` of every path, a few at a time; a path that cannot be stat'ed gets its error. */
export async function statAll(paths: readonly string[], signal?: AbortSignal): Promise<Array<Stats | Error>> {
  const out: Array<Stats | Error> = new Array(paths.length);
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
