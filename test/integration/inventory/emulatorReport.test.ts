import { join } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPrefix, type VerifyResult } from '../../../src/integrity/verify';
import { crc64, formatCrc64 } from '../../../src/crc';
import { importInventory } from '../../../src/inventory';
import { CrcRecord } from '../../../src/record';
import { isVersionLister } from '../../../src/storage/capabilities';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { readAll } from '../storage/helpers';

/**
 * A report the emulator's inventory run wrote (configured through the real SDKs), imported and verified. A
 * report of all versions (`IncludedObjectVersions` All) lists every version and delete marker with
 * VersionId, IsLatest and IsDeleteMarker (the services' fileSchema, vendor-examples cos-inventory.md and
 * oss-inventory.md); its import records each key's current version only.
 */

const crcOf = (text: string) => formatCrc64(crc64(Buffer.from(text)));

const BODIES: Record<string, string> = {
  'data/a.txt': 'alpha',
  'data/b c+d.txt': 'bravo',
  'data/ü/数据': 'delta',
  'data/e,"f"': 'echo',
  'other/x': 'x',
};

async function configure(emu: Emulator, provider: ProviderKind, src: string, dest: string): Promise<string> {
  if (provider === 'cos') {
    const cos: COS = cosClient(emu);
    const InventoryConfiguration = {
      Id: 'crc',
      IsEnabled: 'true' as const,
      Destination: {
        COSBucketDestination: {
          Format: 'CSV',
          AccountId: emu.cos.appId,
          Bucket: `qcs::cos:${emu.cos.region}::${dest}`,
          Prefix: 'cos_bucket_inventory',
        },
      },
      Schedule: { Frequency: 'Daily' },
      Filter: { Prefix: 'data/' },
      IncludedObjectVersions: 'Current',
      OptionalFields: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'Crc64'],
    } as COS.InventoryConfiguration;
    await cosCall(cos.putBucketInventory.bind(cos), { Bucket: src, Region: emu.cos.region, Id: 'crc', InventoryConfiguration });
    return 'cos_bucket_inventory';
  }
  const oss = ossClient(emu, src) as unknown as { putBucketInventory(b: string, i: object): Promise<unknown> };
  await oss.putBucketInventory(src, {
    id: 'crc',
    isEnabled: true,
    prefix: 'data/',
    OSSBucketDestination: { format: 'CSV', accountId: emu.accountId, rolename: 'AliyunOSSRole', bucket: dest, prefix: 'reports' },
    frequency: 'Daily',
    includedObjectVersions: 'Current',
    optionalFields: { field: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'Crc64'] },
  });
  return 'reports';
}

describe.each(['cos', 'oss'] as const)('a %s inventory report from the emulator', (provider: ProviderKind) => {
  let emu: Emulator;
  let store: ObjectStore;
  let tmp: ReturnType<typeof makeTempDir>;
  let record: CrcRecord;

  beforeAll(async () => {
    emu = await startTestEmulator();
    store = await emulatorStore(emu, provider);
    tmp = makeTempDir('bi-inv-emu-');
    record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
  });
  afterAll(async () => {
    record.close();
    tmp.cleanup();
    await emu.close();
  });

  it('is imported whole (keys decoded, legacy objects without a CRC-64) and verifies without a HEAD', async () => {
    const src = provider === 'cos' ? await makeCosBucket(emu, 'isrc') : await makeOssBucket(emu, 'isrc');
    const dest = provider === 'cos' ? await makeCosBucket(emu, 'idst') : await makeOssBucket(emu, 'idst');
    for (const [key, body] of Object.entries(BODIES)) await store.put(src, key, Buffer.from(body));
    await emu.putLegacyObject(provider, src, 'data/legacy', 'stored before CRCs');
    const prefix = await configure(emu, provider, src, dest);
    await emu.runInventory(provider, src, 'crc', { rowsPerFile: 2 });

    const result = await importInventory({
      store,
      record,
      profile: 'p',
      location: { provider, sourceBucket: src, inventoryId: 'crc', destinationBucket: dest, destinationPrefix: prefix },
    });
    expect(result.failed).toEqual([]);
    expect(result.files).toBe(3);
    expect(result.rows).toBe(5);
    for (const key of [...Object.keys(BODIES).filter((k) => k.startsWith('data/')), 'data/legacy']) {
      const head = await store.head(src, key);
      const recorded = record.objects.get({ profile: 'p', bucket: src }, key);
      expect(recorded).toMatchObject({ size: head.size, source: 'inventory' });
      expect(recorded?.crc64).toBe(head.crc64);
      expect(`"${recorded?.etag}"`).toBe(head.etag?.toLowerCase());
    }

    const again = await importInventory({
      store,
      record,
      profile: 'p',
      location: { provider, sourceBucket: src, inventoryId: 'crc', destinationBucket: dest, destinationPrefix: prefix },
      skipManifest: result.manifestKey,
    });
    expect(again).toMatchObject({ unchanged: true, rows: 0, manifestKey: result.manifestKey });

    emu.clearRequests();
    const results: VerifyResult[] = [];
    const summary = await verifyPrefix({ store, record, profile: 'p', bucket: src, prefix: 'data/', onResult: (r) => results.push(r) });
    expect(emu.requests().filter((r) => r.op === 'HeadObject')).toEqual([]);
    expect(summary.counts).toMatchObject({ total: 5, match: 4, 'no-crc': 1 });
    expect(results.find((r) => r.key === 'data/legacy')?.status).toBe('no-crc');
  });

  it('of all versions lists every version and marker; the import records the current version of each key only', async () => {
    const src = provider === 'cos' ? await makeCosBucket(emu, 'vsrc') : await makeOssBucket(emu, 'vsrc');
    const dest = provider === 'cos' ? await makeCosBucket(emu, 'vdst') : await makeOssBucket(emu, 'vdst');
    if (!isVersionLister(store)) throw new Error('no versions');
    await store.setVersioning(src, 'Enabled');
    await store.put(src, 'data/a.txt', Buffer.from('old'));
    await store.put(src, 'data/a.txt', Buffer.from('current'));
    await store.put(src, 'data/gone.txt', Buffer.from('deleted'));
    await store.deleteObject(src, 'data/gone.txt');
    await store.putInventory(src, {
      id: 'all',
      destination: {
        bucket: dest,
        prefix: 'inv',
        accountId: provider === 'cos' ? emu.cos.appId : emu.accountId,
        roleName: 'AliyunOSSRole',
      },
      format: 'CSV',
      frequency: 'Daily',
      fields: ['Size', 'LastModified', 'ETag', 'Crc64'],
      prefix: 'data/',
      includedVersions: 'All',
    });
    const run = await emu.runInventory(provider, src, 'all');
    expect(run.rows).toBe(4);
    const manifest = JSON.parse((await readAll((await store.get(dest, run.manifestKey)).body)).toString()) as { fileSchema: string };
    expect(manifest.fileSchema).toMatch(/VersionId, IsLatest, IsDeleteMarker/);

    const result = await importInventory({
      store,
      record,
      profile: 'p',
      location: { provider, sourceBucket: src, inventoryId: 'all', destinationBucket: dest, destinationPrefix: 'inv' },
    });
    expect(result.failed.map((f) => f.message)).toEqual([]);
    expect(record.objects.get({ profile: 'p', bucket: src }, 'data/a.txt')?.crc64).toBe(crcOf('current'));
    expect(record.objects.get({ profile: 'p', bucket: src }, 'data/gone.txt')).toBeUndefined();
  });
});
