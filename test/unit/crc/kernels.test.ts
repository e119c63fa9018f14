import { describe, expect, it } from 'vitest';
import { crc64, crc64Combine, crc64Update, Crc64Hasher, defaultKernel, getKernel, type KernelName } from '../../../src/crc';
import { updateRawJs } from '../../../src/crc/kernel-js';
import { WasmKernel } from '../../../src/crc/kernel-wasm';
import { loadVectors, vectorBytes } from '../../support/vectors';

const { vectors } = loadVectors();
const KERNELS: KernelName[] = ['wasm', 'js'];

/** A deterministic PRNG so a failing chunking can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

it('uses the WebAssembly kernel by default', () => {
  expect(defaultKernel().name).toBe('wasm');
});

describe.each(KERNELS)('%s kernel against the crcmod fixture', (name) => {
  const kernel = getKernel(name);

  it('reports its name', () => {
    expect(kernel.name).toBe(name);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s at byte offsets 0-7', (_n, v) => {
    const bytes = vectorBytes(v.gen);
    for (let offset = 0; offset < 8; offset++) {
      const shifted = new Uint8Array(bytes.length + offset + 3);
      shifted.fill(0xa5);
      shifted.set(bytes, offset);
      expect(crc64(shifted.subarray(offset, offset + bytes.length), kernel).toString()).toBe(v.crc64);
    }
  });

  it.each(vectors.map((v, i) => [v.name, v, i] as const))('%s in random chunks', (_n, v, i) => {
    const bytes = vectorBytes(v.gen);
    const random = prng(1000 + i);
    for (let trial = 0; trial < 3; trial++) {
      // Small chunks exercise the byte tail; some chunks cross the 256 KiB staging window.
      const maxChunk = trial === 0 ? 40 : trial === 1 ? 5000 : 700_000;
      const hasher = new Crc64Hasher(kernel);
      let crc = 0n;
      let at = 0;
      while (at < bytes.length) {
        const n = Math.min(bytes.length - at, Math.floor(random() * maxChunk));
        const chunk = bytes.subarray(at, at + n);
        hasher.update(chunk);
        crc = crc64Update(crc, chunk, kernel);
        at += n;
      }
      expect(hasher.length).toBe(bytes.length);
      expect(hasher.digestDecimal()).toBe(v.crc64);
      expect(crc.toString()).toBe(v.crc64);
    }
  });

  it('split anywhere and combined equals the whole', () => {
    const bytes = vectorBytes({ kind: 'lcg', seed: 11, length: 70_000 });
    const whole = crc64(bytes, kernel);
    const random = prng(5);
    for (let trial = 0; trial < 40; trial++) {
      const cut = Math.floor(random() * (bytes.length + 1));
      const a = bytes.subarray(0, cut);
      const b = bytes.subarray(cut);
      expect(crc64Combine(crc64(a, kernel), crc64(b, kernel), b.length)).toBe(whole);
    }
  });
});

describe('WASM kernel buffer inside its own memory', () => {
  it('hashes bytes read straight into `buffer` without a copy, at any offset', () => {
    const kernel = new WasmKernel(1 << 20);
    const v = vectors.find((x) => x.length > 100_000 && x.length <= (1 << 20) - 8)!;
    const bytes = vectorBytes(v.gen);
    for (let offset = 0; offset < 8; offset++) {
      kernel.buffer.set(bytes, offset);
      expect((~kernel.updateBuffer(~0n & 0xffffffffffffffffn, bytes.length, offset) & 0xffffffffffffffffn).toString()).toBe(v.crc64);
      // A view of that memory is hashed in place by `update` too.
      expect(crc64(kernel.buffer.subarray(offset, offset + bytes.length), kernel).toString()).toBe(v.crc64);
    }
    expect(() => kernel.updateBuffer(0n, (1 << 20) + 1)).toThrow(RangeError);
  });
});

describe('JS kernel, portable path (any byte order)', () => {
  it.each(vectors.filter((v) => v.length < 2_000_000).map((v) => [v.name, v] as const))('%s', (_n, v) => {
    const bytes = vectorBytes(v.gen);
    for (const offset of [0, 1, 3]) {
      const shifted = new Uint8Array(bytes.length + offset);
      shifted.set(bytes, offset);
      const [lo, hi] = updateRawJs(0xffffffff, 0xffffffff, shifted.subarray(offset), false);
      expect((~((BigInt(hi) << 32n) | BigInt(lo)) & 0xffffffffffffffffn).toString()).toBe(v.crc64);
    }
  });
});
