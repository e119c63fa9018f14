import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyJournal, verifyPrefix, type VerifyResult } from '../../../src/integrity/verify';
import { CrcRecord, type ObjectUpdate } from '../../../src/record';
import { checkRecordedRange } from '../../../src/record/check';
import { makeTempDir } from '../../support/tempDir';

const scope = { profile: 'p', bucket: 'b-1250000000' };
let tmp: ReturnType<typeof makeTempDir>;
let record: CrcRecord;

beforeEach(async () => {
  tmp = makeTempDir('bi-record-check-');
  record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
});
afterEach(() => {
  record.close();
  tmp.cleanup();
});

const key = (i: number) => `d/${String(i).padStart(5, '0')}`;

/** 45,000 objects below d/ (three ranges of 20,000), a few without CRC-64, two changed silently, a folder marker, and neighbours outside the prefix. */
function seed(): void {
  const rows: ObjectUpdate[] = [];
  for (let i = 0; i < 45_000; i++)
    rows.push({ key: key(i), size: i, etag: `e${i}`, ...(i % 10_000 === 7 ? {} : { crc64: String(i) }), source: 'inventory' });
  rows.push(
    { key: 'd/sub/', size: 0, etag: 'm', source: 'inventory' },
    { key: 'c/x', size: 1, etag: 'x', source: 'inventory' },
    { key: 'e/x', size: 1, etag: 'x', source: 'inventory' },
  );
  record.objects.upsertMany(scope, rows);
  // Same ETag and size, another CRC-64: the record keeps the old one as previous_crc64.
  record.objects.upsertMany(
    scope,
    [key(3), key(25_001)].map((k) => ({
      key: k,
      size: Number(k.slice(2)),
      etag: `e${Number(k.slice(2))}`,
      crc64: '999',
      source: 'download' as const,
    })),
  );
}

describe('checking the record inside SQLite', () => {
  it('counts a range of keys and reads out only what does not match', () => {
    seed();
    const first = checkRecordedRange(record, scope, 'd/', undefined, 20_000);
    expect(first).toMatchObject({ match: 19_997, differ: 1, noCrc: 2, lastKey: key(19_999), done: false });
    expect(first.issues.map((o) => o.key)).toEqual([key(3), key(7), key(10_007)]);
    expect(first.issues[0]).toMatchObject({ crc64: '999', previousCrc64: '3' });
    const second = checkRecordedRange(record, scope, 'd/', first.lastKey, 20_000);
    expect(second).toMatchObject({ match: 19_997, differ: 1, noCrc: 2, lastKey: key(39_999), done: false });
    // The last range holds 5,000 objects and the folder marker, which is no file.
    const third = checkRecordedRange(record, scope, 'd/', second.lastKey, 20_000);
    expect(third).toMatchObject({ match: 4_999, differ: 0, noCrc: 1, lastKey: 'd/sub/', done: true });
  });

  it('gives the same verdicts as the object-by-object check, with no request', async () => {
    seed();
    const store = {} as never; // any request would throw
    const slow: VerifyResult[] = [];
    const all = await verifyPrefix({ store, record, ...scope, prefix: 'd', listing: false, restart: true, onResult: (r) => slow.push(r) });
    const fast: VerifyResult[] = [];
    const issues = await verifyPrefix({
      store,
      record,
      ...scope,
      prefix: 'd',
      listing: false,
      restart: true,
      reportMatches: false,
      onResult: (r) => fast.push(r),
    });
    expect(issues.counts).toEqual({ total: 45_000, match: 44_993, differ: 2, 'no-crc': 5, 'only-local': 0, 'only-remote': 0, error: 0 });
    expect(issues.counts).toEqual(all.counts);
    expect(fast).toEqual(slow.filter((r) => r.status !== 'match'));
    expect([...verifyJournal(record).issues(issues.runId)]).toEqual(fast);
  });

  it('continues a stopped run after the last range it finished', async () => {
    seed();
    const controller = new AbortController();
    const seen: VerifyResult[] = [];
    const options = { store: {} as never, record, ...scope, prefix: 'd/', listing: false, reportMatches: false };
    await expect(
      verifyPrefix({ ...options, signal: controller.signal, onProgress: () => controller.abort(), onResult: (r) => seen.push(r) }),
    ).rejects.toThrow();
    const resumed = await verifyPrefix({ ...options, onResult: (r) => seen.push(r) });
    expect(resumed.resumed).toBe(true);
    expect(resumed.counts).toMatchObject({ total: 45_000, match: 44_993, differ: 2, 'no-crc': 5 });
    expect(seen.map((r) => r.key)).toEqual([key(3), key(7), key(10_007), key(20_007), key(25_001), key(30_007), key(40_007)]);
  });
});
