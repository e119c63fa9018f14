import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyCounts, reportText, writeReport, type VerifyResult, type VerifySummary } from '../../../src/integrity/verify';
import { makeTempDir } from '../../support/tempDir';

const issues: VerifyResult[] = [
  { key: 'p/a,"b".txt', status: 'differ', size: 3, localSize: 3, localCrc64: '1', remoteCrc64: '2', detail: 'CRC-64 differs' },
  { key: 'p/=cmd', status: 'only-local', detail: 'no such object in the bucket' },
  { key: 'p/old', status: 'no-crc', size: 9, detail: 'the object was stored without a CRC-64' },
];
const summary: VerifySummary = {
  runId: 'r',
  counts: { ...emptyCounts(), total: 5, match: 2, differ: 1, 'only-local': 1, 'no-crc': 1 },
  requests: { list: 1, head: 0 },
  resumed: false,
  seconds: 1,
};
const target = { remote: 'cos://b-1250000000/p/', checkedAt: new Date('2024-01-02T03:04:05Z') };
let tmp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => tmp?.cleanup());

describe('verify reports', () => {
  it('CSV: one row per issue that a CSV reader gives back cell for cell', async () => {
    tmp = makeTempDir('bi-report-');
    const file = join(tmp.dir, 'r.csv');
    await writeReport(file, target, summary, issues);
    const text = readFileSync(file, 'utf8');
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual(['status', 'key', 'size', 'local_size', 'local_crc64', 'remote_crc64', 'previous_crc64', 'detail']);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual(issues.map((i) => [i.status, i.key]));
    expect(rows[1].slice(2, 6)).toEqual(['3', '3', '1', '2']);
  });

  it('JSON: the counts, the requests and every issue', async () => {
    tmp = makeTempDir('bi-report-');
    const file = join(tmp.dir, 'r.json');
    await writeReport(file, target, summary, issues);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json).toMatchObject({
      remote: target.remote,
      checkedAt: '2024-01-02T03:04:05.000Z',
      counts: summary.counts,
      requests: { list: 1, head: 0 },
    });
    expect(json.results).toEqual(issues);
  });

  it('text: counts per symbol, then each issue relative to the prefix', () => {
    const text = reportText({ ...target, profile: 'prod' }, summary, issues);
    expect(text).toContain('Against:  the CRC record');
    expect(text).toContain(
      '2 = match\n1 * differ (sizes or CRC-64)\n1 + only local (not in the bucket)\n0 - only in the bucket (no local file)\n1 ? no CRC-64 stored (cannot be checked)\n0 ! error',
    );
    expect(text).toContain('5 objects: 2 match, 1 differ, 1 only local, 1 without CRC-64.');
    expect(text).toContain('* a,"b".txt  (CRC-64 differs)\n+ =cmd  (no such object in the bucket)\n? old');
  });
});
