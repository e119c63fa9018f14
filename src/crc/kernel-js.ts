import { crc64Tables } from './tables';

/**
 * Pure-JS slicing-by-16 kernel on two 32-bit halves (no BigInt in the loop). Used when WebAssembly
 * is unavailable and as an independent second implementation in the tests.
 *
 * `lo`/`hi` are the *raw* register (already inverted); the caller handles pre/post conditioning.
 * Returns the new register as [lo, hi] (unsigned).
 *
 * Speed notes: the register and the tables stay in int32 (signed) so V8 keeps every value unboxed;
 * on little-endian hosts the input is read as aligned 32-bit words through an Int32Array view.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this, setting up the word view costs more than it saves. */
const WORD_PATH_MIN = 64;

let tables: { lo: Int32Array; hi: Int32Array } | undefined;

function signedTables(): { lo: Int32Array; hi: Int32Array } {
  if (!tables) {
    const t = crc64Tables();
    tables = {
      lo: new Int32Array(t.lo.buffer, t.lo.byteOffset, t.lo.length),
      hi: new Int32Array(t.hi.buffer, t.hi.byteOffset, t.hi.length),
    };
  }
  return tables;
}

/** @param words read aligned words (little-endian hosts only); `false` forces the portable path (tests). */
export function updateRawJs(lo: number, hi: number, bytes: Uint8Array, words = LITTLE_ENDIAN): [number, number] {
  const { lo: TL, hi: TH } = signedTables();
  const n = bytes.length;
  let i = 0;
  lo |= 0;
  hi |= 0;
  if (words && LITTLE_ENDIAN && n >= WORD_PATH_MIN) {
    // Bytes one at a time up to a 4-byte boundary, then 16 bytes (four words) per step.
    while (((bytes.byteOffset + i) & 3) !== 0) {
      const idx = (lo ^ bytes[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TL[idx];
      hi = (hi >>> 8) ^ TH[idx];
      i++;
    }
    const steps = (n - i) >> 4;
    const w = new Int32Array(bytes.buffer, bytes.byteOffset + i, steps * 4);
    for (let k = 0; k < w.length; k += 4) {
      const xl = lo ^ w[k];
      const xh = hi ^ w[k + 1];
      const yl = w[k + 2];
      const yh = w[k + 3];
      // Byte j of the 16 indexes table 15 - j (table k = that byte followed by k zero bytes).
      const a0 = 3840 + (xl & 0xff);
      const a1 = 3584 + ((xl >>> 8) & 0xff);
      const a2 = 3328 + ((xl >>> 16) & 0xff);
      const a3 = 3072 + (xl >>> 24);
      const a4 = 2816 + (xh & 0xff);
      const a5 = 2560 + ((xh >>> 8) & 0xff);
      const a6 = 2304 + ((xh >>> 16) & 0xff);
      const a7 = 2048 + (xh >>> 24);
      const b0 = 1792 + (yl & 0xff);
      const b1 = 1536 + ((yl >>> 8) & 0xff);
      const b2 = 1280 + ((yl >>> 16) & 0xff);
      const b3 = 1024 + (yl >>> 24);
      const b4 = 768 + (yh & 0xff);
      const b5 = 512 + ((yh >>> 8) & 0xff);
      const b6 = 256 + ((yh >>> 16) & 0xff);
      const b7 = yh >>> 24;
      lo =
        TL[a0] ^
        TL[a1] ^
        TL[a2] ^
        TL[a3] ^
        (TL[a4] ^ TL[a5] ^ TL[a6] ^ TL[a7]) ^
        (TL[b0] ^ TL[b1] ^ TL[b2] ^ TL[b3] ^ (TL[b4] ^ TL[b5] ^ TL[b6] ^ TL[b7]));
      hi =
        TH[a0] ^
        TH[a1] ^
        TH[a2] ^
        TH[a3] ^
        (TH[a4] ^ TH[a5] ^ TH[a6] ^ TH[a7]) ^
        (TH[b0] ^ TH[b1] ^ TH[b2] ^ TH[b3] ^ (TH[b4] ^ TH[b5] ^ TH[b6] ^ TH[b7]));
    }
    i += steps * 16;
  } else {
    // Any host byte order: assemble the words from bytes.
    const end16 = n - ((n - i) % 16);
    for (; i < end16; i += 16) {
      const xl = lo ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      const xh = hi ^ (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24));
      const yl = bytes[i + 8] | (bytes[i + 9] << 8) | (bytes[i + 10] << 16) | (bytes[i + 11] << 24);
      const yh = bytes[i + 12] | (bytes[i + 13] << 8) | (bytes[i + 14] << 16) | (bytes[i + 15] << 24);
      let l = 0;
      let h = 0;
      for (let j = 0; j < 4; j++) {
        const s = j * 8;
        const ia = (15 - j) * 256 + ((xl >>> s) & 0xff);
        const ib = (11 - j) * 256 + ((xh >>> s) & 0xff);
        const ic = (7 - j) * 256 + ((yl >>> s) & 0xff);
        const id = (3 - j) * 256 + ((yh >>> s) & 0xff);
        l ^= TL[ia] ^ TL[ib] ^ TL[ic] ^ TL[id];
        h ^= TH[ia] ^ TH[ib] ^ TH[ic] ^ TH[id];
      }
      lo = l;
      hi = h;
    }
  }
  while (i < n) {
    const idx = (lo ^ bytes[i]) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ TL[idx];
    hi = (hi >>> 8) ^ TH[idx];
    i++;
  }
  return [lo >>> 0, hi >>> 0];
}
