import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKey, enableCrcInventory, importInventory, type InventoryLocation } from '../../../src/inventory';
import { parseReportDate, runFolderDate } from '../../../src/inventory/import';
import { CrcRecord } from '../../../src/record';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore } from '../../../src/storage/types';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';

/**
 * Inventory round trips in the vendors' documented shapes (test/fixtures/vendor/, copied from
 * ../shared/vendor-examples with their sources): what the product sends, what the emulator answers and
 * writes, and what the product reads back.
 */

let emu: Emulator;
let tmp: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  emu = await startTestEmulator();
  tmp = makeTempDir('bi-vendor-inv-');
});
afterAll(async () => {
  tmp.cleanup();
  await emu.close();
});

async function withRecord<T>(name: string, fn: (record: CrcRecord) => Promise<T>): Promise<T> {
  const record = await CrcRecord.open(join(tmp.dir, `${name}.sqlite`));
  try {
    return await fn(record);
  } finally {
    record.close();
  }
}

/** POST Bucket inventory with the body cos-inventory.md §5 documents (no IsEnabled, no Schedule). */
function postBody(id: string, dest: string): string {
  return (
    `<InventoryConfiguration><Id>${id}</Id><Destination><COSBucketDestination><Format>CSV</Format><AccountId>${emu.cos.appId}</AccountId>` +
    `<Bucket>qcs::cos:${emu.cos.region}::${dest}</Bucket></COSBucketDestination></Destination>` +
    '<IncludedObjectVersions>Current</IncludedObjectVersions><OptionalFields><Field>Size</Field><Field>Crc64</Field></OptionalFields></InventoryConfiguration>'
  );
}

describe('COS one-time inventory (POST Bucket inventory)', () => {
  // cos-inventory.md §5: "在清单任务未完成前，再次重复提交相同 id 的清单任务，或者使用与周期性清单任务相同的 id，
  // 服务端会返回重复清单任务的错误" and "同一天内不允许提交重复的 id，否则会返回失败".
  it('is refused under the id of a periodic inventory, and twice the same day under one id', async () => {
    const store = await emulatorStore(emu, 'cos');
    const cos = cosClient(emu);
    const src = await makeCosBucket(emu, 'oncesrc');
    const dest = await makeCosBucket(emu, 'oncedst');
    await enableCrcInventory(store, src, { id: 'daily', destinationBucket: dest, requestReport: false });
    const post = (id: string) =>
      cosCall(cos.request.bind(cos), {
        Bucket: src,
        Region: emu.cos.region,
        Method: 'POST',
        Action: 'inventory',
        Query: { id },
        Body: postBody(id, dest),
      });
    await expect(post('daily')).rejects.toMatchObject({ statusCode: 400 });
    expect((await post('adhoc')).statusCode).toBe(200);
    await expect(post('adhoc')).rejects.toMatchObject({ statusCode: 400 });
  });

  it('"Enable and run now" sends it under an id of its own, and the import finds that report', async () => {
    const store = await emulatorStore(emu, 'cos');
    const src = await makeCosBucket(emu, 'ensrc');
    const dest = await makeCosBucket(emu, 'endst');
    for (let i = 0; i < 3; i++) await store.put(src, `k/${i}`, Buffer.from(`v${i}`));
    emu.clearRequests();
    const now = new Date(Date.UTC(2026, 4, 6, 7, 8, 9));
    const { location, reportRequested } = await enableCrcInventory(store, src, { id: 'crc', destinationBucket: dest, now });
    expect(reportRequested).toBe(true);
    const posted = emu.requests().filter((r) => r.op === 'PostBucketInventory');
    expect(posted.map((r) => r.status)).toEqual([200]);
    const result = await withRecord('cos-once', (record) => importInventory({ store, record, profile: 'p', location }));
    expect(result.manifestKey).toContain('/crc-once-20260506070809/');
    expect(result.rows).toBe(3);
  });
});

describe('COS manifest as documented (cos-inventory.md §1)', () => {
  it('has no creationTimestamp, strings for counts and sizes, appids, md5Checksum, data beside the run folders; checked-at is the run date', async () => {
    const store = await emulatorStore(emu, 'cos');
    const cos = cosClient(emu);
    const src = await makeCosBucket(emu, 'mansrc');
    const dest = await makeCosBucket(emu, 'mandst');
    await store.put(src, 'a', Buffer.from('alpha'));
    const { location } = await enableCrcInventory(store, src, { id: 'crc', destinationBucket: dest, prefix: 'inv', requestReport: false });
    const run = await emu.runInventory('cos', src, 'crc');
    const text = String((await cosCall(cos.getObject.bind(cos), { Bucket: dest, Region: emu.cos.region, Key: run.manifestKey })).Body);
    const manifest = JSON.parse(text) as Record<string, unknown>;
    expect(manifest.creationTimestamp).toBeUndefined();
    expect(manifest).toMatchObject({
      sourceAppid: emu.cos.appId,
      destinationAppid: emu.cos.appId,
      listObjectCount: '1',
      listStorageSize: '5',
    });
    const files = manifest.files as Record<string, unknown>[];
    expect(typeof files[0].size).toBe('string');
    expect(files[0].md5Checksum).toMatch(/^[0-9a-f]{32}$/);
    const short = src.slice(0, -emu.cos.appId.length - 1);
    expect(files[0].key).toMatch(new RegExp(`^inv/${emu.cos.appId}/${short}/crc/[^/]+\\.csv\\.gz$`));
    const runFolder = /\/(\d{8})\/manifest\.json$/.exec(run.manifestKey)![1];
    await withRecord('cos-manifest', async (record) => {
      const result = await importInventory({ store, record, profile: 'p', location });
      expect(result.rows).toBe(1);
      const got = record.objects.get({ profile: 'p', bucket: src }, 'a')!;
      expect(got.checkedAt).toBe(Date.UTC(+runFolder.slice(0, 4), +runFolder.slice(4, 6) - 1, +runFolder.slice(6, 8)));
      expect(got.lastModified).toBeGreaterThan(0);
    });
  });
});

describe('OSS inventory as documented (oss-inventory.md)', () => {
  let store: ObjectStore;
  beforeAll(async () => {
    store = await emulatorStore(emu, 'oss');
  });

  it('reads LastModifiedDate written "2025-04-14T07-06-00Z" (§2), and keys with "+", space and "%20" both ways', async () => {
    // §2: "source-bucket,"dir%2Fbody.xml","102400","Standard","2025-04-14T07-06-00Z"".
    expect(parseReportDate('2025-04-14T07-06-00Z')).toBe(Date.UTC(2025, 3, 14, 7, 6, 0));
    expect(parseReportDate('2025-04-14T07:06:00.000Z')).toBe(Date.UTC(2025, 3, 14, 7, 6, 0));
    expect(runFolderDate('2025-05-17T16-00Z')).toBe(Date.UTC(2025, 4, 17, 16, 0));
    // A form-encoded space is "+", a literal "+" is "%2B": both decode; "%2520" is the key "%20".
    expect(['a+b', 'a%2Bb', 'a%20b', 'a%2520b', 'dir%2Fbody.xml'].map(decodeKey)).toEqual(['a b', 'a+b', 'a b', 'a%20b', 'dir/body.xml']);
    const src = await makeOssBucket(emu, 'datesrc');
    const dest = await makeOssBucket(emu, 'datedst');
    const keys = ['k/a+b', 'k/a b', 'k/a%20b'];
    for (const k of keys) await store.put(src, k, Buffer.from(k));
    const { location } = await enableCrcInventory(store, src, { id: 'crc', destinationBucket: dest });
    await emu.runInventory('oss', src, 'crc');
    await withRecord('oss-dates', async (record) => {
      const result = await importInventory({ store, record, profile: 'p', location });
      expect(result.failed).toEqual([]);
      for (const k of keys) {
        const head = await store.head(src, k);
        const got = record.objects.get({ profile: 'p', bucket: src }, k);
        expect(got, k).toBeDefined();
        // Whole seconds, as the report and Last-Modified give them.
        expect(got!.lastModified).toBe(Math.floor(head.lastModified!.getTime() / 1000) * 1000);
        expect(got!.crc64).toBe(head.crc64);
      }
    });
  });

  it('PutBucketInventory with an empty or wrong AccountId is refused with EC 0020-00000028 (§5)', async () => {
    const src = await makeOssBucket(emu, 'acctsrc');
    const dest = await makeOssBucket(emu, 'acctdst');
    const client = ossClient(emu, src) as unknown as { putBucketInventory(bucket: string, inventory: object): Promise<{ status: number }> };
    const inventory = (accountId: string, rolename = 'AliyunOSSRole') => ({
      id: 'crc',
      isEnabled: true,
      OSSBucketDestination: { format: 'CSV', accountId, rolename, bucket: dest, prefix: 'r' },
      frequency: 'Daily',
      includedObjectVersions: 'Current',
      optionalFields: { field: ['Size', 'Crc64'] },
    });
    for (const accountId of ['', '123456789']) {
      await expect(client.putBucketInventory(src, inventory(accountId)), accountId).rejects.toMatchObject({
        status: 400,
        ecCode: '0020-00000028',
      });
    }
    await expect(client.putBucketInventory(src, inventory(emu.accountId, ''))).rejects.toMatchObject({ status: 400 });
    expect((await client.putBucketInventory(src, inventory(emu.accountId))).status).toBe(200);
    // PutBucketInventory creates only: "The inventory that is specified by the Id node … already exists"
    // (EC 0020-00000042, https://help.aliyun.com/en/oss/user-guide/0020-00000042).
    await expect(client.putBucketInventory(src, inventory(emu.accountId))).rejects.toMatchObject({ status: 409, ecCode: '0020-00000042' });
  });

  it('the product replaces an OSS configuration by deleting it first, as OSS refuses to put an existing id', async () => {
    const src = await makeOssBucket(emu, 'replsrc');
    const dest = await makeOssBucket(emu, 'repldst');
    await enableCrcInventory(store, src, { id: 'crc', destinationBucket: dest, prefix: 'one' });
    emu.clearRequests();
    await enableCrcInventory(store, src, { id: 'crc', destinationBucket: dest, prefix: 'two' });
    expect(emu.requests().map((r) => `${r.op} ${r.status}`)).toEqual([
      'GetBucketInfo 200',
      'PutBucketInventory 409',
      'DeleteBucketInventory 204',
      'PutBucketInventory 200',
    ]);
    expect((await store.getInventory(src, 'crc')).destination.prefix).toBe('two');
  });

  it('the product refuses a bad account id or role name before asking, and reads the account id when none is given', async () => {
    const src = await makeOssBucket(emu, 'prodsrc');
    const dest = await makeOssBucket(emu, 'proddst');
    emu.clearRequests();
    for (const bad of [{ accountId: 'me' }, { roleName: 'no such/role' }]) {
      const err = await enableCrcInventory(store, src, { id: 'crc', destinationBucket: dest, ...bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).kind).toBe('invalid-request');
    }
    expect(emu.requests().filter((r) => r.op === 'PutBucketInventory')).toEqual([]);
    await enableCrcInventory(store, src, { id: 'crc', destinationBucket: dest });
    expect((await store.getInventory(src, 'crc')).destination.accountId).toBe(emu.accountId);
  });

  it('accepts Monthly with DayOfMonth and the fields TransitionTime and LastAccessDate, and the product reads Monthly as Monthly (§4)', async () => {
    const src = await makeOssBucket(emu, 'monsrc');
    const dest = await makeOssBucket(emu, 'mondst');
    const oss = ossClient(emu, src);
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><InventoryConfiguration><Id>monthly</Id><IsEnabled>true</IsEnabled><Destination><OSSBucketDestination>` +
      `<Format>CSV</Format><AccountId>${emu.accountId}</AccountId><RoleArn>acs:ram::${emu.accountId}:role/AliyunOSSRole</RoleArn>` +
      `<Bucket>acs:oss:::${dest}</Bucket><Prefix>r</Prefix></OSSBucketDestination></Destination>` +
      '<Schedule><Frequency>Monthly</Frequency><DayOfMonth>3</DayOfMonth></Schedule><Filter><Prefix></Prefix></Filter><IncludedObjectVersions>Current</IncludedObjectVersions>' +
      '<OptionalFields><Field>Size</Field><Field>TransitionTime</Field><Field>Crc64</Field><Field>LastAccessDate</Field></OptionalFields></InventoryConfiguration>';
    const request = (oss as unknown as { request(p: object): Promise<{ status: number }> }).request.bind(oss);
    const put = await request({
      method: 'PUT',
      bucket: src,
      subres: { inventory: '', inventoryId: 'monthly' },
      content: xml,
      mime: 'xml',
      successStatuses: [200],
    });
    expect(put.status).toBe(200);
    const got = await store.getInventory(src, 'monthly');
    expect(got).toMatchObject({ frequency: 'Monthly', dayOfMonth: 3 });
    await store.put(src, 'x', Buffer.from('x'));
    const run = await emu.runInventory('oss', src, 'monthly');
    const manifest = JSON.parse((await (await store.get(dest, run.manifestKey)).body.toArray()).join('')) as { fileSchema: string };
    expect(manifest.fileSchema).toBe('Bucket, Key, Size, TransitionTime, Crc64, LastAccessDate');
    const location: InventoryLocation = {
      provider: 'oss',
      sourceBucket: src,
      inventoryId: 'monthly',
      destinationBucket: dest,
      destinationPrefix: 'r',
    };
    await withRecord('oss-monthly', async (record) => {
      expect((await importInventory({ store, record, profile: 'p', location })).rows).toBe(1);
    });
  });
});
