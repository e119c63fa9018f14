import { crc64 as ecma182 } from 'crc64-ecma182.js';

/**
 * The emulator's own CRC-64/XZ (the `x-cos-hash-crc64ecma` / `x-oss-hash-crc64ecma` value), independent of
 * the product's src/crc: the bytes are hashed by the `crc64-ecma182.js` package and CRCs are combined by
 * the GF(2) matrix method below (zlib's original crc32_combine), not by src/crc's x^n table. An integration
 * test that finds the emulator's CRC equal to the product's therefore compares two implementations, not one
 * with itself. Lint forbids emulator/ importing src/crc. CRCs are unsigned decimal strings, as on the wire.
 */

/** CRC-64 of one buffer, continuing from `previous` (the CRC of the bytes before it; '0' for none). */
export function crc64Of(bytes: Uint8Array, previous = '0'): string {
  return bytes.length === 0 ? previous : ecma182(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), previous);
}

/** A running CRC-64 over a stream of chunks. */
export class Crc64Stream {
  private crc = '0';

  update(chunk: Uint8Array): void {
    this.crc = crc64Of(chunk, this.crc);
  }

  /** The CRC-64 of everything so far, as an unsigned decimal string. */
  digest(): string {
    return this.crc;
  }
}

/** The ECMA-182 polynomial, bit-reflected (as CRC-64/XZ processes bits least significant first). */
const POLY_REFLECTED = 0xc96c5795d7870f42n;
const MASK = (1n << 64n) - 1n;

/** A 64×64 GF(2) matrix as 64 column vectors: column i is the image of bit i. */
type Gf2Matrix = bigint[];

function times(matrix: Gf2Matrix, vector: bigint): bigint {
  let sum = 0n;
  for (let i = 0; vector !== 0n; i++, vector >>= 1n) if (vector & 1n) sum ^= matrix[i];
  return sum;
}

function squared(matrix: Gf2Matrix): Gf2Matrix {
  return matrix.map((column) => times(matrix, column));
}

/** ZEROS[k]: the operator that appends 2^k zero bytes to a CRC register, built on first use. */
const ZEROS: Gf2Matrix[] = [];

function zerosOperator(k: number): Gf2Matrix {
  if (ZEROS.length === 0) {
    // One zero bit: shift right, and fold the polynomial back in when a 1 falls off.
    let op: Gf2Matrix = [POLY_REFLECTED];
    for (let bit = 1; bit < 64; bit++) op.push(1n << BigInt(bit - 1));
    for (let i = 0; i < 3; i++) op = squared(op); // 2, 4, 8 zero bits: one zero byte
    ZEROS.push(op);
  }
  while (ZEROS.length <= k) ZEROS.push(squared(ZEROS[ZEROS.length - 1]));
  return ZEROS[k];
}

/** CRC-64 of A‖B from the CRCs of A and B and the byte length of B (for Complete Multipart and appends). */
export function combineCrc64(crcA: string, crcB: string, lengthB: number | bigint): string {
  let n = BigInt(lengthB);
  if (n < 0n) throw new RangeError('combineCrc64: negative length');
  let register = BigInt(crcA);
  for (let k = 0; n > 0n; k++, n >>= 1n) if (n & 1n) register = times(zerosOperator(k), register);
  return ((register ^ BigInt(crcB)) & MASK).toString(10);
}
