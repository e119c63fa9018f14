import { describe, expect, it } from 'vitest';
import { crc64, crc64Update, Crc64Hasher, crc64Combine, parseCrc64 } from '../../../src/crc';
import { loadVectors, vectorBytes } from '../../support/vectors';

const { vectors, combine } = loadVectors();

describe('CRC-64 (default kernel) against the crcmod fixture', () => {
  it('has the published check value', () => {
    expect(crc64(new TextEncoder().encode('123456789')).toString()).toBe('11051210869376104954');
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const bytes = vectorBytes(v.gen);
    expect(bytes.length).toBe(v.length);
    expect(crc64(bytes).toString()).toBe(v.crc64);
  });

  it('gives the same value at byte offsets 0-7 and in random chunks', () => {
    const big = vectors.filter((v) => v.length > 1000 && v.length < 100_000);
    for (const v of big) {
      const bytes = vectorBytes(v.gen);
      for (let offset = 0; offset < 8; offset++) {
        const shifted = new Uint8Array(bytes.length + offset);
        shifted.set(bytes, offset);
        expect(crc64(shifted.subarray(offset)).toString()).toBe(v.crc64);
      }
      const hasher = new Crc64Hasher();
      let at = 0;
      while (at < bytes.length) {
        const n = Math.min(bytes.length - at, 1 + Math.floor(Math.random() * 300));
        hasher.update(bytes.subarray(at, at + n));
        at += n;
      }
      expect(hasher.digestDecimal()).toBe(v.crc64);
    }
  });
});

describe('crc64Combine against the crcmod fixture', () => {
  it.each(combine.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(crc64Combine(BigInt(c.crc1), BigInt(c.crc2), BigInt(c.len2)).toString()).toBe(c.crc);
  });

  it('split anywhere and combined equals the whole', () => {
    const bytes = vectorBytes({ kind: 'lcg', seed: 7, length: 5000 });
    const whole = crc64(bytes);
    for (let trial = 0; trial < 50; trial++) {
      const cut = Math.floor(Math.random() * (bytes.length + 1));
      const a = bytes.subarray(0, cut);
      const b = bytes.subarray(cut);
      expect(crc64Combine(crc64(a), crc64(b), b.length)).toBe(whole);
      expect(crc64Update(crc64(a), b)).toBe(whole);
    }
  });
});

describe('parseCrc64', () => {
  it('accepts unsigned decimal strings up to 2^64-1 and rejects the rest', () => {
    expect(parseCrc64('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseCrc64(['42'])).toBe(42n);
    expect(parseCrc64('18446744073709551616')).toBeUndefined();
    expect(parseCrc64('-1')).toBeUndefined();
    expect(parseCrc64('0x10')).toBeUndefined();
    expect(parseCrc64('')).toBeUndefined();
    expect(parseCrc64(undefined)).toBeUndefined();
  });
});
