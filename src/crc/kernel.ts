import { updateRawJs } from './kernel-js';
import { createWasmKernel, type WasmKernel } from './kernel-wasm';
import type { Crc64Kernel, KernelName } from './types';

/**
 * Kernel selection. Both kernels compute the same raw-register update; the WebAssembly one is used
 * whenever it loads, the JS one otherwise. `BUCKET_INTEGRITY_CRC_KERNEL=js` (or `useKernel('js')`)
 * forces the fallback, e.g. to compare them or to rule the WASM path out.
 */

export type { Crc64Kernel, KernelName } from './types';

const MASK32 = 0xffffffffn;

export const jsKernel: Crc64Kernel = {
  name: 'js',
  update(raw: bigint, bytes: Uint8Array): bigint {
    const [lo, hi] = updateRawJs(Number(raw & MASK32), Number(raw >> 32n), bytes);
    return (BigInt(hi) << 32n) | BigInt(lo);
  },
};

let wasmShared: WasmKernel | null | undefined;

/** The process-wide WASM kernel, or `undefined` if WebAssembly is unavailable. */
export function wasmKernel(): WasmKernel | undefined {
  if (wasmShared === undefined) wasmShared = createWasmKernel() ?? null;
  return wasmShared ?? undefined;
}

let chosen: Crc64Kernel | undefined;

/** The kernel behind `crc64`, `crc64Update` and `Crc64Hasher`. */
export function defaultKernel(): Crc64Kernel {
  if (!chosen) {
    const forced = typeof process === 'object' ? process.env.BUCKET_INTEGRITY_CRC_KERNEL : undefined;
    chosen = (forced !== 'js' && wasmKernel()) || jsKernel;
  }
  return chosen;
}

/**
 * A kernel by name. Throws if `wasm` is asked for where WebAssembly is unavailable, so a test or a
 * benchmark never measures the fallback while believing it measures WASM.
 */
export function getKernel(name: KernelName): Crc64Kernel {
  if (name === 'js') return jsKernel;
  const wasm = wasmKernel();
  if (!wasm) throw new Error('The WebAssembly CRC-64 kernel is unavailable here');
  return wasm;
}

/** Force the default kernel (`auto`: WASM when available). Returns the kernel now in use. */
export function useKernel(name: KernelName | 'auto'): Crc64Kernel {
  chosen = name === 'auto' ? (wasmKernel() ?? jsKernel) : getKernel(name);
  return chosen;
}
