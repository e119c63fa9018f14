import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditBasisText, auditBuckets, findReport, reportsKnown, type AuditResult, type AuditSide } from '../../../src/integrity/audit';
import { chooseInventory, reportLocation } from '../../../src/inventory';
import { CrcRecord } from '../../../src/record';
import { startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { inventoryNow, makeBucket } from './fixtures';

/**
 * The audit with the live listings where one side's CRC inventory report is read as it streams and the
 * other side has none (Compare with Bucket… on a bucket without an inventory): the report vouches for its
 * side's unchanged objects, the record for the other's; only what neither knows is HEADed.
 */

let emu: Emulator;
const temp = makeTempDir('bi-audit-one-report-');

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
  temp.cleanup();
});

describe('one side from its streamed report, the other from the record', () => {
  it('HEADs only the objects changed since the report and those the record does not know', async () => {
    const cos = await emulatorStore(emu, 'cos');
    const oss = await emulatorStore(emu, 'oss');
    const bucketA = await makeBucket(emu, 'cos', 'onerepa');
    const bucketB = await makeBucket(emu, 'oss', 'onerepb');
    for (const k of ['a', 'b', 'c', 'd']) {
      await cos.put(bucketA, `src/${k}`, Buffer.from(`body of ${k}`));
      await oss.put(bucketB, `dst/${k}`, Buffer.from(k === 'c' ? 'other bytes' : `body of ${k}`));
    }
    await inventoryNow(emu, cos, 'cos', bucketA, 'crc', { prefix: 'src/' });
    // Replaced after the report (and copied again): the listing shows a new ETag, so only this one of the
    // first side is HEADed.
    await cos.put(bucketA, 'src/d', Buffer.from('new body of d'));
    await oss.put(bucketB, 'dst/d', Buffer.from('new body of d'));

    const choice = chooseInventory(await cos.listInventories(bucketA), 'src/');
    expect(choice.kind).toBe('crc64');
    if (choice.kind !== 'crc64') return;
    const first: AuditSide = { store: cos, profile: 'cos-side', bucket: bucketA, prefix: 'src/', label: `cos://${bucketA}/src/` };
    const second: AuditSide = { store: oss, profile: 'oss-side', bucket: bucketB, prefix: 'dst/', label: `oss://${bucketB}/dst/` };
    const report = await findReport(
      { store: cos, prefix: first.prefix, label: first.label },
      reportLocation('cos', bucketA, choice.config),
    );
    if (typeof report === 'string') throw new Error(report);

    const record = await CrcRecord.open(join(temp.dir, 'record.sqlite'));
    try {
      // The second side's "a" is already known to the record (an earlier check), by its listing's facts.
      const listed = (await oss.list(bucketB, { prefix: 'dst/a' })).objects[0];
      const headA = await oss.head(bucketB, 'dst/a');
      record.objects.upsertMany({ profile: 'oss-side', bucket: bucketB }, [
        {
          key: 'dst/a',
          etag: listed.etag,
          size: listed.size,
          lastModified: listed.lastModified?.getTime(),
          crc64: headA!.crc64,
          source: 'head',
        },
      ]);
      const results: AuditResult[] = [];
      emu.clearRequests();
      const summary = await auditBuckets({
        record,
        first,
        second,
        reportMatches: true,
        onResult: (r) => results.push(r),
        ...reportsKnown([report, undefined]),
      });
      expect(results.map((r) => `${r.status} ${r.path}`)).toEqual(['match a', 'match b', 'differ c', 'match d']);
      const heads = emu
        .requests()
        .filter((q) => q.op === 'HeadObject')
        .map((q) => `${q.bucket === bucketA ? 'first' : 'second'} ${q.key}`)
        .sort();
      expect(heads).toEqual(['first src/d', 'second dst/b', 'second dst/c', 'second dst/d']);
      expect(summary.requests.first.head).toBe(1);
      expect(summary.requests.second.head).toBe(3);
      // What the HEADs learnt is recorded; the report's rows are not imported.
      expect(record.objects.count({ profile: 'oss-side', bucket: bucketB }, 'dst/')).toBe(4);
      expect(record.objects.count({ profile: 'cos-side', bucket: bucketA }, 'src/')).toBe(1);
    } finally {
      record.close();
    }
    expect(auditBasisText({ listing: true, streamed: 1 })).toMatch(/^one side's inventory report as it was read/);
  });
});
