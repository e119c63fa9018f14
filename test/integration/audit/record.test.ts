import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditBuckets, judgeObjects, type AuditResult, type AuditSide } from '../../../src/integrity/audit';
import { CrcRecord, type ObjectUpdate } from '../../../src/record';
import { makeTempDir } from '../../support/tempDir';

/**
 * The audit from the record alone, both ways: pairs counted inside SQLite (only the exceptions read out)
 * and every pair read out and merge-joined — the same verdicts, with prefixes of different lengths and
 * keys whose UTF-16 and UTF-8 orders differ (astral characters against U+E000–U+FFFF).
 */

const temp = makeTempDir('bi-audit-record-');
let record: CrcRecord;

beforeAll(async () => {
  record = await CrcRecord.open(join(temp.dir, 'record.sqlite'));
});
afterAll(() => {
  record.close();
  temp.cleanup();
});

const side = (profile: string, bucket: string, prefix: string): AuditSide => ({
  store: {} as AuditSide['store'],
  profile,
  bucket,
  prefix,
  label: `cos://${bucket}/${prefix}`,
});

function rows(prefix: string, objects: Array<[string, number, string | undefined]>): ObjectUpdate[] {
  return objects.map(([key, size, crc]) => ({ key: prefix + key, size, source: 'inventory', ...(crc ? { crc64: crc } : {}) }));
}

describe('auditing two places of the record', () => {
  const first = side('p1', 'one', '😀data/');
  const second = side('p2', 'two', 'x/');
  beforeAll(() => {
    const names = Array.from({ length: 120 }, (_, i) => `f${String(i).padStart(3, '0')}`);
    const common: Array<[string, number, string | undefined]> = names.map((n, i) => [n, i, String(1000 + i)]);
    record.objects.upsertMany(
      { profile: 'p1', bucket: 'one' },
      rows('😀data/', [...common, ['\uE000', 1, '7'], ['😀', 2, '8'], ['only1', 3, '9'], ['nocrc', 4, undefined], ['sub/', 0, undefined]]),
    );
    record.objects.upsertMany(
      { profile: 'p2', bucket: 'two' },
      rows('x/', [
        ...common.map(([n, s, c]): [string, number, string | undefined] =>
          n === 'f050' ? [n, s, '1'] : n === 'f060' ? [n, s + 1, c] : [n, s, c],
        ),
        ['\uE000', 1, '7'],
        ['😀', 2, '8'],
        ['only2', 3, '9'],
        ['nocrc', 4, '5'],
      ]),
    );
    // Outside both prefixes: never counted.
    record.objects.upsertMany({ profile: 'p1', bucket: 'one' }, rows('other/', [['f000', 0, '1000']]));
  });

  it('gives the same verdicts counted in SQL as read out pair by pair', async () => {
    const counted: AuditResult[] = [];
    const listed: AuditResult[] = [];
    const a = await auditBuckets({ record, first, second, listing: false, restart: true, onResult: (r) => counted.push(r) });
    const b = await auditBuckets({
      record,
      first,
      second,
      listing: false,
      restart: true,
      reportMatches: true,
      onResult: (r) => listed.push(r),
    });
    expect(a.counts).toEqual(b.counts);
    expect(a.counts).toMatchObject({ total: 125, match: 120, differ: 2, 'only-local': 1, 'only-remote': 1, 'no-crc': 1 });
    expect(counted).toEqual(listed.filter((r) => r.status !== 'match'));
    expect(counted.map((r) => `${r.status} ${r.path}`)).toEqual([
      'differ f050',
      'differ f060',
      'no-crc nocrc',
      'only-local only1',
      'only-remote only2',
    ]);
    // UTF-8 order: U+E000 sorts before an astral character.
    const order = listed.map((r) => r.path);
    expect(order.indexOf('\uE000')).toBeLessThan(order.indexOf('😀'));
    expect(a.requests).toEqual({ first: { list: 0, head: 0, get: 0 }, second: { list: 0, head: 0, get: 0 } });
  });

  it('names the side without a CRC-64, whichever it is', () => {
    expect(judgeObjects({ path: 'k', size: 1 }, { path: 'k', size: 1, crc64: '5' })).toMatchObject({
      status: 'no-crc',
      detail: 'stored without a CRC-64 in the first bucket',
    });
    expect(judgeObjects({ path: 'k', size: 1, crc64: '5' }, { path: 'k', size: 1 })).toMatchObject({
      status: 'no-crc',
      detail: 'stored without a CRC-64 in the second bucket',
    });
    expect(judgeObjects({ path: 'k', size: 1 }, { path: 'k', size: 2 })).toMatchObject({ status: 'differ' });
    expect(judgeObjects({ path: 'k', size: 1, crc64: '5', error: 'boom' }, { path: 'k', size: 1, crc64: '5' })).toMatchObject({
      status: 'error',
      detail: 'first bucket: boom',
    });
  });
});
