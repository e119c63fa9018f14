import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall } from '../../support/emulator';
import { sdkSuite } from './sdkSuite';

/**
 * Multipart uploads with a customer key (SSE-C) and COS appends, through the real SDKs. What is expected is
 * what COS documents: "Upload Part" — an upload initiated with SSE-C needs the same algorithm and key on
 * every part, one initiated without may not carry them (tencentyun/intlcloud-documents @ 5dcc48b517e4,
 * `API 文档/Object 接口/分块上传/Upload Part_intl_zh.md`); "Complete Multipart Upload" example 4 — no key on
 * Complete, its answer repeats the algorithm and the key's MD5; the error-code table — 400
 * SsecDecryptHeaderInvalid for a missing or different key, 400 SSEHeaderNotAllowed for a header the call may
 * not carry; "APPEND Object" — the answer has `x-cos-next-append-position`, HEAD Object lists no such header.
 * OSS documents no SSE-C: its emulation answers as S3 (400 InvalidRequest without a key, 403 AccessDenied with
 * another).
 */

const s = sdkSuite('ssemp');
const body = Buffer.from('a part written with a customer key\n'.repeat(40));
const crc = formatCrc64(crc64(body));
const key = randomBytes(32);
const other = randomBytes(32);
const md5 = (k: Buffer) => createHash('md5').update(k).digest('base64');
type SdkError = { statusCode?: number; status?: number; code?: string; error?: { Code?: string } };

async function refusal(p: Promise<unknown>): Promise<{ status?: number; code?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as SdkError;
    return { status: err.statusCode ?? err.status, code: err.code ?? err.error?.Code };
  }
  throw new Error('the call succeeded');
}

describe('COS multipart upload with SSE-C (cos-nodejs-sdk-v5)', () => {
  const at = (Key: string) => ({ Bucket: s.cosBucket, Region: s.emu.cos.region, Key });
  const sseC = (k: Buffer) => ({
    'x-cos-server-side-encryption-customer-algorithm': 'AES256',
    'x-cos-server-side-encryption-customer-key': k.toString('base64'),
    'x-cos-server-side-encryption-customer-key-MD5': md5(k),
  });

  it('initiates with the key, refuses a part without it or with another, completes, and then HEAD needs the key', async () => {
    const init = await cosCall(s.cos.multipartInit.bind(s.cos), { ...at('mp/c'), Headers: sseC(key) });
    const UploadId = init.UploadId as string;
    const part = { ...at('mp/c'), UploadId, PartNumber: 1 };
    expect(await refusal(cosCall(s.cos.multipartUpload.bind(s.cos), { ...part, Body: body }))).toEqual({
      status: 400,
      code: 'SsecDecryptHeaderInvalid',
    });
    expect(await refusal(cosCall(s.cos.multipartUpload.bind(s.cos), { ...part, Body: body, Headers: sseC(other) }))).toEqual({
      status: 400,
      code: 'SsecDecryptHeaderInvalid',
    });
    const up = await cosCall(s.cos.multipartUpload.bind(s.cos), { ...part, Body: body, Headers: sseC(key) });
    expect(up.headers!['x-cos-server-side-encryption-customer-key-md5']).toBe(md5(key));
    const done = await cosCall(s.cos.multipartComplete.bind(s.cos), {
      ...at('mp/c'),
      UploadId,
      Parts: [{ PartNumber: 1, ETag: up.ETag as string }],
    });
    expect(done.headers!['x-cos-server-side-encryption-customer-algorithm']).toBe('AES256');
    expect(done.headers!['x-cos-hash-crc64ecma']).toBe(crc);
    expect(await refusal(cosCall(s.cos.headObject.bind(s.cos), at('mp/c')))).toMatchObject({ status: 400 });
    expect(await refusal(cosCall(s.cos.getObject.bind(s.cos), at('mp/c')))).toEqual({ status: 400, code: 'SsecDecryptHeaderInvalid' });
    const head = await cosCall(s.cos.headObject.bind(s.cos), { ...at('mp/c'), Headers: sseC(key) });
    expect(head.headers!['x-cos-hash-crc64ecma']).toBe(crc);
    expect(head.headers!['x-cos-server-side-encryption-customer-key-md5']).toBe(md5(key));
  });

  it('refuses a customer key on a part of an upload started without one (SSEHeaderNotAllowed)', async () => {
    const init = await cosCall(s.cos.multipartInit.bind(s.cos), at('mp/plain'));
    const part = { ...at('mp/plain'), UploadId: init.UploadId as string, PartNumber: 1, Body: body, Headers: sseC(key) };
    expect(await refusal(cosCall(s.cos.multipartUpload.bind(s.cos), part))).toEqual({ status: 400, code: 'SSEHeaderNotAllowed' });
  });

  it('APPEND Object answers x-cos-next-append-position; HEAD does not (an append starts at the content-length)', async () => {
    const first = await cosCall(s.cos.appendObject.bind(s.cos), { ...at('app/log'), Position: 0, Body: body });
    expect(first.headers!['x-cos-next-append-position']).toBe(String(body.length));
    const second = await cosCall(s.cos.appendObject.bind(s.cos), { ...at('app/log'), Position: body.length, Body: body });
    expect(second.headers!['x-cos-next-append-position']).toBe(String(2 * body.length));
    const head = await cosCall(s.cos.headObject.bind(s.cos), at('app/log'));
    expect(head.headers!['x-cos-object-type']).toBe('appendable');
    expect(head.headers!['x-cos-next-append-position']).toBeUndefined();
    expect(head.headers!['content-length']).toBe(String(2 * body.length));
  });
});

describe('OSS multipart upload with SSE-C (ali-oss)', () => {
  const sseC = (k: Buffer) => ({
    'x-oss-server-side-encryption-customer-algorithm': 'AES256',
    'x-oss-server-side-encryption-customer-key': k.toString('base64'),
    'x-oss-server-side-encryption-customer-key-MD5': md5(k),
  });
  // ali-oss's own part call with a body in memory (its public uploadPart reads a file); it passes `headers` on.
  type PartCall = { _uploadPart(...args: unknown[]): Promise<{ etag: string }> };
  const part = (uploadId: string, headers: Record<string, string>) =>
    (s.oss as unknown as PartCall)._uploadPart(
      'mp/c',
      uploadId,
      1,
      { size: body.length, stream: Readable.from([body], { objectMode: false }) },
      { headers },
    );

  it('initiates with the key, refuses a part without it or with another, completes, and then HEAD needs the key', async () => {
    const { uploadId } = await s.oss.initMultipartUpload('mp/c', { headers: sseC(key) });
    expect(await refusal(part(uploadId, {}))).toEqual({ status: 400, code: 'InvalidRequest' });
    expect(await refusal(part(uploadId, sseC(other)))).toEqual({ status: 403, code: 'AccessDenied' });
    const up = await part(uploadId, sseC(key));
    await s.oss.completeMultipartUpload('mp/c', uploadId, [{ number: 1, etag: up.etag }]);
    expect(await refusal(s.oss.head('mp/c'))).toMatchObject({ status: 400 });
    const head = await s.oss.head('mp/c', { headers: sseC(key) });
    expect((head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(crc);
  });
});
