import { describe, expect, it } from 'vitest';
import { isPlainMatch, judgeObjects } from '../../../../src/integrity/audit/judge';
import type { SideEntry } from '../../../../src/integrity/audit/side';

/**
 * The audit counts plain matches without building a result (`isPlainMatch`): it must say "match" exactly
 * where the one verdict (`judgeObjects`) does, on every combination of sizes, CRC-64s and errors.
 */

const sizes = [0, 1, 7];
const crcs: Array<string | undefined> = [undefined, '0', '11051210869376104954', '18446744073709551615'];
const errors: Array<string | undefined> = [undefined, 'HEAD failed'];

function entries(): SideEntry[] {
  const out: SideEntry[] = [];
  for (const size of sizes)
    for (const crc64 of crcs)
      for (const error of errors) {
        const e: SideEntry = { path: 'p', size };
        if (crc64 !== undefined) e.crc64 = crc64;
        if (error !== undefined) e.error = error;
        out.push(e);
      }
  return out;
}

describe('isPlainMatch', () => {
  it('agrees with the one verdict on every pair', () => {
    let matches = 0;
    for (const a of entries())
      for (const b of entries()) {
        const judged = judgeObjects(a, b);
        expect(isPlainMatch(a, b), JSON.stringify([a, b, judged.status])).toBe(judged.status === 'match');
        if (judged.status === 'match') matches++;
      }
    // Same size and the same CRC-64 on both sides, nothing failed: three sizes by three CRC-64s.
    expect(matches).toBe(9);
  });
});
