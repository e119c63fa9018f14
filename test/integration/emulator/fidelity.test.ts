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
