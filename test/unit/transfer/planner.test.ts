import { describe, expect, it } from 'vitest';
import { GiB, MAX_PART_SIZE, MAX_PARTS, MiB, listParts, partRange, planParts } from '../../../src/transfer/planner';

describe('planParts', () => {
  it('keeps the requested part size when the file fits in 10,000 parts', () => {
    expect(planParts(100 * MiB, { partSize: 8 * MiB })).toEqual({ partSize: 8 * MiB, partCount: 13, raised: false });
  });

  it('puts a size exactly on a part boundary into whole parts, with no empty last part', () => {
    const plan = planParts(32 * MiB, { partSize: 8 * MiB });
    expect(plan.partCount).toBe(4);
    const parts = listParts(plan, 32 * MiB);
    expect(parts.map((p) => p.length)).toEqual([8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB]);
    expect(parts[3].offset + parts[3].length).toBe(32 * MiB);
  });

  it('gives the last part the remainder', () => {
    const plan = planParts(10 * MiB + 5, { partSize: 4 * MiB });
    expect(listParts(plan, 10 * MiB + 5).map((p) => p.length)).toEqual([4 * MiB, 4 * MiB, 2 * MiB + 5]);
  });

  it('raises the part size so a large file never needs more than 10,000 parts', () => {
    const size = 100 * GiB;
    const plan = planParts(size, { partSize: 8 * MiB });
    expect(plan.raised).toBe(true);
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expect(plan.partSize % MiB).toBe(0);
    expect(plan.partSize * plan.partCount).toBeGreaterThanOrEqual(size);
    // Raised to the smallest whole MiB that fits: one MiB less would need too many parts.
    expect(Math.ceil(size / (plan.partSize - MiB))).toBeGreaterThan(MAX_PARTS);
  });

  it('raises exactly at the 10,000-part edge', () => {
    expect(planParts(MAX_PARTS * 8 * MiB, { partSize: 8 * MiB })).toMatchObject({ partCount: MAX_PARTS, raised: false });
    const plan = planParts(MAX_PARTS * 8 * MiB + 1, { partSize: 8 * MiB });
    expect(plan).toMatchObject({ partSize: 9 * MiB, raised: true });
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
  });

  it('clamps to the 1 MiB minimum and the 5 GiB maximum', () => {
    expect(planParts(10 * MiB, { partSize: 1000 }).partSize).toBe(MiB);
    expect(planParts(6 * GiB, { partSize: 8 * GiB }).partSize).toBe(MAX_PART_SIZE);
  });

  it('refuses a file larger than 10,000 parts of 5 GiB', () => {
    expect(() => planParts(MAX_PARTS * MAX_PART_SIZE + 1, { partSize: 8 * MiB })).toThrow(RangeError);
  });

  it('plans one empty part for a 0-byte file and refuses nonsense sizes', () => {
    expect(planParts(0, { partSize: MiB })).toEqual({ partSize: MiB, partCount: 1, raised: false });
    expect(partRange(planParts(0, { partSize: MiB }), 0, 1)).toEqual({ partNumber: 1, offset: 0, length: 0 });
    expect(() => planParts(-1, { partSize: MiB })).toThrow(RangeError);
    expect(() => planParts(1.5, { partSize: MiB })).toThrow(RangeError);
    expect(() => planParts(10, { partSize: 0 })).toThrow(RangeError);
  });

  it('honours a lowered minimum part size (tests with the emulator)', () => {
    const plan = planParts(100_000, { partSize: 1024, minPartSize: 1024, maxParts: 10 });
    expect(plan.raised).toBe(true);
    expect(plan.partCount).toBeLessThanOrEqual(10);
    expect(plan.partSize % 1024).toBe(0);
  });

  it('covers every byte exactly once, for many sizes', () => {
    for (const size of [1, MiB - 1, MiB, MiB + 1, 3 * MiB, 7 * MiB + 123]) {
      const plan = planParts(size, { partSize: MiB });
      const parts = listParts(plan, size);
      let next = 0;
      for (const p of parts) {
        expect(p.offset).toBe(next);
        expect(p.length).toBeGreaterThan(0);
        next += p.length;
      }
      expect(next).toBe(size);
    }
  });
});
