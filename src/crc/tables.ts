/**
 * Lookup tables for CRC-64/XZ (the ECMA-182 polynomial, reflected), as COS and OSS compute it.
 *
 * Tables are kept as two 32-bit halves so that the JS kernel never touches BigInt in its hot loop,
 * and so the same bytes can be copied into WebAssembly memory as little-endian 64-bit words.
 */

/** ECMA-182 polynomial 0x42F0E1EBA9EA3693, bit-reversed. */
export const POLY_REFLECTED = 0xc96c5795d7870f42n;
const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

/** Slices in the slicing-by-N tables: 16 bytes are consumed per step. */
export const SLICES = 16;

export interface Crc64Tables {
  /** `lo[k * 256 + b]`: low 32 bits of the CRC contribution of byte `b` followed by `k` zero bytes. */
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
}

let cached: Crc64Tables | undefined;

export function crc64Tables(): Crc64Tables {
  if (cached) return cached;
  const lo = new Uint32Array(SLICES * 256);
  const hi = new Uint32Array(SLICES * 256);
  for (let b = 0; b < 256; b++) {
    let l = b;
    let h = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = ((l >>> 1) | (h << 31)) >>> 0;
      h = h >>> 1;
      if (carry) {
        l = (l ^ POLY_LO) >>> 0;
        h = (h ^ POLY_HI) >>> 0;
      }
    }
    lo[b] = l;
    hi[b] = h;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const pl = lo[(k - 1) * 256 + b];
      const ph = hi[(k - 1) * 256 + b];
      const idx = pl & 0xff;
      lo[k * 256 + b] = (((pl >>> 8) | (ph << 24)) ^ lo[idx]) >>> 0;
      hi[k * 256 + b] = ((ph >>> 8) ^ hi[idx]) >>> 0;
    }
  }
  cached = { lo, hi };
  return cached;
}
