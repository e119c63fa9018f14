import kernelWasm from './kernel.wat';
import { crc64Tables, SLICES } from './tables';
import type { Crc64Kernel } from './types';

/**
 * The WebAssembly slicing-by-16 kernel (src/crc/kernel.wat, 64-bit registers). About twice as fast as
 * the JS kernel, which has to work on two 32-bit halves.
 *
 * Each instance owns its memory: the tables, a staging window for bytes that live outside WASM memory,
 * and optionally a caller buffer (`buffer`) that file reads can fill directly, so the hot path of the
 * worker pool hashes without an extra copy.
 */

const TABLE_BYTES = SLICES * 256 * 8;
/** Bytes from elsewhere are copied through this window; small enough to stay in the L2 cache. */
const WINDOW_BYTES = 256 * 1024;
const WINDOW_PTR = TABLE_BYTES;
const BUFFER_PTR = WINDOW_PTR + WINDOW_BYTES;
const PAGE = 64 * 1024;

type UpdateFn = (raw: bigint, ptr: number, len: number) => bigint;

/** The slice of the WebAssembly JS API used here (the project's `lib` has no WebAssembly typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === 'object' ? api : undefined;
}

let compiled: object | undefined;

export class WasmKernel implements Crc64Kernel {
  readonly name = 'wasm' as const;
  /** Caller buffer inside WASM memory (length fixed at construction); hash it with `updateBuffer`. */
  readonly buffer: Uint8Array;
  private readonly fn: UpdateFn;
  private readonly memory: Uint8Array;
  private readonly window: Uint8Array;

  /** @param bufferBytes size of `buffer`, for callers that read data straight into WASM memory. */
  constructor(bufferBytes = 0) {
    const api = wasmApi();
    if (!api) throw new Error('WebAssembly is unavailable');
    compiled ??= new api.Module(kernelWasm);
    const instance = new api.Instance(compiled, {});
    const exports = instance.exports as { memory: WasmMemory; update: UpdateFn };
    const needed = BUFFER_PTR + bufferBytes;
    const have = exports.memory.buffer.byteLength;
    // Grow once, before any view exists: growing detaches earlier views of the memory.
    if (needed > have) exports.memory.grow(Math.ceil((needed - have) / PAGE));
    this.fn = exports.update;
    this.memory = new Uint8Array(exports.memory.buffer);
    const tables = crc64Tables();
    const words = new Uint32Array(exports.memory.buffer, 0, TABLE_BYTES / 4);
    for (let i = 0; i < tables.lo.length; i++) {
      words[2 * i] = tables.lo[i];
      words[2 * i + 1] = tables.hi[i];
    }
    this.window = this.memory.subarray(WINDOW_PTR, WINDOW_PTR + WINDOW_BYTES);
    this.buffer = this.memory.subarray(BUFFER_PTR, BUFFER_PTR + bufferBytes);
  }

  update(raw: bigint, bytes: Uint8Array): bigint {
    if (bytes.buffer === this.memory.buffer) {
      return this.fn(raw, bytes.byteOffset, bytes.length);
    }
    for (let at = 0; at < bytes.length; at += WINDOW_BYTES) {
      const chunk = bytes.subarray(at, Math.min(bytes.length, at + WINDOW_BYTES));
      this.window.set(chunk);
      raw = this.fn(raw, WINDOW_PTR, chunk.length);
    }
    return raw;
  }

  /** Hash the first `length` bytes of `buffer` in place. */
  updateBuffer(raw: bigint, length: number, offset = 0): bigint {
    if (offset < 0 || length < 0 || offset + length > this.buffer.length) {
      throw new RangeError('WasmKernel.updateBuffer: range outside the buffer');
    }
    return this.fn(raw, BUFFER_PTR + offset, length);
  }
}

/** A new WASM kernel, or `undefined` where WebAssembly is unavailable or refuses the module. */
export function createWasmKernel(bufferBytes = 0): WasmKernel | undefined {
  if (!wasmApi()) return undefined;
  try {
    return new WasmKernel(bufferBytes);
  } catch {
    return undefined;
  }
}
