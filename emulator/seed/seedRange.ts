import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc64Of } from '../crc64';
import { compareUtf8 } from '../objects/keyOrder';
import type { VirtualRange } from '../objects/objectIndex';
import type { ObjectMeta } from '../store';

/**
 * Seeded objects: `count` objects named `<prefix><index, zero-padded>` whose bytes are not stored. The
 * body of each is the UTF-8 of `key + "\n"` repeated to `size` bytes, generated on every GET; its CRC-64
 * and MD5 are computed once at seeding and kept in typed arrays (24 bytes per object), so a million
 * objects cost about 24 MB and one pass of hashing, not a million files.
 */

export interface SeedSpec {
  prefix: string;
  count: number;
  /** Bytes per object; default 32. */
  size: number;
  /** Zero-padded width of the index; default the digits of `count - 1`. */
  width: number;
  lastModified: number;
  /** false: the objects are stored without a CRC-64 (as legacy objects). */
  withCrc: boolean;
}

/** A seeded object as the store sees it; `synthetic` tells readers to generate the body. */
export type SeededMeta = ObjectMeta & { synthetic: true };

/** The pattern a seeded object's body repeats. */
function pattern(key: string): Buffer {
  return Buffer.from(`${key}\n`, 'utf8');
}

/** Bytes `start..end` (inclusive) of a seeded object's body. */
export function syntheticBytes(key: string, start: number, end: number): Buffer {
  const pat = pattern(key);
  const out = Buffer.allocUnsafe(Math.max(0, end - start + 1));
  if (out.length === 0) return out;
  const shift = start % pat.length;
  out.fill(shift === 0 ? pat : Buffer.concat([pat.subarray(shift), pat.subarray(0, shift)]));
  return out;
}

/** A seeded object's body `start..end` (inclusive) as a stream of chunks of at most 64 KiB. */
export function syntheticStream(key: string, start: number, end: number): Readable {
  const CHUNK = 64 * 1024;
  function* chunks(): Generator<Buffer> {
    for (let at = start; at <= end; at += CHUNK) yield syntheticBytes(key, at, Math.min(end, at + CHUNK - 1));
  }
  return Readable.from(chunks(), { objectMode: false });
}

export class SeedRange implements VirtualRange<SeededMeta> {
  private live: number;
  /** Called after a key is removed, so the owner can save the removals. */
  onRemove?: () => void;

  constructor(
    readonly id: string,
    readonly spec: SeedSpec,
    /** CRC-64 per index. */
    readonly crcs: BigUint64Array,
    /** 16 bytes of MD5 per index. */
    readonly md5s: Uint8Array,
    /** One byte per index: 1 when removed. */
    readonly removed: Uint8Array,
  ) {
    this.live = spec.count - removed.reduce((n, b) => n + b, 0);
  }

  /** Hash every object of a new range; yields to the event loop between batches so the server keeps answering. */
  static async create(id: string, spec: SeedSpec): Promise<SeedRange> {
    const crcs = new BigUint64Array(spec.count);
    const md5s = new Uint8Array(spec.count * 16);
    const body = Buffer.allocUnsafe(spec.size);
    const range = new SeedRange(id, spec, crcs, md5s, new Uint8Array(spec.count));
    for (let i = 0; i < spec.count; i++) {
      if (spec.size > 0) body.fill(pattern(range.keyAt(i)));
      if (spec.withCrc) crcs[i] = BigInt(crc64Of(body));
      md5s.set(createHash('md5').update(body).digest(), i * 16);
      if (i % 20_000 === 19_999) await new Promise((r) => setImmediate(r));
    }
    return range;
  }

  get size(): number {
    return this.live;
  }

  keyAt(i: number): string {
    return this.spec.prefix + String(i).padStart(this.spec.width, '0');
  }

  /** The index of `key` in this range (removed or not), or -1. */
  indexOf(key: string): number {
    const { prefix, width, count } = this.spec;
    if (key.length !== prefix.length + width || !key.startsWith(prefix)) return -1;
    const digits = key.slice(prefix.length);
    if (!/^\d+$/.test(digits)) return -1;
    const i = Number(digits);
    return i < count ? i : -1;
  }

  /** Whether `key` has this range's shape (a stored object with such a key is replaced at seeding). */
  covers(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  get(key: string): SeededMeta | undefined {
    const i = this.indexOf(key);
    if (i < 0 || this.removed[i]) return undefined;
    return this.metaAt(i, key);
  }

  private metaAt(i: number, key: string): SeededMeta {
    return {
      key,
      size: this.spec.size,
      crc64: this.spec.withCrc ? this.crcs[i].toString(10) : undefined,
      etag: `"${Buffer.from(this.md5s.buffer, this.md5s.byteOffset + i * 16, 16).toString('hex')}"`,
      lastModified: this.spec.lastModified,
      contentType: 'application/octet-stream',
      type: 'Normal',
      userMeta: {},
      file: '',
      synthetic: true,
    };
  }

  remove(key: string): boolean {
    const i = this.indexOf(key);
    if (i < 0 || this.removed[i]) return false;
    this.removed[i] = 1;
    this.live--;
    this.onRemove?.();
    return true;
  }

  *keysFrom(prefix: string, after: string): Generator<string> {
    for (const i of this.indicesFrom(prefix, after)) yield this.keyAt(i);
  }

  *entriesFrom(prefix: string, after: string): Generator<[string, SeededMeta]> {
    for (const i of this.indicesFrom(prefix, after)) {
      const key = this.keyAt(i);
      yield [key, this.metaAt(i, key)];
    }
  }

  /** Indices of the live keys that start with `prefix` and sort after `after`, in key order. */
  private *indicesFrom(prefix: string, after: string): Generator<number> {
    const p = this.spec.prefix;
    // Every key of the range starts with p: the listing prefix must be a prefix of p, or p of it.
    if (!p.startsWith(prefix) && !prefix.startsWith(p)) return;
    const start = Math.max(
      this.firstIndex((k) => compareUtf8(k, after) > 0),
      this.firstIndex((k) => compareUtf8(k, prefix) >= 0),
    );
    for (let i = start; i < this.spec.count; i++) {
      if (this.removed[i]) continue;
      // Index order is key order; past the prefix, no later key has it either.
      if (prefix.length > p.length && !this.keyAt(i).startsWith(prefix)) return;
      yield i;
    }
  }

  /** First index whose key satisfies `pred`, for a `pred` that is monotone in key order (one width: index order). */
  private firstIndex(pred: (key: string) => boolean): number {
    let lo = 0;
    let hi = this.spec.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.keyAt(mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
