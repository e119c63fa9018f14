import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FileChangedError } from './errors';
import { jsKernel } from './kernel';
import { createWasmKernel } from './kernel-wasm';
import type { ItemResult, TaskMessage, WorkerInit, WorkerMessage, WorkItem } from './protocol';

/**
 * Hash worker (bundled to dist/crc-worker.js). Hashes byte ranges of files with positioned reads into
 * one buffer allocated at start-up; with the WASM kernel that buffer lives in WebAssembly memory, so
 * the bytes are hashed where the read put them. Reads are synchronous: the worker does nothing else,
 * and cancellation arrives through shared memory rather than the (blocked) message queue.
 */

const MAX_U64 = (1n << 64n) - 1n;
/** Progress is reported at most this often (in bytes) to keep the message traffic negligible. */
const PROGRESS_STEP = 16 * 1024 * 1024;

class Cancelled extends Error {}

const init = workerData as WorkerInit;
const control = new Int32Array(init.control);
const wasm = init.kernel === 'js' ? undefined : createWasmKernel(init.readSize);
const buffer = wasm ? wasm.buffer : new Uint8Array(init.readSize);
const port = parentPort!;

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

/** Opened without blocking: a FIFO handed over as a path must fail, not hang the worker. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function notAFile(path: string): Error {
  return Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' });
}

function hashItem(id: number, item: WorkItem, progress: { pending: number }): ItemResult {
  const fd = openSync(item.path, OPEN_FLAGS);
  try {
    if (item.wholeUpTo === undefined) return { crc: hashRange(id, fd, item, progress) };
    // Not stat'ed by the pool: this `fstat` is the one that plans the file.
    const st = fstatSync(fd);
    if (!st.isFile()) throw notAFile(item.path);
    if (st.size > item.wholeUpTo) return { large: { size: st.size, mtimeMs: st.mtimeMs } };
    const planned = { path: item.path, start: 0, end: st.size, size: st.size, mtimeMs: st.mtimeMs };
    return { crc: hashRange(id, fd, planned, progress), size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function hashRange(
  id: number,
  fd: number,
  item: { path: string; start: number; end: number; size: number; mtimeMs: number },
  progress: { pending: number },
): bigint {
  let raw = MAX_U64;
  let pos = item.start;
  while (pos < item.end) {
    if (Atomics.load(control, 0) === id) throw new Cancelled();
    const want = Math.min(buffer.length, item.end - pos);
    const got = readSync(fd, buffer, 0, want, pos);
    if (got === 0) {
      throw new FileChangedError(`${item.path} shrank while being hashed: expected ${item.size} bytes, the file ends at ${pos}`);
    }
    raw = wasm ? wasm.updateBuffer(raw, got) : jsKernel.update(raw, buffer.subarray(0, got));
    pos += got;
    progress.pending += got;
    if (progress.pending >= PROGRESS_STEP) {
      post({ type: 'progress', id, bytes: progress.pending });
      progress.pending = 0;
    }
  }
  const now = fstatSync(fd);
  if (now.size !== item.size) {
    throw new FileChangedError(
      `${item.path} changed size while being hashed (${item.size} → ${now.size} bytes); hash it again once it is complete`,
    );
  }
  if (now.mtimeMs !== item.mtimeMs) {
    throw new FileChangedError(`${item.path} was modified while being hashed; hash it again once it is complete`);
  }
  return ~raw & MAX_U64;
}

function toWire(err: unknown): ItemResult {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  return { error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) } };
}

port.on('message', (task: TaskMessage) => {
  const progress = { pending: 0 };
  const results: ItemResult[] = [];
  try {
    for (const item of task.items) {
      try {
        results.push(hashItem(task.id, item, progress));
      } catch (err) {
        if (err instanceof Cancelled) throw err;
        results.push(toWire(err));
      }
    }
  } catch {
    post({ type: 'cancelled', id: task.id });
    return;
  }
  if (progress.pending > 0) post({ type: 'progress', id: task.id, bytes: progress.pending });
  post({ type: 'done', id: task.id, results });
});

post({ type: 'ready', kernel: wasm ? 'wasm' : 'js' });
