import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

/** The emulator answers as the services do where the SDKs' own high-level helpers depend on it. */

const MiB = 1024 * 1024;
let emu: Emulator;
let cos: COS;
let oss: OSS;
let cosBucket: string;
let ossBucket: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
  cosBucket = await makeCosBucket(emu, 'fid');
  ossBucket = await makeOssBucket(emu, 'fid');
  oss = ossClient(emu, ossBucket);
});

afterAll(async () => {
  await emu?.close();
});

type CosData = Record<string, unknown> & { headers: Record<string, string>; statusCode: number };
const call = <T = CosData>(fn: (params: never, cb: never) => void, params: object) => cosCall(fn as never, params as never) as Promise<T>;
const cosParams = () => ({ Bucket: cosBucket, Region: emu.cos.region });
const headers = (r: { res: { headers: unknown } }) => r.res.headers as Record<string, string>;

describe('part copies through the SDKs’ own copy helpers', () => {
  it('OSS: UploadPartCopy sends the part ETag as a header, so multipartUploadCopy completes', async () => {
    const source = randomBytes(300 * 1024 + 7);
    await oss.put('pc/src.bin', source);
    const init = await oss.initMultipartUpload('pc/one-part.bin');
    const part = await oss.uploadPartCopy(
      'pc/one-part.bin',
      init.uploadId,
      1,
      `0-${source.length - 1}`,
      { sourceKey: 'pc/src.bin', sourceBucketName: ossBucket },
      {},
    );
    expect(part.etag).toMatch(/^"[0-9a-f]{32}"$/);
    await oss.abortMultipartUpload('pc/one-part.bin', init.uploadId);

    await oss.multipartUploadCopy(
      'pc/copied.bin',
      { sourceKey: 'pc/src.bin', sourceBucketName: ossBucket, startOffset: 0, endOffset: source.length },
      { partSize: 100 * 1024 },
    );
    const head = await oss.head('pc/copied.bin');
    expect(headers(head)['x-oss-hash-crc64ecma']).toBe(formatCrc64(crc64(source)));
    expect(Buffer.compare((await oss.get('pc/copied.bin')).content as Buffer, source)).toBe(0);
  });

  it('COS: sliceCopyFile copies in parts (ETags from the CopyPartResult body) and keeps the CRC', async () => {
    const source = randomBytes(2 * MiB + 11);
    await call(cos.putObject.bind(cos), { ...cosParams(), Key: 'pc/src.bin', Body: source });
    const host = `${cosBucket}.cos.${emu.cos.region}.myqcloud.com`;
    await call(cos.sliceCopyFile.bind(cos), {
      ...cosParams(),
      Key: 'pc/copied.bin',
      CopySource: `${host}/pc/src.bin`,
      CopySliceSize: MiB,
      CopyChunkSize: MiB,
    });
    expect(
      emu.requests().filter((r) => r.op === 'UploadPartCopy' && r.bucket === cosBucket && r.key === 'pc/copied.bin' && r.status === 200),
    ).toHaveLength(3);
    const head = await call(cos.headObject.bind(cos), { ...cosParams(), Key: 'pc/copied.bin' });
    expect(head.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(crc64(source)));
  });
});

describe('bucket names are checked on create, per service', () => {
  it("COS: <name>-<APPID> with the account's APPID, name of lowercase letters, digits and inner hyphens, domain within 60 characters", async () => {
    const appId = emu.cos.appId;
    const put = (Bucket: string) => call(cos.putBucket.bind(cos), { Bucket, Region: emu.cos.region });
    // The longest name whose `<bucket>.cos.<region>.myqcloud.com` is 60 characters.
    const room = 60 - `-${appId}.cos.${emu.cos.region}.myqcloud.com`.length;
    const valid = [`a1-b2-${appId}`, `${'n'.repeat(room)}-${appId}`, `1-x-${appId}`];
    for (const Bucket of valid) await put(Bucket);
    const listed = await call<CosData & { Buckets: Array<{ Name: string }> }>(cos.getService.bind(cos), {});
    expect(listed.Buckets.map((b) => b.Name)).toEqual(expect.arrayContaining(valid));
    // Each passes the SDK's own `name-digits` check, so the service is the one to refuse it.
    const invalid = [`ends-with-hyphen--${appId}`, `-starts-${appId}`, `${'n'.repeat(room + 1)}-${appId}`, 'someone-else-1300000000'];
    for (const Bucket of invalid) {
      await expect(put(Bucket), Bucket).rejects.toMatchObject({ code: 'InvalidBucketName', statusCode: 400 });
    }
    expect(
      emu
        .requests()
        .filter((r) => r.op === 'PutBucket' && r.code === 'InvalidBucketName')
        .map((r) => r.bucket),
    ).toEqual(invalid);
    const after = await call<CosData & { Buckets: Array<{ Name: string }> }>(cos.getService.bind(cos), {});
    expect(after.Buckets.map((b) => b.Name).filter((n) => invalid.includes(n))).toEqual([]);
  });

  it('OSS: 3 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen', async () => {
    const client = ossClient(emu);
    for (const name of ['abc', 'a'.repeat(63), 'with-inner-hyphens-1']) await client.putBucket(name);
    // ali-oss's putBucket refuses these itself; its lower-level signed request sends them, as another client would.
    const invalid = ['ab', 'a'.repeat(64), '-starts', 'ends-', 'under_score'];
    const raw = client as unknown as {
      request(p: object): Promise<unknown>;
      _bucketRequestParams(m: string, b: string, s: string, o: object): object;
    };
    for (const name of invalid) {
      await expect(raw.request({ ...raw._bucketRequestParams('PUT', name, '', {}), successStatuses: [200] }), name).rejects.toMatchObject({
        code: 'InvalidBucketName',
        status: 400,
      });
    }
    const listed = (await client.listBuckets({})) as unknown as { buckets: Array<{ name: string }> };
    expect(listed.buckets.map((b) => b.name).filter((n) => invalid.includes(n))).toEqual([]);
  });

  it('the in-process and HTTP control calls refuse the same names', async () => {
    await expect(emu.createBucket('oss', 'under_score')).rejects.toThrow(/not valid/);
    await expect(emu.createBucket('cos', 'other-1300000000')).rejects.toThrow(/APPID/);
    const res = await fetch(`${emu.endpoint}/_emulator/buckets?dialect=cos&name=no-appid`, { method: 'POST' });
    expect(res.status).toBe(400);
    await emu.createBucket('cos', `fine-${emu.cos.appId}`);
  });
});

describe('store-without-crc: a part, object or copy stored without a CRC-64, as legacy data is', () => {
  const data = randomBytes(MiB + 4321);
  const parts = [data.subarray(0, MiB), data.subarray(MiB)];
  const cosCrc = (r: { headers: Record<string, string> }) => r.headers['x-cos-hash-crc64ecma'];
  const ossCrc = (r: { res: { headers: unknown } }) => headers(r)['x-oss-hash-crc64ecma'];

  it('COS: a part stored without CRC has none, Complete has none, HEAD and GET have none', async () => {
    const Key = 'nocrc/mp.bin';
    const init = await call(cos.multipartInit.bind(cos), { ...cosParams(), Key });
    const UploadId = init.UploadId as string;
    emu.faults.add({ dialect: 'cos', op: 'UploadPart', key: Key, partNumber: 2, action: { kind: 'store-without-crc' } });
    const p1 = await call(cos.multipartUpload.bind(cos), { ...cosParams(), Key, UploadId, PartNumber: 1, Body: parts[0] });
    const p2 = await call(cos.multipartUpload.bind(cos), { ...cosParams(), Key, UploadId, PartNumber: 2, Body: parts[1] });
    expect(cosCrc(p1)).toBe(formatCrc64(crc64(parts[0])));
    expect(cosCrc(p2)).toBeUndefined();
    const done = await call(cos.multipartComplete.bind(cos), {
      ...cosParams(),
      Key,
      UploadId,
      Parts: [
        { PartNumber: 1, ETag: p1.ETag },
        { PartNumber: 2, ETag: p2.ETag },
      ],
    });
    expect(done.statusCode).toBe(200);
    expect(cosCrc(done)).toBeUndefined();
    expect(cosCrc(await call(cos.headObject.bind(cos), { ...cosParams(), Key }))).toBeUndefined();
    const got = await call(cos.getObject.bind(cos), { ...cosParams(), Key });
    expect(cosCrc(got)).toBeUndefined();
    expect(Buffer.compare(got.Body as Buffer, data)).toBe(0);
  });

  it('COS: a PUT or a copy stored without CRC has none; without the fault the same calls have one', async () => {
    emu.faults.add({ dialect: 'cos', op: 'PutObject', key: 'nocrc/put.bin', action: { kind: 'store-without-crc' } });
    const put = await call(cos.putObject.bind(cos), { ...cosParams(), Key: 'nocrc/put.bin', Body: parts[1] });
    expect(put.statusCode).toBe(200);
    expect(cosCrc(put)).toBeUndefined();
    expect(cosCrc(await call(cos.headObject.bind(cos), { ...cosParams(), Key: 'nocrc/put.bin' }))).toBeUndefined();

    await call(cos.putObject.bind(cos), { ...cosParams(), Key: 'nocrc/src.bin', Body: parts[1] });
    const CopySource = `${cosBucket}.cos.${emu.cos.region}.myqcloud.com/nocrc/src.bin`;
    emu.faults.add({ dialect: 'cos', op: 'CopyObject', action: { kind: 'store-without-crc' } });
    const copied = await call(cos.putObjectCopy.bind(cos), { ...cosParams(), Key: 'nocrc/copy.bin', CopySource });
    expect(cosCrc(copied)).toBeUndefined();
    expect(copied.CRC64).toBeUndefined();
    expect(cosCrc(await call(cos.headObject.bind(cos), { ...cosParams(), Key: 'nocrc/copy.bin' }))).toBeUndefined();
    const again = await call(cos.putObjectCopy.bind(cos), { ...cosParams(), Key: 'nocrc/copy2.bin', CopySource });
    expect(cosCrc(again)).toBe(formatCrc64(crc64(parts[1])));
  });

  it('OSS: a part stored without CRC has none (nor in ListParts), Complete has none, HEAD and GET have none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-nocrc-'));
    try {
      const file = join(dir, 'data.bin');
      writeFileSync(file, data);
      const key = 'nocrc/mp.bin';
      const init = await oss.initMultipartUpload(key);
      emu.faults.add({ dialect: 'oss', op: 'UploadPart', key, partNumber: 1, action: { kind: 'store-without-crc' } });
      const p1 = await oss.uploadPart(key, init.uploadId, 1, file, 0, MiB);
      const p2 = await oss.uploadPart(key, init.uploadId, 2, file, MiB, data.length);
      expect(ossCrc(p1)).toBeUndefined();
      expect(ossCrc(p2)).toBe(formatCrc64(crc64(parts[1])));
      const listed = await oss.listParts(key, init.uploadId, {} as OSS.ListPartsQuery, {});
      expect((listed.parts as unknown as Array<{ HashCrc64ecma?: string }>).map((x) => x.HashCrc64ecma)).toEqual([
        undefined,
        formatCrc64(crc64(parts[1])),
      ]);
      const done = await oss.completeMultipartUpload(key, init.uploadId, [
        { number: 1, etag: p1.etag },
        { number: 2, etag: p2.etag },
      ]);
      expect(done.res.status).toBe(200);
      expect(ossCrc(done)).toBeUndefined();
      expect(ossCrc(await oss.head(key))).toBeUndefined();
      const got = await oss.get(key);
      expect(ossCrc(got)).toBeUndefined();
      expect(Buffer.compare(got.content as Buffer, data)).toBe(0);

      // The SDK's own multipart helper meets the same: one part without CRC, so the object has none.
      emu.faults.add({ dialect: 'oss', op: 'UploadPart', key: 'nocrc/helper.bin', partNumber: 2, action: { kind: 'store-without-crc' } });
      const helper = await oss.multipartUpload('nocrc/helper.bin', file, { partSize: MiB, parallel: 1 });
      expect(ossCrc(helper as never)).toBeUndefined();
      expect(ossCrc(await oss.head('nocrc/helper.bin'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('OSS: a PUT, a copy or a part copy stored without CRC has none; set over the HTTP control API by name', async () => {
    const rule = { dialect: 'oss', op: 'PutObject', key: 'nocrc/put.bin', action: 'store-without-crc' };
    expect((await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify(rule) })).status).toBe(200);
    const put = await oss.put('nocrc/put.bin', parts[1]);
    expect(put.res.status).toBe(200);
    expect(ossCrc(put)).toBeUndefined();
    expect(ossCrc(await oss.head('nocrc/put.bin'))).toBeUndefined();

    await oss.put('nocrc/src.bin', data);
    emu.faults.add({ dialect: 'oss', op: 'CopyObject', action: { kind: 'store-without-crc' } });
    expect(ossCrc(await oss.copy('nocrc/copy.bin', 'nocrc/src.bin'))).toBeUndefined();
    expect(ossCrc(await oss.head('nocrc/copy.bin'))).toBeUndefined();
    expect(ossCrc(await oss.copy('nocrc/copy2.bin', 'nocrc/src.bin'))).toBe(formatCrc64(crc64(data)));

    const init = await oss.initMultipartUpload('nocrc/part-copy.bin');
    emu.faults.add({ dialect: 'oss', op: 'UploadPartCopy', action: { kind: 'store-without-crc' } });
    const source = { sourceKey: 'nocrc/src.bin', sourceBucketName: ossBucket };
    const c1 = await oss.uploadPartCopy('nocrc/part-copy.bin', init.uploadId, 1, `0-${MiB - 1}`, source, {});
    const c2 = await oss.uploadPartCopy('nocrc/part-copy.bin', init.uploadId, 2, `${MiB}-${data.length - 1}`, source, {});
    expect(ossCrc(c1)).toBeUndefined();
    expect(ossCrc(c2)).toBe(formatCrc64(crc64(parts[1])));
    const done = await oss.completeMultipartUpload('nocrc/part-copy.bin', init.uploadId, [
      { number: 1, etag: c1.etag },
      { number: 2, etag: c2.etag },
    ]);
    expect(ossCrc(done)).toBeUndefined();
    expect(Buffer.compare((await oss.get('nocrc/part-copy.bin')).content as Buffer, data)).toBe(0);
  });
});
