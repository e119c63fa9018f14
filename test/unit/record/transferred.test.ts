import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CrcRecord, RecordError } from '../../../src/record';
import { rememberTransfers } from '../../../src/record/transferred';
import { makeTempDir } from '../../support/tempDir';

let tmp: ReturnType<typeof makeTempDir>;
let record: CrcRecord;
const lender = { use: <T>(work: (r: CrcRecord) => T | Promise<T>) => Promise.resolve(work(record)) };

beforeEach(async () => {
  tmp = makeTempDir('bi-transferred-');
  record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
});
afterEach(() => {
  record.close();
  tmp.cleanup();
});

const ok = (profile: string, bucket: string, key: string, verified: boolean, remoteCrc64?: string) => ({
  ok: true as const,
  profile,
  bucket,
  result: { key, size: key.length, verified, ...(remoteCrc64 ? { remoteCrc64 } : {}) },
});

it('records the verified files of a batch under their own profile and bucket, and nothing else', async () => {
  const lines: string[] = [];
  const n = await rememberTransfers(
    lender,
    'download',
    [
      ok('p1', 'b1', 'a', true, '11'),
      ok('p2', 'b1', 'a', true, '22'),
      ok('p1', 'b1', 'unverified', false, '33'),
      ok('p1', 'b1', 'nocrc', true),
      { ok: false, profile: 'p1', bucket: 'b1' },
    ],
    (line) => lines.push(line),
  );
  expect(n).toBe(2);
  expect(record.objects.get({ profile: 'p1', bucket: 'b1' }, 'a')).toMatchObject({ crc64: '11', size: 1, source: 'download' });
  expect(record.objects.get({ profile: 'p2', bucket: 'b1' }, 'a')).toMatchObject({ crc64: '22', source: 'download' });
  expect(record.objects.count({ profile: 'p1', bucket: 'b1' })).toBe(1);
  expect(lines).toEqual([]);
});

it('logs a record held by another window instead of failing', async () => {
  const lines: string[] = [];
  const locked = { use: () => Promise.reject(new RecordError('locked', 'The CRC record is in use by another window (process 42).')) };
  await expect(rememberTransfers(locked, 'upload', [ok('p', 'b', 'k', true, '1')], (line) => lines.push(line))).resolves.toBe(0);
  expect(lines).toEqual([
    expect.stringMatching(/not updated \(The CRC record is in use by another window \(process 42\)\.\); the transfer is not affected/),
  ]);
});
