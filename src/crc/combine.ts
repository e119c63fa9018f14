import { POLY_REFLECTED } from './tables';

/**
 * CRC combination: crc(A‖B) from crc(A), crc(B) and len(B), without touching the bytes.
 *
 * Same method as zlib's crc32_combine (multiply crc(A) by x^(8·len(B)) modulo the polynomial), on 64
 * bits with BigInt. Lengths are BigInt-safe, so parts of several GB (beyond 2^32) combine correctly.
 */

const MASK64 = (1n << 64n) - 1n;
const TOP_BIT = 1n << 63n;

/** a·b modulo the polynomial, both in reflected representation. */
function multModP(a: bigint, b: bigint): bigint {
  let m = TOP_BIT;
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ POLY_REFLECTED : b >> 1n;
  }
  return p;
}

/** X2N[k] = x^(2^k) modulo the polynomial. */
const X2N: bigint[] = (() => {
  const table: bigint[] = [];
  let p = 1n << 62n; // x^1
  for (let k = 0; k < 64; k++) {
    table.push(p);
    p = multModP(p, p);
  }
  return table;
})();

/** x^(n·2^k) modulo the polynomial. */
function x2nModP(n: bigint, k: number): bigint {
  let p = TOP_BIT; // x^0
  while (n > 0n) {
    if (n & 1n) p = multModP(X2N[k & 63], p);
    n >>= 1n;
    k++;
  }
  return p;
}

/**
 * crc(A‖B) given crc(A), crc(B) and the byte length of B.
 * @param len2 length of B in bytes; `number` is accepted for convenience but must be a safe integer.
 */
export function crc64Combine(crc1: bigint, crc2: bigint, len2: bigint | number): bigint {
  const n = typeof len2 === 'bigint' ? len2 : BigInt(len2);
  if (n < 0n) throw new RangeError('crc64Combine: negative length');
  if (n === 0n) return crc1 & MASK64;
  return (multModP(x2nModP(n, 3), crc1 & MASK64) ^ crc2) & MASK64;
}
