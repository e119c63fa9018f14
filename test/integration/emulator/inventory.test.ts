import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

let emu: Emulator;
let cos: COS;

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
});

afterAll(async () => {
  await emu?.close();
});

/** Objects of a test bucket: key → body, plus one stored without a CRC. */
const BODIES: Record<string, string> = {
  'data/a.txt': 'alpha',
  'data/b c.txt': 'bravo bravo',
  'data/ü/d': 'delta',
  'data/e,"f"': 'echo',
  'other/x': 'x',
};

interface Row {
  key: string;
  cells: Record<string, string>;
}

/** Read a report the way an importer does: manifest → each data file → gunzip → CSV, columns from fileSchema. */
async function readReport(
  get: (key: string) => Promise<Buffer>,
  manifestKey: string,
  md5Field: string,
): Promise<{ manifest: Record<string, unknown>; rows: Row[] }> {
  const manifestBytes = await get(manifestKey);
  const checksum = (await get(manifestKey.replace(/manifest\.json$/, 'manifest.checksum'))).toString().trim();
  expect(checksum).toBe(createHash('md5').update(manifestBytes).digest('hex'));
  const manifest = JSON.parse(manifestBytes.toString()) as Record<string, unknown>;
  const columns = String(manifest.fileSchema)
    .split(',')
    .map((c) => c.trim());
  const rows: Row[] = [];
  for (const f of manifest.files as Record<string, string | number>[]) {
    const gz = await get(String(f.key));
    expect(gz.length).toBe(Number(f.size));
    expect(String(f[md5Field]).toLowerCase()).toBe(createHash('md5').update(gz).digest('hex'));
    for (const cells of parse(gunzipSync(gz)) as string[][]) {
      const named = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
      rows.push({ key: decodeURIComponent(named.Key), cells: named });
    }
  }
  return { manifest, rows };
}

describe('COS inventory through cos-nodejs-sdk-v5', () => {
  const region = () => emu.cos.region;
  const config = (dest: string, id: string): COS.InventoryConfiguration => ({
    Id: id,
    IsEnabled: 'true' as const,
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        AccountId: emu.cos.appId,
        Bucket: `qcs::cos:${region()}::${dest}`,
        Prefix: 'cos_bucket_inventory',
        Encryption: { SSECOS: '' },
      },
    },
    Schedule: { Frequency: 'Daily' },
    Filter: { Prefix: 'data/' },
    IncludedObjectVersions: 'Current',
    OptionalFields: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'Crc64'],
  });

  it('PUT, GET, List and DELETE a configuration as the SDK sends and reads it', async () => {
    const src = await makeCosBucket(emu, 'invsrc');
    const dest = await makeCosBucket(emu, 'invdest');
    const put = await cosCall(cos.putBucketInventory.bind(cos), {
      Bucket: src,
      Region: region(),
      Id: 'daily-crc',
      InventoryConfiguration: config(dest, 'daily-crc'),
    });
    expect(put.statusCode).toBe(200);
    await cosCall(cos.putBucketInventory.bind(cos), {
      Bucket: src,
      Region: region(),
      Id: 'second',
      InventoryConfiguration: config(dest, 'second'),
    });
    const got = await cosCall(cos.getBucketInventory.bind(cos), { Bucket: src, Region: region(), Id: 'daily-crc' });
    expect(got.InventoryConfiguration).toMatchObject({
      Id: 'daily-crc',
      IsEnabled: 'true',
      Filter: { Prefix: 'data/' },
      OptionalFields: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'Crc64'],
      Destination: { COSBucketDestination: { Bucket: `qcs::cos:${region()}::${dest}`, Format: 'CSV', Encryption: { SSECOS: '' } } },
    });
    const list = await cosCall(cos.listBucketInventory.bind(cos), { Bucket: src, Region: region() });
    expect((list.InventoryConfigurations as { Id: string }[]).map((c) => c.Id)).toEqual(['daily-crc', 'second']);
    await cosCall(cos.deleteBucketInventory.bind(cos), { Bucket: src, Region: region(), Id: 'second' });
    const err = await cosCall(cos.getBucketInventory.bind(cos), { Bucket: src, Region: region(), Id: 'second' }).catch(
      (e: { statusCode: number; code: string }) => e,
    );
    expect(err).toMatchObject({ statusCode: 404, code: 'NoSuchInventoryConfiguration' });
  });

  it('refuses a configuration whose destination bucket does not exist', async () => {
    const src = await makeCosBucket(emu, 'invsrc');
    const err = await cosCall(cos.putBucketInventory.bind(cos), {
      Bucket: src,
      Region: region(),
      Id: 'x',
      InventoryConfiguration: config(`nope-${emu.cos.appId}`, 'x'),
    }).catch((e: { statusCode: number; code: string }) => e);
    expect(err).toMatchObject({ statusCode: 400, code: 'InvalidArgument' });
  });

  it('runs a configured inventory now and a one-time POST inventory, in the COS layout', async () => {
    const src = await makeCosBucket(emu, 'invrun');
    const dest = await makeCosBucket(emu, 'invout');
    for (const [key, body] of Object.entries(BODIES))
      await cosCall(cos.putObject.bind(cos), { Bucket: src, Region: region(), Key: key, Body: body });
    await emu.putLegacyObject('cos', src, 'data/legacy', 'stored before CRCs');
    await cosCall(cos.putBucketInventory.bind(cos), {
      Bucket: src,
      Region: region(),
      Id: 'daily-crc',
      InventoryConfiguration: config(dest, 'daily-crc'),
    });
    const res = await fetch(`${emu.endpoint}/_emulator/inventory-run?dialect=cos&bucket=${src}&id=daily-crc&rowsPerFile=2`, {
      method: 'POST',
    });
    const run = (await res.json()) as { manifestKey: string; dataKeys: string[] };
    const short = src.slice(0, -emu.cos.appId.length - 1);
    expect(run.manifestKey).toMatch(new RegExp(`^cos_bucket_inventory/${emu.cos.appId}/${short}/daily-crc/\\d{8}/manifest\\.json$`));
    expect(run.dataKeys).toHaveLength(3);
    const get = async (key: string) =>
      (await cosCall(cos.getObject.bind(cos), { Bucket: dest, Region: region(), Key: key })).Body as Buffer;
    const { manifest, rows } = await readReport(get, run.manifestKey, 'md5Checksum');
    expect(manifest.fileSchema).toBe('Appid, Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, Crc64');
    expect(manifest.files).toHaveLength(3);
    const listed = (await cosCall(cos.getBucket.bind(cos), { Bucket: src, Region: region(), Prefix: 'data/' })).Contents as {
      Key: string;
      Size: string;
      ETag: string;
    }[];
    expect(rows.map((r) => r.key)).toEqual(listed.map((c) => c.Key));
    for (const r of rows) {
      const head = await cosCall(cos.headObject.bind(cos), { Bucket: src, Region: region(), Key: r.key });
      expect(r.cells.Size).toBe(head.headers!['content-length']);
      expect(`"${r.cells.ETag}"`).toBe(head.headers!.etag);
      expect(r.cells.Crc64).toBe(r.key === 'data/legacy' ? '' : oracleCrc64(Buffer.from(BODIES[r.key])));
      expect(r.cells).toMatchObject({ Appid: emu.cos.appId, Bucket: src, StorageClass: 'STANDARD' });
    }
    // The one-time inventory: POST ?inventory&id= with the body POST Bucket inventory documents.
    const body =
      `<InventoryConfiguration><Id>disposable</Id><Destination><COSBucketDestination><Format>CSV</Format><AccountId>${emu.cos.appId}</AccountId>` +
      `<Bucket>qcs::cos:${region()}::${dest}</Bucket><Prefix>once</Prefix></COSBucketDestination></Destination>` +
      '<Filter><And><Prefix>other/</Prefix></And></Filter><IncludedObjectVersions>Current</IncludedObjectVersions>' +
      '<OptionalFields><Field>Size</Field><Field>Crc64</Field></OptionalFields></InventoryConfiguration>';
    const post = await cosCall(cos.request.bind(cos), {
      Bucket: src,
      Region: region(),
      Method: 'POST',
      Action: 'inventory',
      Query: { id: 'disposable' },
      Body: body,
    });
    expect(post.statusCode).toBe(200);
    const once = (await cosCall(cos.getBucket.bind(cos), { Bucket: dest, Region: region(), Prefix: 'once/' })).Contents as {
      Key: string;
    }[];
    const manifestKey = once.map((c) => c.Key).find((k) => k.endsWith('manifest.json'))!;
    expect(manifestKey).toMatch(new RegExp(`^once/${emu.cos.appId}/${short}/disposable/\\d{8}/manifest\\.json$`));
    const report = await readReport(get, manifestKey, 'md5Checksum');
    expect(report.rows.map((r) => [r.key, r.cells.Size, r.cells.Crc64])).toEqual([['other/x', '1', oracleCrc64(Buffer.from('x'))]]);
  });
});

describe('OSS inventory through ali-oss', () => {
  const inventory = (
    dest: string,
    id: string,
    fields = ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'Crc64'],
  ) => ({
    id,
    isEnabled: true,
    prefix: 'data/',
    OSSBucketDestination: { format: 'CSV', accountId: emu.accountId, rolename: 'AliyunOSSRole', bucket: dest, prefix: 'reports' },
    frequency: 'Weekly',
    includedObjectVersions: 'Current',
    optionalFields: { field: fields },
  });

  it('PutBucketInventory, Get, List and Delete as ali-oss sends and reads them', async () => {
    const src = await makeOssBucket(emu, 'invsrc');
    const dest = await makeOssBucket(emu, 'invdest');
    const oss = ossClient(emu, src);
    // ali-oss's types lag its code (the inventory methods exist since 6.13): call them through a narrow view.
    const inv = oss as unknown as {
      putBucketInventory(b: string, i: object): Promise<{ status: number }>;
      getBucketInventory(b: string, id: string): Promise<{ inventory: Record<string, unknown> }>;
      listBucketInventory(b: string): Promise<{ inventoryList: Record<string, unknown>[]; isTruncated: boolean }>;
      deleteBucketInventory(b: string, id: string): Promise<{ status: number }>;
    };
    expect((await inv.putBucketInventory(src, inventory(dest, 'weekly-crc'))).status).toBe(200);
    await inv.putBucketInventory(src, inventory(dest, 'another', ['Size']));
    const got = (await inv.getBucketInventory(src, 'weekly-crc')).inventory;
    expect(got).toMatchObject({
      id: 'weekly-crc',
      isEnabled: true,
      prefix: 'data/',
      frequency: 'Weekly',
      OSSBucketDestination: { bucket: dest, rolename: 'AliyunOSSRole', format: 'CSV', prefix: 'reports' },
      optionalFields: { field: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'Crc64'] },
    });
    const list = await inv.listBucketInventory(src);
    expect(list.isTruncated).toBe(false);
    expect(list.inventoryList.map((i) => i.id)).toEqual(['another', 'weekly-crc']);
    expect((await inv.deleteBucketInventory(src, 'another')).status).toBe(204);
    await expect(inv.getBucketInventory(src, 'another')).rejects.toMatchObject({ status: 404, code: 'NoSuchInventory' });
    await expect(inv.putBucketInventory(src, inventory(dest, 'bad', ['NoSuchField']))).rejects.toMatchObject({
      status: 400,
      code: 'InvalidArgument',
    });
  });

  it('runs an inventory now in the OSS layout, split over files, Crc64 empty for an object without one', async () => {
    const src = await makeOssBucket(emu, 'invrun');
    const dest = await makeOssBucket(emu, 'invout');
    const oss = ossClient(emu, src);
    for (const [key, body] of Object.entries(BODIES)) await oss.put(key, Buffer.from(body));
    await emu.putLegacyObject('oss', src, 'data/legacy', 'stored before CRCs');
    await (oss as unknown as { putBucketInventory(b: string, i: object): Promise<unknown> }).putBucketInventory(
      src,
      inventory(dest, 'weekly-crc'),
    );
    const run = await emu.runInventory('oss', src, 'weekly-crc', { rowsPerFile: 4 });
    expect(run.manifestKey).toMatch(new RegExp(`^reports/${src}/weekly-crc/\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}Z/manifest\\.json$`));
    expect(run.dataKeys).toHaveLength(2);
    expect(run.dataKeys[0]).toMatch(new RegExp(`^reports/${src}/weekly-crc/data/[0-9a-f-]{36}\\.csv\\.gz$`));
    expect(run.dataKeys[1]).toBe(run.dataKeys[0].replace(/\.csv\.gz$/, '-1.csv.gz'));
    const out = ossClient(emu, dest);
    const { manifest, rows } = await readReport(async (k) => (await out.get(k)).content as Buffer, run.manifestKey, 'MD5checksum');
    expect(manifest).toMatchObject({ sourceBucket: src, destinationBucket: dest, fileFormat: 'CSV' });
    expect(manifest.fileSchema).toBe('Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, Crc64');
    const listed = await oss.listV2({ prefix: 'data/', 'max-keys': '100' }, {});
    expect(rows.map((r) => r.key)).toEqual(listed.objects.map((o) => o.name));
    for (const r of rows) {
      const head = await oss.head(r.key);
      const headers = head.res.headers as Record<string, string>;
      expect(r.cells.Crc64).toBe(headers['x-oss-hash-crc64ecma'] ?? '');
      expect(r.cells).toMatchObject({
        Bucket: src,
        Size: headers['content-length'],
        StorageClass: 'Standard',
        IsMultipartUploaded: 'false',
      });
      // OSS's example row writes "2025-04-14T07-06-00Z", hyphens in the time (vendor-examples/oss-inventory.md §2).
      expect(r.cells.LastModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
      const iso = r.cells.LastModifiedDate.replace(/T(\d{2})-(\d{2})-(\d{2})Z$/, 'T$1:$2:$3Z');
      expect(new Date(iso).toUTCString()).toBe(headers['last-modified']);
    }
    expect(rows.find((r) => r.key === 'data/legacy')!.cells.Crc64).toBe('');
    expect(rows.find((r) => r.key === 'data/a.txt')!.cells.Crc64).toBe(oracleCrc64(Buffer.from('alpha')));
  });
});
