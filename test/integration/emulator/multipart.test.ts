import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import { crc64, crc64Combine, formatCrc64 } from '../../../src/crc';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

const MiB = 1024 * 1024;
let emu: Emulator;
let cos: COS;
let oss: OSS;
let cosBucket: string;
let ossBucket: string;
let dir: string;
let file: string;
const data = randomBytes(2 * MiB + 12345);
const parts = [data.subarray(0, MiB), data.subarray(MiB, 2 * MiB), data.subarray(2 * MiB)];
const wholeCrc = formatCrc64(crc64(data));

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
  cosBucket = await makeCosBucket(emu, 'mp');
  ossBucket = await makeOssBucket(emu, 'mp');
  oss = ossClient(emu, ossBucket);
  dir = mkdtempSync(join(tmpdir(), 'emu-mp-'));
  file = join(dir, 'data.bin');
  writeFileSync(file, data);
});

afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type CosData = Record<string, unknown> & { headers: Record<string, string>; statusCode: number };

describe('COS multipart', () => {
  const p = () => ({ Bucket: cosBucket, Region: emu.cos.region });
  const call = <T = CosData>(fn: (params: never, cb: never) => void, params: object) => cosCall(fn as never, params as never) as Promise<T>;

  it('initiate, upload parts, list parts and uploads, complete: CRC = combine of part CRCs', async () => {
    const init = await call(cos.multipartInit.bind(cos), { ...p(), Key: 'mp/one.bin' });
    const uploadId = init.UploadId as string;
    const etags: string[] = [];
    const partCrcs: bigint[] = [];
    for (let i = 0; i < parts.length; i++) {
      const r = await call(cos.multipartUpload.bind(cos), {
        ...p(),
        Key: 'mp/one.bin',
        UploadId: uploadId,
        PartNumber: i + 1,
        Body: parts[i],
      });
      expect(r.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(crc64(parts[i])));
      etags.push(r.ETag as string);
      partCrcs.push(BigInt(r.headers['x-cos-hash-crc64ecma']));
    }
    const listed = await call(cos.multipartListPart.bind(cos), { ...p(), Key: 'mp/one.bin', UploadId: uploadId });
    expect((listed.Part as Array<{ PartNumber: string; ETag: string }>).map((x) => [Number(x.PartNumber), x.ETag])).toEqual(
      etags.map((e, i) => [i + 1, e]),
    );
    const uploads = await call(cos.multipartList.bind(cos), { ...p(), Prefix: 'mp/' });
    expect((uploads.Upload as Array<{ UploadId: string }>).map((u) => u.UploadId)).toContain(uploadId);
    const done = await call(cos.multipartComplete.bind(cos), {
      ...p(),
      Key: 'mp/one.bin',
      UploadId: uploadId,
      Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })),
    });
    const combined = partCrcs.reduce((acc, c, i) => (i === 0 ? c : crc64Combine(acc, c, parts[i].length)));
    expect(done.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(combined));
    expect(done.headers['x-cos-hash-crc64ecma']).toBe(wholeCrc);
    expect(done.ETag).toMatch(/-3"$/);
    const head = await call(cos.headObject.bind(cos), { ...p(), Key: 'mp/one.bin' });
    expect(head.headers['x-cos-hash-crc64ecma']).toBe(wholeCrc);
    expect(head.headers['content-length']).toBe(String(data.length));
  });

  it('sliceUploadFile (the high-level helper, with Content-MD5) stores the file with its CRC', async () => {
    await call(cos.sliceUploadFile.bind(cos), { ...p(), Key: 'mp/slice.bin', FilePath: file, ChunkSize: MiB });
    const head = await call(cos.headObject.bind(cos), { ...p(), Key: 'mp/slice.bin' });
    expect(head.headers['x-cos-hash-crc64ecma']).toBe(wholeCrc);
    expect(emu.requests().filter((r) => r.op === 'UploadPart' && r.key === 'mp/slice.bin')).toHaveLength(3);
  });

  it('downloadFile (ranged GETs that compare each range CRC header with HEAD) gets the file back', async () => {
    const out = join(dir, 'downloaded.bin');
    await call(cos.downloadFile.bind(cos), { ...p(), Key: 'mp/slice.bin', FilePath: out, ChunkSize: MiB, ParallelLimit: 2 });
    expect(Buffer.compare(readFileSync(out), data)).toBe(0);
    expect(emu.requests().filter((r) => r.op === 'GetObject' && r.key === 'mp/slice.bin').length).toBeGreaterThanOrEqual(3);
  });

  it('rejects a bad part list: InvalidPart, InvalidPartOrder, EntityTooSmall; abort ends the upload', async () => {
    const init = await call(cos.multipartInit.bind(cos), { ...p(), Key: 'mp/bad.bin' });
    const UploadId = init.UploadId as string;
    const small1 = await call(cos.multipartUpload.bind(cos), {
      ...p(),
      Key: 'mp/bad.bin',
      UploadId,
      PartNumber: 1,
      Body: Buffer.from('small'),
    });
    const small2 = await call(cos.multipartUpload.bind(cos), {
      ...p(),
      Key: 'mp/bad.bin',
      UploadId,
      PartNumber: 2,
      Body: Buffer.from('small'),
    });
    const complete = (Parts: Array<{ PartNumber: number; ETag: string }>) =>
      call(cos.multipartComplete.bind(cos), { ...p(), Key: 'mp/bad.bin', UploadId, Parts });
    await expect(complete([{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }])).rejects.toMatchObject({ code: 'InvalidPart' });
    await expect(complete([{ PartNumber: 3, ETag: small1.ETag as string }])).rejects.toMatchObject({ code: 'InvalidPart' });
    await expect(
      complete([
        { PartNumber: 2, ETag: small2.ETag as string },
        { PartNumber: 1, ETag: small1.ETag as string },
      ]),
    ).rejects.toMatchObject({ code: 'InvalidPartOrder' });
    await expect(
      complete([
        { PartNumber: 1, ETag: small1.ETag as string },
        { PartNumber: 2, ETag: small2.ETag as string },
      ]),
    ).rejects.toMatchObject({ code: 'EntityTooSmall' });
    await call(cos.multipartAbort.bind(cos), { ...p(), Key: 'mp/bad.bin', UploadId });
    await expect(call(cos.multipartListPart.bind(cos), { ...p(), Key: 'mp/bad.bin', UploadId })).rejects.toMatchObject({
      code: 'NoSuchUpload',
      statusCode: 404,
    });
    await expect(
      call(cos.multipartUpload.bind(cos), { ...p(), Key: 'mp/bad.bin', UploadId: 'nope', PartNumber: 1, Body: Buffer.from('x') }),
    ).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('copy keeps the CRC of a source that has one, and has none for a legacy source', async () => {
    await call(cos.putObject.bind(cos), { ...p(), Key: 'copy/src', Body: data });
    const host = `${cosBucket}.cos.${emu.cos.region}.myqcloud.com`;
    const copied = await call(cos.putObjectCopy.bind(cos), { ...p(), Key: 'copy/dst', CopySource: `${host}/copy/src` });
    expect(copied.headers['x-cos-hash-crc64ecma']).toBe(wholeCrc);
    const head = await call(cos.headObject.bind(cos), { ...p(), Key: 'copy/dst' });
    expect(head.headers['x-cos-hash-crc64ecma']).toBe(wholeCrc);

    await emu.putLegacyObject('cos', cosBucket, 'copy/legacy', data);
    const legacyHead = await call(cos.headObject.bind(cos), { ...p(), Key: 'copy/legacy' });
    expect(legacyHead.headers['x-cos-hash-crc64ecma']).toBeUndefined();
    const legacyCopy = await call(cos.putObjectCopy.bind(cos), { ...p(), Key: 'copy/legacy-dst', CopySource: `${host}/copy/legacy` });
    expect(legacyCopy.headers['x-cos-hash-crc64ecma']).toBeUndefined();
    const legacyGet = await call(cos.getObject.bind(cos), { ...p(), Key: 'copy/legacy-dst' });
    expect(Buffer.compare(legacyGet.Body as Buffer, data)).toBe(0);
    expect(legacyGet.headers['x-cos-hash-crc64ecma']).toBeUndefined();
  });

  it('Complete has no CRC when a part has none (a part copied from a legacy object)', async () => {
    await emu.putLegacyObject('cos', cosBucket, 'copy/legacy2', data);
    await call(cos.putObject.bind(cos), { ...p(), Key: 'copy/src2', Body: data });
    const host = `${cosBucket}.cos.${emu.cos.region}.myqcloud.com`;
    const init = await call(cos.multipartInit.bind(cos), { ...p(), Key: 'mp/mixed' });
    const UploadId = init.UploadId as string;
    const p1 = await call(cos.uploadPartCopy.bind(cos), {
      ...p(),
      Key: 'mp/mixed',
      UploadId,
      PartNumber: 1,
      CopySource: `${host}/copy/src2`,
      CopySourceRange: `bytes=0-${MiB - 1}`,
    });
    expect(p1.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(crc64(parts[0])));
    const p2 = await call(cos.uploadPartCopy.bind(cos), {
      ...p(),
      Key: 'mp/mixed',
      UploadId,
      PartNumber: 2,
      CopySource: `${host}/copy/legacy2`,
      CopySourceRange: `bytes=${MiB}-${data.length - 1}`,
    });
    expect(p2.headers['x-cos-hash-crc64ecma']).toBeUndefined();
    const done = await call(cos.multipartComplete.bind(cos), {
      ...p(),
      Key: 'mp/mixed',
      UploadId,
      Parts: [
        { PartNumber: 1, ETag: p1.ETag as string },
        { PartNumber: 2, ETag: p2.ETag as string },
      ],
    });
    expect(done.headers['x-cos-hash-crc64ecma']).toBeUndefined();
    const get = await call(cos.getObject.bind(cos), { ...p(), Key: 'mp/mixed' });
    expect(Buffer.compare(get.Body as Buffer, data)).toBe(0);
  });
});

describe('OSS multipart', () => {
  it('initiate, upload parts, list parts and uploads, complete: CRC = combine of part CRCs', async () => {
    const init = await oss.initMultipartUpload('mp/one.bin');
    const done: Array<{ number: number; etag: string }> = [];
    let offset = 0;
    for (let i = 0; i < parts.length; i++) {
      const r = await oss.uploadPart('mp/one.bin', init.uploadId, i + 1, file, offset, offset + parts[i].length);
      offset += parts[i].length;
      expect((r.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(formatCrc64(crc64(parts[i])));
      done.push({ number: i + 1, etag: r.etag });
    }
    const listed = await oss.listParts('mp/one.bin', init.uploadId, {} as OSS.ListPartsQuery, {});
    expect((listed.parts as unknown as Array<{ PartNumber: string; HashCrc64ecma: string }>).map((x) => x.HashCrc64ecma)).toEqual(
      parts.map((b) => formatCrc64(crc64(b))),
    );
    const uploads = await oss.listUploads({ prefix: 'mp/' }, {});
    expect(uploads.uploads.map((u) => u.uploadId)).toContain(init.uploadId);
    const complete = await oss.completeMultipartUpload('mp/one.bin', init.uploadId, done);
    expect((complete.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(wholeCrc);
    expect(complete.etag).toMatch(/-3"$/);
  });

  it('multipartUpload (the high-level helper) stores the file with its CRC', async () => {
    await oss.multipartUpload('mp/helper.bin', file, { partSize: MiB, parallel: 2 });
    const head = await oss.head('mp/helper.bin');
    expect((head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(wholeCrc);
  });

  it('rejects a bad part list: InvalidPart, InvalidPartOrder, EntityTooSmall; NoSuchUpload after abort', async () => {
    const init = await oss.initMultipartUpload('mp/bad.bin');
    const small = join(dir, 'small.bin');
    writeFileSync(small, 'small');
    const a = await oss.uploadPart('mp/bad.bin', init.uploadId, 1, small, 0, 5);
    const b = await oss.uploadPart('mp/bad.bin', init.uploadId, 2, small, 0, 5);
    const complete = (list: Array<{ number: number; etag: string }>) => oss.completeMultipartUpload('mp/bad.bin', init.uploadId, list);
    await expect(complete([{ number: 1, etag: '"0123456789ABCDEF0123456789ABCDEF"' }])).rejects.toMatchObject({
      code: 'InvalidPart',
      status: 400,
    });
    // ali-oss sorts the list itself; its generic signed request sends our own body.
    const rawComplete = (xml: string) =>
      (oss as unknown as { request(p: object): Promise<unknown> }).request({
        method: 'POST',
        bucket: ossBucket,
        object: 'mp/bad.bin',
        subres: { uploadId: init.uploadId },
        mime: 'xml',
        content: Buffer.from(xml),
        successStatuses: [200],
      });
    const part = (n: number, e: string) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`;
    await expect(
      rawComplete(`<CompleteMultipartUpload>${part(2, b.etag)}${part(1, a.etag)}</CompleteMultipartUpload>`),
    ).rejects.toMatchObject({ code: 'InvalidPartOrder' });
    await expect(rawComplete(`<CompleteMultipartUpload>${part(1, a.etag)}<Part>`)).rejects.toMatchObject({
      code: 'MalformedXML',
      status: 400,
    });
    await expect(
      complete([
        { number: 1, etag: a.etag },
        { number: 2, etag: b.etag },
      ]),
    ).rejects.toMatchObject({ code: 'EntityTooSmall' });
    await oss.abortMultipartUpload('mp/bad.bin', init.uploadId);
    await expect(oss.listParts('mp/bad.bin', init.uploadId, {} as OSS.ListPartsQuery, {})).rejects.toMatchObject({
      code: 'NoSuchUpload',
      status: 404,
    });
  });

  it('copy keeps the CRC of a source that has one, and has none for a legacy source', async () => {
    await oss.put('copy/src', data);
    const copied = await oss.copy('copy/dst', 'copy/src');
    expect((copied.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(wholeCrc);
    await emu.putLegacyObject('oss', ossBucket, 'copy/legacy', data);
    const legacyHead = await oss.head('copy/legacy');
    expect((legacyHead.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBeUndefined();
    const legacyCopy = await oss.copy('copy/legacy-dst', 'copy/legacy');
    expect((legacyCopy.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBeUndefined();
    const get = await oss.get('copy/legacy-dst');
    expect(Buffer.compare(get.content as Buffer, data)).toBe(0);
    const part = await oss.initMultipartUpload('mp/copied');
    const r = await oss.uploadPartCopy(
      'mp/copied',
      part.uploadId,
      1,
      `0-${MiB - 1}`,
      { sourceKey: 'copy/src', sourceBucketName: ossBucket },
      {},
    );
    expect((r.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(formatCrc64(crc64(parts[0])));
  });
});
