import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../emulator/inventory/config';
import { writeInventoryReport, type ReportObject, type ReportSink } from '../../../emulator/inventory/report';
import { ObjectIndex } from '../../../emulator/objects/objectIndex';

function memorySink(): { files: Map<string, Buffer>; sink: ReportSink } {
  const files = new Map<string, Buffer>();
  return {
    files,
    sink: async (key, body) => {
      const bytes = await buffer(body);
      files.set(key, bytes);
      return { size: bytes.length, md5: createHash('md5').update(bytes).digest('hex') };
    },
  };
}

const OSS_XML = (fields: string[], prefix = 'in/') =>
  `<InventoryConfiguration><Id>inv1</Id><IsEnabled>true</IsEnabled><Filter><Prefix>${prefix}</Prefix></Filter>` +
  '<Destination><OSSBucketDestination><Format>CSV</Format><AccountId>1</AccountId><RoleArn>acs:ram::1:role/r</RoleArn>' +
  '<Bucket>acs:oss:::dest</Bucket><Prefix>reports/</Prefix></OSSBucketDestination></Destination>' +
  `<Schedule><Frequency>Daily</Frequency></Schedule><OptionalFields>${fields.map((f) => `<Field>${f}</Field>`).join('')}</OptionalFields></InventoryConfiguration>`;

describe('inventory report', () => {
  it('splits rows over data files, in the documented OSS layout, with the manifest listing them', async () => {
    const idx = new ObjectIndex<ReportObject>();
    // In UTF-8 byte order, as listings and reports run.
    const keys = ['in/a b', 'in/c,"d"', 'in/no-crc', 'in/z', 'in/é', 'out/x'];
    keys.forEach((k, i) =>
      idx.set(k, {
        key: k,
        size: i * 10,
        etag: `"e${i}"`,
        lastModified: Date.UTC(2026, 0, i + 1),
        type: i === 4 ? 'Multipart' : 'Normal',
        crc64: k.endsWith('no-crc') ? undefined : String(1000 + i),
      }),
    );
    const { config } = parseInventory('oss', OSS_XML(['Crc64', 'Size', 'ETag', 'IsMultipartUploaded']), 'inv1');
    const { files, sink } = memorySink();
    const now = new Date(Date.UTC(2026, 11, 2, 3, 4));
    const res = await writeInventoryReport(idx, sink, { dialect: 'oss', srcBucket: 'src', appId: '', config, rowsPerFile: 2, now });
    expect(res.manifestKey).toBe('reports/src/inv1/2026-12-02T03-04Z/manifest.json');
    expect(res.dataKeys).toHaveLength(3);
    expect(res.dataKeys[0]).toMatch(/^reports\/src\/inv1\/data\/[0-9a-f-]{36}\.csv\.gz$/);
    expect(res.dataKeys[2]).toBe(res.dataKeys[0].replace('.csv.gz', '-2.csv.gz'));
    const manifest = JSON.parse(files.get(res.manifestKey)!.toString());
    // OSS: optional columns in the order they were configured (vendor-examples/oss-inventory.md §1, fileSchema row).
    expect(manifest.fileSchema).toBe('Bucket, Key, Crc64, Size, ETag, IsMultipartUploaded');
    expect(files.get(res.checksumKey)!.toString()).toBe(createHash('md5').update(files.get(res.manifestKey)!).digest('hex'));
    const rows: string[][] = [];
    for (const f of manifest.files as { key: string; size: number; MD5checksum: string }[]) {
      const gz = files.get(f.key)!;
      expect(f.size).toBe(gz.length);
      expect(f.MD5checksum).toBe(createHash('md5').update(gz).digest('hex').toUpperCase());
      rows.push(...(parse(gunzipSync(gz)) as string[][]));
    }
    expect(rows.map((r) => decodeURIComponent(r[1]))).toEqual(keys.slice(0, 5));
    expect(rows[1]).toEqual(['src', 'in%2Fc%2C%22d%22', '1001', '10', 'e1', 'false']);
    expect(rows[2][2]).toBe('');
    expect(rows[4][5]).toBe('true');
  });

  it('writes only a manifest when no object matches, and uses the documented COS manifest (vendor-examples/cos-inventory.md §1)', async () => {
    const { config } = parseInventory(
      'cos',
      '<InventoryConfiguration><Id>once</Id><Destination><COSBucketDestination><Format>CSV</Format><AccountId>1</AccountId>' +
        '<Bucket>qcs::cos:ap-guangzhou::dest-1250000000</Bucket><Prefix>cos_bucket_inventory</Prefix></COSBucketDestination></Destination>' +
        '<Filter><And><Prefix>none/</Prefix></And></Filter><OptionalFields><Field>Crc64</Field></OptionalFields></InventoryConfiguration>',
      'once',
      true,
    );
    expect(config).toMatchObject({ destBucket: 'dest-1250000000', filterPrefix: 'none/', destPrefix: 'cos_bucket_inventory' });
    const { files, sink } = memorySink();
    const res = await writeInventoryReport(new ObjectIndex<ReportObject>(), sink, {
      dialect: 'cos',
      srcBucket: 'examplebucket-1250000000',
      appId: '1250000000',
      config,
      now: new Date(Date.UTC(2022, 10, 20)),
    });
    expect(res.manifestKey).toBe('cos_bucket_inventory/1250000000/examplebucket/once/20221120/manifest.json');
    expect(res.dataKeys).toEqual([]);
    const manifest = JSON.parse(files.get(res.manifestKey)!.toString());
    expect(manifest).toEqual({
      sourceAppid: '1250000000',
      sourceBucket: 'examplebucket-1250000000',
      destinationAppid: '1250000000',
      destinationBucket: 'dest-1250000000',
      fileFormat: 'CSV',
      listObjectCount: '0',
      listStorageSize: '0',
      filterObjectCount: '0',
      filterStorageSize: '0',
      fileSchema: 'Appid, Bucket, Key, Crc64',
      files: [],
    });
  });

  it('refuses configurations the services refuse', () => {
    expect(() => parseInventory('oss', OSS_XML(['Crc64']), 'other')).toThrow(/does not match/);
    expect(() => parseInventory('oss', OSS_XML(['Bogus']), 'inv1')).toThrow(/Bogus/);
    expect(() => parseInventory('oss', '<Nope/>', 'inv1')).toThrow(/not well-formed/);
    expect(() => parseInventory('oss', OSS_XML(['Crc64']).replace('Daily', 'Hourly'), 'inv1')).toThrow(/Frequency/);
  });
});
