/** Messages between the hash pool (src/crc/poolWorkers.ts) and its workers (src/crc/worker.ts). */

import type { KernelName } from './kernel';

export interface WorkerInit {
  /** Bytes per positioned read; the buffer is allocated once per worker and reused. */
  readSize: number;
  /** One Int32 slot: the pool writes the id of the task to abandon; the worker checks it between reads. */
  control: SharedArrayBuffer;
  /** Forces a kernel (tests, benchmarks); the worker uses WASM when it loads otherwise. */
  kernel?: KernelName;
}

/**
 * Bytes [start, end) of `path`, whose size and mtime were `size` and `mtimeMs` when the work was planned;
 * or, with `wholeUpTo`, a file nobody has stat'ed yet: the worker stats it as it opens it, hashes it whole
 * if it holds at most `wholeUpTo` bytes, and otherwise answers with its size and mtime (`large`) so the
 * pool can split it into ranges.
 */
export type WorkItem =
  { path: string; start: number; end: number; size: number; mtimeMs: number; wholeUpTo?: undefined } | { path: string; wholeUpTo: number };

export interface TaskMessage {
  id: number;
  items: WorkItem[];
}

export interface WireError {
  name: string;
  message: string;
  code?: string;
}

/** `size` and `mtimeMs` come with the answer to a `wholeUpTo` item (the worker's own `fstat`). */
export type ItemResult =
  { crc: bigint; size?: number; mtimeMs?: number } | { large: { size: number; mtimeMs: number } } | { error: WireError };

export type WorkerMessage =
  | { type: 'ready'; kernel: KernelName }
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; results: ItemResult[] }
  | { type: 'cancelled'; id: number };
