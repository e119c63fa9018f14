import { randomBytes } from 'node:crypto';
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
    const part = await oss.uploadPartCopy('pc/one-part.bin', init.uploadId, 1, `0-${source.length - 1}`, { sourceKey: 'pc/src.bin', sourceBucketName: ossBucket }, {});
    expect(part.etag).toMatch(/^"[0-9a-f]{32}"$/);
    await oss.abortMultipartUpload('pc/one-part.bin', init.uploadId);

    await oss.multipartUploadCopy('pc/copied.bin', { sourceKey: 'pc/src.bin', sourceBucketName: ossBucket, startOffset: 0, endOffset: source.length }, { partSize: 100 * 1024 });
    const head = await oss.head('pc/copied.bin');
    expect(headers(head)['x-oss-hash-crc64ecma']).toBe(formatCrc64(crc64(source)));
    expect(Buffer.compare((await oss.get('pc/copied.bin')).content as Buffer, source)).toBe(0);
  });

  it('COS: sliceCopyFile copies in parts (ETags from the CopyPartResult body) and keeps the CRC', async () => {
    const source = randomBytes(2 * MiB + 11);
    await call(cos.putObject.bind(cos), { ...cosParams(), Key: 'pc/src.bin', Body: source });
    const host = `${cosBucket}.cos.${emu.cos.region}.myqcloud.com`;
    await call(cos.sliceCopyFile.bind(cos), { ...cosParams(), Key: 'pc/copied.bin', CopySource: `${host}/pc/src.bin`, CopySliceSize: MiB, CopyChunkSize: MiB });
    expect(emu.requests().filter((r) => r.op === 'UploadPartCopy' && r.bucket === cosBucket && r.key === 'pc/copied.bin' && r.status === 200)).toHaveLength(3);
    const head = await call(cos.headObject.bind(cos), { ...cosParams(), Key: 'pc/copied.bin' });
    expect(head.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(crc64(source)));
  });
});

describe('bucket names are checked on create, per service', () => {
  it('COS: <name>-<APPID> with the account\'s APPID, name of lowercase letters, digits and inner hyphens, domain within 60 characters', async () => {
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
    expect(emu.requests().filter((r) => r.op === 'PutBucket' && r.code === 'InvalidBucketName').map((r) => r.bucket)).toEqual(invalid);
    const after = await call<CosData & { Buckets: Array<{ Name: string }> }>(cos.getService.bind(cos), {});
    expect(after.Buckets.map((b) => b.Name).filter((n) => invalid.includes(n))).toEqual([]);
  });

  it('OSS: 3 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen', async () => {
    const client = ossClient(emu);
    for (const name of ['abc', 'a'.repeat(63), 'with-inner-hyphens-1']) await client.putBucket(name);
    // ali-oss's putBucket refuses these itself; its lower-level signed request sends them, as another client would.
    const invalid = ['ab', 'a'.repeat(64), '-starts', 'ends-', 'under_score'];
    const raw = client as unknown as { request(p: object): Promise<unknown>; _bucketRequestParams(m: string, b: string, s: string, o: object): object };
    for (const name of invalid) {
      await expect(raw.request({ ...raw._bucketRequestParams('PUT', name, '', {}), successStatuses: [200] }), name).rejects.toMatchObject({ code: 'InvalidBucketName', status: 400 });
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
