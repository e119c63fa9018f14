import { type Crc64Kernel, defaultKernel } from './kernel';

/**
 * CRC-64 as COS (`x-cos-hash-crc64ecma`) and OSS (`x-oss-hash-crc64ecma`) compute it: CRC-64/XZ,
 * the ECMA-182 polynomial reflected, init and xor-out all ones. Check value of "123456789" is
 * 11051210869376104954.
 *
 * Values cross this API as `bigint` (or unsigned decimal strings, as the services send them), never as
 * `number`, which cannot hold 64 bits.
 */

const MAX_U64 = (1n << 64n) - 1n;

/**
 * Continue a CRC over more bytes: `crc64Update(crc64(A), B) === crc64(A‖B)`.
 * Works for any alignment and any chunking.
 * @param kernel defaults to the fastest available (WebAssembly, else JS).
 */
export function crc64Update(crc: bigint, bytes: Uint8Array, kernel: Crc64Kernel = defaultKernel()): bigint {
  return ~kernel.update(~crc & MAX_U64, bytes) & MAX_U64;
}

/** CRC-64 of one buffer. */
export function crc64(bytes: Uint8Array, kernel: Crc64Kernel = defaultKernel()): bigint {
  return crc64Update(0n, bytes, kernel);
}

/**
 * Incremental hasher for streams. Keeps the raw register so that per-chunk cost is only the kernel call.
 */
export class Crc64Hasher {
  private raw = MAX_U64;
  private bytes = 0;

  /** @param kernel defaults to the fastest available (WebAssembly, else JS). */
  constructor(private readonly kernel: Crc64Kernel = defaultKernel()) {}

  update(chunk: Uint8Array): this {
    this.raw = this.kernel.update(this.raw, chunk);
    this.bytes += chunk.length;
    return this;
  }

  /** Number of bytes hashed so far. */
  get length(): number {
    return this.bytes;
  }

  digest(): bigint {
    return ~this.raw & MAX_U64;
  }

  digestDecimal(): string {
    return this.digest().toString(10);
  }
}

/** Format a CRC as the services do: an unsigned decimal string. */
export function formatCrc64(crc: bigint): string {
  return (crc & MAX_U64).toString(10);
}

/**
 * Parse a CRC-64 header value (unsigned decimal). Returns `undefined` for an absent or malformed value,
 * so callers treat "no usable CRC" explicitly rather than comparing against garbage.
 */
export function parseCrc64(value: string | string[] | undefined | null): bigint | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  if (!/^\d{1,20}$/.test(trimmed)) return undefined;
  const n = BigInt(trimmed);
  return n <= MAX_U64 ? n : undefined;
}
