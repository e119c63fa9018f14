import { describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/crc';
import { uploadVerdict } from '../../../src/transfer/upload/verdict';

const local = crc64(Buffer.from('the bytes on disk'));
const other = crc64(Buffer.from('some other bytes'));

describe('uploadVerdict', () => {
  it('is verified when the service CRC equals ours', () => {
    expect(uploadVerdict({ local, remote: local, via: 'complete' })).toEqual({ kind: 'verified', notes: [] });
    expect(uploadVerdict({ local, remote: local, via: 'put' })).toEqual({ kind: 'verified', notes: [] });
  });

  it('is an integrity failure when the service CRC differs, whatever the parts said', () => {
    expect(uploadVerdict({ local, remote: other, via: 'complete', partsWithoutCrc: [2] })).toEqual({
      kind: 'integrity-failure',
      expected: local,
      actual: other,
    });
    expect(uploadVerdict({ local, remote: other, via: 'put' }).kind).toBe('integrity-failure');
  });

  it('is verified by a matching whole-object CRC when parts lacked theirs, and names them', () => {
    const one = uploadVerdict({ local, remote: local, via: 'complete', partsWithoutCrc: [2] });
    expect(one.kind).toBe('verified');
    expect(one.kind === 'verified' && one.notes).toEqual([
      'the service returned no CRC-64 for part 2; the whole-object CRC-64 matched, which covers it',
    ]);
    const two = uploadVerdict({ local, remote: local, via: 'complete', partsWithoutCrc: [7, 3] });
    expect(two.kind === 'verified' && two.notes[0]).toMatch(/^the service returned no CRC-64 for parts 3, 7;.*covers them$/);
  });

  it('is not verified without a whole-object CRC, naming the parts that had none', () => {
    expect(uploadVerdict({ local, via: 'complete', partsWithoutCrc: [2] })).toEqual({
      kind: 'not-verified',
      reason: 'the service returned no CRC-64 for part 2, so it gave no whole-object CRC-64',
      notes: [],
    });
    expect(uploadVerdict({ local, via: 'complete' })).toMatchObject({
      kind: 'not-verified',
      reason: 'the service returned no whole-object CRC-64 on Complete',
    });
    expect(uploadVerdict({ local, via: 'put' })).toMatchObject({
      kind: 'not-verified',
      reason: 'the service returned no CRC-64 for the upload',
    });
  });

  it('is not verified when verification was switched off, even with a service CRC', () => {
    expect(uploadVerdict({ remote: other, via: 'complete' })).toMatchObject({
      kind: 'not-verified',
      reason: 'verification was switched off',
    });
  });
});
