import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall } from '../../support/emulator';
import { sdkSuite } from './sdkSuite';

/**
 * The emulator's storage classes, restores and server-side encryption, through the real SDKs. The
 * answers expected are the services' documented ones: COS GET Object's InvalidObjectState example
 * (vendor-examples/errors.md), OSS error 0016-00000404 and RestoreObject's 202 / 409 / 200.
 */

const s = sdkSuite('archive');
const body = Buffer.from('archived bytes\n'.repeat(50));
const crc = formatCrc64(crc64(body));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
type SdkError = { statusCode?: number; status?: number; code?: string; error?: { Code?: string } };

async function cosError(p: Promise<unknown>): Promise<{ status?: number; code?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as SdkError;
    return { status: err.statusCode, code: err.code ?? err.error?.Code };
  }
  throw new Error('the call succeeded');
}

async function ossError(p: Promise<unknown>): Promise<{ status?: number; code?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as SdkError;
    return { status: err.status, code: err.code };
  }
  throw new Error('the call succeeded');
}

describe('COS storage classes and restore (cos-nodejs-sdk-v5)', () => {
  const at = (Key: string) => ({ Bucket: s.cosBucket, Region: s.emu.cos.region, Key });

  it('keeps the class of a PUT and shows it on HEAD and in the listing; refuses an unknown class', async () => {
    await cosCall(s.cos.putObject.bind(s.cos), { ...at('cold/a'), Body: body, StorageClass: 'ARCHIVE' });
    const head = await cosCall(s.cos.headObject.bind(s.cos), at('cold/a'));
    expect(head.headers!['x-cos-storage-class']).toBe('ARCHIVE');
    expect(head.headers!['x-cos-hash-crc64ecma']).toBe(crc);
    expect(head.headers!['x-cos-restore']).toBeUndefined();
    const list = await cosCall(s.cos.getBucket.bind(s.cos), { Bucket: s.cosBucket, Region: s.emu.cos.region, Prefix: 'cold/' });
    expect((list.Contents as Array<{ StorageClass: string }>)[0].StorageClass).toBe('ARCHIVE');
    expect(
      await cosError(cosCall(s.cos.putObject.bind(s.cos), { ...at('cold/bad'), Body: body, StorageClass: 'GLACIER' as never })),
    ).toMatchObject({ status: 400, code: 'InvalidStorageClass' });
  });

  it('refuses GET and copy of an unrestored archive object with 403 InvalidObjectState', async () => {
    expect(await cosError(cosCall(s.cos.getObject.bind(s.cos), at('cold/a')))).toEqual({ status: 403, code: 'InvalidObjectState' });
    const copy = cosCall(s.cos.putObjectCopy.bind(s.cos), {
      ...at('warm/a'),
      CopySource: `${s.cosBucket}.cos.${s.emu.cos.region}.myqcloud.com/cold/a`,
    });
    expect(await cosError(copy)).toEqual({ status: 403, code: 'InvalidObjectState' });
  });

  it('restores: 202, then 409 while it runs, readable with x-cos-restore once done, archived again after expiry', async () => {
    s.emu.setRestoreTiming({ delayMs: 300, dayMs: 1500 });
    const req = { ...at('cold/a'), RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Expedited' as const } } };
    const first = await cosCall(s.cos.restoreObject.bind(s.cos), req);
    expect(first.statusCode).toBe(202);
    expect(await cosError(cosCall(s.cos.restoreObject.bind(s.cos), req))).toEqual({ status: 409, code: 'RestoreAlreadyInProgress' });
    const ongoing = await cosCall(s.cos.headObject.bind(s.cos), at('cold/a'));
    expect(ongoing.headers!['x-cos-restore']).toBe('ongoing-request="true"');
    await wait(400);
    const done = await cosCall(s.cos.headObject.bind(s.cos), at('cold/a'));
    expect(done.headers!['x-cos-restore']).toMatch(/^ongoing-request="false", expiry-date="\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT"$/);
    const get = await cosCall(s.cos.getObject.bind(s.cos), at('cold/a'));
    expect(Buffer.compare(get.Body as Buffer, body)).toBe(0);
    await wait(1600);
    expect(await cosError(cosCall(s.cos.getObject.bind(s.cos), at('cold/a')))).toEqual({ status: 403, code: 'InvalidObjectState' });
  });

  it('refuses a restore of an object that is not archived', async () => {
    await cosCall(s.cos.putObject.bind(s.cos), { ...at('hot/a'), Body: body, StorageClass: 'STANDARD_IA' });
    const req = { ...at('hot/a'), RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Standard' as const } } };
    expect(await cosError(cosCall(s.cos.restoreObject.bind(s.cos), req))).toEqual({ status: 403, code: 'InvalidObjectState' });
  });
});

describe('OSS storage classes and restore (ali-oss)', () => {
  it('keeps the class, refuses GET until restored, restores with 202 / 409 / 200', async () => {
    s.emu.setRestoreTiming({ delayMs: 300, dayMs: 60_000 });
    await s.oss.put('cold/a', body, { headers: { 'x-oss-storage-class': 'ColdArchive' } });
    const head = await s.oss.head('cold/a');
    expect((head.res.headers as Record<string, string>)['x-oss-storage-class']).toBe('ColdArchive');
    const list = await s.oss.listV2({ prefix: 'cold/' }, {});
    expect(list.objects[0].storageClass).toBe('ColdArchive');
    expect(await ossError(s.oss.get('cold/a'))).toEqual({ status: 403, code: 'InvalidObjectState' });
    const r = await s.oss.restore('cold/a', { type: 'ColdArchive', Days: 2, JobParameters: 'Expedited' } as never);
    expect((r as unknown as { res: { status: number } }).res.status).toBe(202);
    expect(await ossError(s.oss.restore('cold/a', { type: 'ColdArchive' } as never))).toEqual({
      status: 409,
      code: 'RestoreAlreadyInProgress',
    });
    expect((await s.oss.head('cold/a')).res.headers).toMatchObject({ 'x-oss-restore': 'ongoing-request="true"' });
    await wait(400);
    expect(((await s.oss.head('cold/a')).res.headers as Record<string, string>)['x-oss-restore']).toMatch(
      /^ongoing-request="false", expiry-date=".+ GMT"$/,
    );
    const get = await s.oss.get('cold/a');
    expect(Buffer.compare(get.content as Buffer, body)).toBe(0);
    // Asked again once restored: 200 and a later expiry (ali-oss only takes 202 as success).
    expect(await ossError(s.oss.restore('cold/a'))).toMatchObject({ status: 200 });
  });

  it('refuses a restore of an object that is not archived with 400 OperationNotSupported', async () => {
    await s.oss.put('hot/a', body, { headers: { 'x-oss-storage-class': 'IA' } });
    expect(await ossError(s.oss.restore('hot/a'))).toEqual({ status: 400, code: 'OperationNotSupported' });
  });
});

const key = randomBytes(32);
const other = randomBytes(32);
const md5 = (k: Buffer) => createHash('md5').update(k).digest('base64');

describe('COS server-side encryption (cos-nodejs-sdk-v5)', () => {
  const at = (Key: string) => ({ Bucket: s.cosBucket, Region: s.emu.cos.region, Key });
  const sseC = (k: Buffer) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: k.toString('base64'), SSECustomerKeyMD5: md5(k) });

  it('stores and echoes SSE-COS and SSE-KMS', async () => {
    const put = await cosCall(s.cos.putObject.bind(s.cos), { ...at('sse/cos'), Body: body, ServerSideEncryption: 'AES256' });
    expect(put.headers!['x-cos-server-side-encryption']).toBe('AES256');
    expect((await cosCall(s.cos.headObject.bind(s.cos), at('sse/cos'))).headers!['x-cos-server-side-encryption']).toBe('AES256');
    await cosCall(s.cos.putObject.bind(s.cos), { ...at('sse/kms'), Body: body, ServerSideEncryption: 'cos/kms' });
    expect((await cosCall(s.cos.headObject.bind(s.cos), at('sse/kms'))).headers!['x-cos-server-side-encryption']).toBe('cos/kms');
  });

  // COS API error codes, 4XX table: "400 Bad Request | SsecDecryptHeaderInvalid | 源文件使用 SSE-C 加密，需要在请求头中
  // 提供相同的密钥" (tencentyun/intlcloud-documents @ 708197e5e978, API 文档/错误码_intl_zh.md), for no key and another key alike.
  it('SSE-C: HEAD and GET need the key (400 SsecDecryptHeaderInvalid without it or with another); the CRC-64 is the plaintext one', async () => {
    await cosCall(s.cos.putObject.bind(s.cos), { ...at('sse/c'), Body: body, ...sseC(key) });
    expect(await cosError(cosCall(s.cos.headObject.bind(s.cos), at('sse/c')))).toMatchObject({ status: 400 });
    expect(await cosError(cosCall(s.cos.getObject.bind(s.cos), at('sse/c')))).toEqual({ status: 400, code: 'SsecDecryptHeaderInvalid' });
    expect(await cosError(cosCall(s.cos.getObject.bind(s.cos), { ...at('sse/c'), ...sseC(other) }))).toEqual({
      status: 400,
      code: 'SsecDecryptHeaderInvalid',
    });
    const head = await cosCall(s.cos.headObject.bind(s.cos), { ...at('sse/c'), ...sseC(key) });
    expect(head.headers!['x-cos-hash-crc64ecma']).toBe(crc);
    expect(head.headers!['x-cos-server-side-encryption-customer-algorithm']).toBe('AES256');
    expect(head.headers!['x-cos-server-side-encryption-customer-key-md5']).toBe(md5(key));
    const get = await cosCall(s.cos.getObject.bind(s.cos), { ...at('sse/c'), ...sseC(key) });
    expect(Buffer.compare(get.Body as Buffer, body)).toBe(0);
  });

  it('SSE-C: a copy needs the source key', async () => {
    const source = { CopySource: `${s.cosBucket}.cos.${s.emu.cos.region}.myqcloud.com/sse/c` };
    expect(await cosError(cosCall(s.cos.putObjectCopy.bind(s.cos), { ...at('sse/c-copy'), ...source }))).toEqual({
      status: 400,
      code: 'SsecDecryptHeaderInvalid',
    });
    const headers = {
      'x-cos-copy-source-server-side-encryption-customer-algorithm': 'AES256',
      'x-cos-copy-source-server-side-encryption-customer-key': key.toString('base64'),
      'x-cos-copy-source-server-side-encryption-customer-key-MD5': md5(key),
    };
    const copy = await cosCall(s.cos.putObjectCopy.bind(s.cos), { ...at('sse/c-copy'), ...source, Headers: headers });
    expect(copy.statusCode).toBe(200);
    expect((await cosCall(s.cos.headObject.bind(s.cos), at('sse/c-copy'))).headers!['x-cos-hash-crc64ecma']).toBe(crc);
  });
});

// OSS documents no SSE-C (its data-encryption page names SSE-KMS and SSE-OSS only): the emulator answers as S3 does.
describe('OSS server-side encryption (ali-oss)', () => {
  const sseC = (k: Buffer) => ({
    'x-oss-server-side-encryption-customer-algorithm': 'AES256',
    'x-oss-server-side-encryption-customer-key': k.toString('base64'),
    'x-oss-server-side-encryption-customer-key-MD5': md5(k),
  });

  it('stores and echoes AES256 and KMS', async () => {
    await s.oss.put('sse/kms', body, { headers: { 'x-oss-server-side-encryption': 'KMS' } });
    expect(((await s.oss.head('sse/kms')).res.headers as Record<string, string>)['x-oss-server-side-encryption']).toBe('KMS');
  });

  it('SSE-C: HEAD and GET need the key (400 without, 403 with another); the CRC-64 is the plaintext one', async () => {
    await s.oss.put('sse/c', body, { headers: sseC(key) });
    expect(await ossError(s.oss.head('sse/c'))).toMatchObject({ status: 400 });
    expect(await ossError(s.oss.get('sse/c'))).toEqual({ status: 400, code: 'InvalidRequest' });
    expect(await ossError(s.oss.get('sse/c', { headers: sseC(other) }))).toEqual({ status: 403, code: 'AccessDenied' });
    const head = await s.oss.head('sse/c', { headers: sseC(key) });
    expect((head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(crc);
    const get = await s.oss.get('sse/c', { headers: sseC(key) });
    expect(Buffer.compare(get.content as Buffer, body)).toBe(0);
  });
});
