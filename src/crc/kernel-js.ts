import { crc64Tables } from './tables';

/**
 * Pure-JS slicing-by-16 kernel on two 32-bit halves (no BigInt in the loop). Used when WebAssembly
 * is unavailable and as an independent second implementation in the tests.
 *
 * `lo`/`hi` are the *raw* register (already inverted); the caller handles pre/post conditioning.
 * Returns the new register as [lo, hi].
 */
export function updateRawJs(lo: number, hi: number, bytes: Uint8Array): [number, number] {
  const { lo: TL, hi: TH } = crc64Tables();
  let i = 0;
  const n = bytes.length;
  const end16 = n - (n % 16);
  while (i < end16) {
    const xl =
      (lo ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24))) >>> 0;
    const xh =
      (hi ^ (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24))) >>> 0;
    const yl = (bytes[i + 8] | (bytes[i + 9] << 8) | (bytes[i + 10] << 16) | (bytes[i + 11] << 24)) >>> 0;
    const yh = (bytes[i + 12] | (bytes[i + 13] << 8) | (bytes[i + 14] << 16) | (bytes[i + 15] << 24)) >>> 0;
    const a0 = 15 * 256 + (xl & 0xff);
    const a1 = 14 * 256 + ((xl >>> 8) & 0xff);
    const a2 = 13 * 256 + ((xl >>> 16) & 0xff);
    const a3 = 12 * 256 + (xl >>> 24);
    const a4 = 11 * 256 + (xh & 0xff);
    const a5 = 10 * 256 + ((xh >>> 8) & 0xff);
    const a6 = 9 * 256 + ((xh >>> 16) & 0xff);
    const a7 = 8 * 256 + (xh >>> 24);
    const b0 = 7 * 256 + (yl & 0xff);
    const b1 = 6 * 256 + ((yl >>> 8) & 0xff);
    const b2 = 5 * 256 + ((yl >>> 16) & 0xff);
    const b3 = 4 * 256 + (yl >>> 24);
    const b4 = 3 * 256 + (yh & 0xff);
    const b5 = 2 * 256 + ((yh >>> 8) & 0xff);
    const b6 = 256 + ((yh >>> 16) & 0xff);
    const b7 = yh >>> 24;
    lo =
      (TL[a0] ^ TL[a1] ^ TL[a2] ^ TL[a3] ^ TL[a4] ^ TL[a5] ^ TL[a6] ^ TL[a7] ^
        TL[b0] ^ TL[b1] ^ TL[b2] ^ TL[b3] ^ TL[b4] ^ TL[b5] ^ TL[b6] ^ TL[b7]) >>> 0;
    hi =
      (TH[a0] ^ TH[a1] ^ TH[a2] ^ TH[a3] ^ TH[a4] ^ TH[a5] ^ TH[a6] ^ TH[a7] ^
        TH[b0] ^ TH[b1] ^ TH[b2] ^ TH[b3] ^ TH[b4] ^ TH[b5] ^ TH[b6] ^ TH[b7]) >>> 0;
    i += 16;
  }
  while (i < n) {
    const idx = (lo ^ bytes[i]) & 0xff;
    lo = (((lo >>> 8) | (hi << 24)) ^ TL[idx]) >>> 0;
    hi = ((hi >>> 8) ^ TH[idx]) >>> 0;
    i++;
  }
  return [lo, hi];
}
