import { describe, expect, it } from 'vitest';
import { Crc64Stream, combineCrc64, crc64Of } from '../../../emulator/crc64';
import { loadVectors, vectorBytes, type VectorGen } from '../../support/vectors';

/**
 * The emulator's CRC-64 is the outside witness of every "remote CRC equals local CRC" assertion, so it is
 * itself checked against the third witness: the crcmod vectors (not this project's code).
 */
describe('emulator CRC-64 against the crcmod vectors', () => {
  const { vectors, combine } = loadVectors();

  it('hashes every vector in one call', () => {
    for (const v of vectors) expect(crc64Of(vectorBytes(v.gen)), v.name).toBe(v.crc64);
  });

  it('hashes every vector streamed in uneven chunks', () => {
    for (const v of vectors) {
      const bytes = vectorBytes(v.gen);
      const s = new Crc64Stream();
      for (let at = 0, step = 1; at < bytes.length; at += step, step = step * 3 + 1) s.update(bytes.subarray(at, at + step));
      expect(s.digest(), v.name).toBe(v.crc64);
    }
  });

  it('combines every combine vector from the parts alone', () => {
    for (const c of combine) {
      // The parts are generators (the 4 GiB one is combined, never built).
      for (const [gen, crc] of [
        [c.part1, c.crc1],
        [c.part2, c.crc2],
      ] as unknown as [VectorGen & { length?: number }, string][]) {
        if ((gen.length ?? 0) <= 1 << 24) expect(crc64Of(vectorBytes(gen)), c.name).toBe(crc);
      }
      expect(combineCrc64(c.crc1, c.crc2, c.len2), c.name).toBe(c.crc);
    }
  });

  it('combines a split of every vector back to its CRC', () => {
    for (const v of vectors.filter((x) => x.length > 1 && x.length < 100_000)) {
      const bytes = vectorBytes(v.gen);
      const cut = Math.floor(bytes.length / 3);
      const joined = combineCrc64(crc64Of(bytes.subarray(0, cut)), crc64Of(bytes.subarray(cut)), bytes.length - cut);
      expect(joined, v.name).toBe(v.crc64);
    }
  });

  it('refuses a negative length', () => {
    expect(() => combineCrc64('1', '2', -1)).toThrow(RangeError);
  });
});
