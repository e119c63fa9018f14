import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

let emu: Emulator;
let cos: COS;
let oss: OSS;
let cosBucket: string;
let ossBucket: string;
const body = randomBytes(256 * 1024);
const trueCrc = formatCrc64(crc64(body));

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
  cosBucket = await makeCosBucket(emu, 'faults');
  ossBucket = await makeOssBucket(emu, 'faults');
  oss = ossClient(emu, ossBucket);
  await cosCall(cos.putObject.bind(cos) as never, { Bucket: cosBucket, Region: emu.cos.region, Key: 'obj', Body: body } as never);
  await oss.put('obj', body);
});

afterEach(() => emu.faults.clear());
afterAll(async () => {
  await emu?.close();
});

type CosData = Record<string, unknown> & { headers: Record<string, string>; statusCode: number };
const call = <T = CosData>(fn: (params: never, cb: never) => void, params: object) => cosCall(fn as never, params as never) as Promise<T>;
const h = (res: { headers: unknown }) => res.headers as Record<string, string>;

describe('status faults', () => {
  it('OSS: 503 answers with the code, once', async () => {
    emu.faults.add({ dialect: 'oss', op: 'HeadObject', key: 'obj', action: { kind: 'status', status: 503, code: 'SlowDown' } });
    await expect(oss.head('obj')).rejects.toMatchObject({ status: 503 });
    await expect(oss.get('obj')).resolves.toBeTruthy();
    emu.faults.add({ op: 'GetObject', action: { kind: 'status', status: 500 } });
    await expect(oss.get('obj')).rejects.toMatchObject({ status: 500, code: 'InternalError' });
    emu.faults.add({ op: 'ListObjects', times: 2, action: { kind: 'status', status: 503 } });
    await expect(oss.list({ 'max-keys': 1 }, {})).rejects.toMatchObject({ status: 503 });
    await expect(oss.listV2({ 'max-keys': '1' }, {})).rejects.toMatchObject({ status: 503 });
  });

  it('COS: the SDK retries a 5xx on its own; times: Infinity makes it give up', async () => {
    emu.clearRequests();
    emu.faults.add({ dialect: 'cos', op: 'GetObject', action: { kind: 'status', status: 503, code: 'SlowDown' } });
    const ok = await call(cos.getObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'obj' });
    expect(ok.statusCode).toBe(200);
    expect(emu.requests().map((r) => [r.op, r.status, r.code])).toEqual([
      ['GetObject', 503, 'SlowDown'],
      ['GetObject', 200, undefined],
    ]);
    emu.faults.add({ dialect: 'cos', op: 'HeadObject', times: Infinity, action: { kind: 'status', status: 503, code: 'SlowDown' } });
    await expect(call(cos.headObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'obj' })).rejects.toMatchObject({
      statusCode: 503,
    });
  });
});

describe('connection faults', () => {
  it('reset cuts an upload mid-body and nothing is stored', async () => {
    emu.faults.add({ op: 'PutObject', key: 'reset-put', times: Infinity, action: { kind: 'reset' } });
    await expect(oss.put('reset-put', body)).rejects.toBeTruthy();
    await expect(
      call(cos.putObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'reset-put', Body: body }),
    ).rejects.toBeTruthy();
    emu.faults.clear();
    await expect(oss.head('reset-put')).rejects.toMatchObject({ status: 404 });
  });

  it('reset cuts a download mid-body', async () => {
    emu.faults.add({ op: 'GetObject', times: 2, action: { kind: 'reset' } });
    await expect(oss.get('obj')).rejects.toBeTruthy();
    emu.faults.add({ op: 'GetObject', times: Infinity, action: { kind: 'reset' } });
    await expect(call(cos.getObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'obj' })).rejects.toBeTruthy();
  });

  it('drop-response does the work but loses the answer', async () => {
    const init = await oss.initMultipartUpload('dropped');
    const part = await oss.uploadPart('dropped', init.uploadId, 1, __filename, 0, 100);
    emu.faults.add({ op: 'CompleteMultipartUpload', action: { kind: 'drop-response' } });
    await expect(oss.completeMultipartUpload('dropped', init.uploadId, [{ number: 1, etag: part.etag }])).rejects.toBeTruthy();
    const head = await oss.head('dropped');
    expect(h(head.res)['content-length']).toBe('100');
    await expect(oss.listParts('dropped', init.uploadId, {} as OSS.ListPartsQuery, {})).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('delay holds the answer back', async () => {
    const t0 = Date.now();
    emu.faults.add({ op: 'HeadObject', action: { kind: 'delay', ms: 300 } });
    await oss.head('obj');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(emu.requests().at(-1)?.faults).toEqual(['delay']);
  });
});

describe('integrity faults', () => {
  it('corrupt-upload: the server stores a flipped byte and returns the CRC of what it stored', async () => {
    emu.faults.add({ dialect: 'oss', op: 'PutObject', key: 'corrupt', action: { kind: 'corrupt-upload' } });
    const put = await oss.put('corrupt', body);
    const sent = h(put.res)['x-oss-hash-crc64ecma'];
    expect(sent).not.toBe(trueCrc);
    const got = await oss.get('corrupt');
    expect(Buffer.compare(got.content as Buffer, body)).not.toBe(0);
    expect(formatCrc64(crc64(got.content as Buffer))).toBe(sent);

    emu.faults.add({ dialect: 'cos', op: 'PutObject', action: { kind: 'corrupt-upload' } });
    const cput = await call(cos.putObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'corrupt', Body: body });
    expect(cput.headers['x-cos-hash-crc64ecma']).not.toBe(trueCrc);
  });

  it('corrupt-upload can target one part of a multipart upload', async () => {
    const init = await call(cos.multipartInit.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'mp' });
    emu.faults.add({ op: 'UploadPart', partNumber: 2, action: { kind: 'corrupt-upload' } });
    const crcs: string[] = [];
    for (const n of [1, 2, 3]) {
      const r = await call(cos.multipartUpload.bind(cos), {
        Bucket: cosBucket,
        Region: emu.cos.region,
        Key: 'mp',
        UploadId: init.UploadId,
        PartNumber: n,
        Body: body,
      });
      crcs.push(r.headers['x-cos-hash-crc64ecma']);
    }
    expect(crcs[0]).toBe(trueCrc);
    expect(crcs[1]).not.toBe(trueCrc);
    expect(crcs[2]).toBe(trueCrc);
  });

  it('corrupt-download flips a byte of the body; headers keep the stored CRC', async () => {
    emu.faults.add({ op: 'GetObject', dialect: 'oss', action: { kind: 'corrupt-download' } });
    const got = await oss.get('obj');
    expect(h(got.res)['x-oss-hash-crc64ecma']).toBe(trueCrc);
    expect((got.content as Buffer).length).toBe(body.length);
    expect(formatCrc64(crc64(got.content as Buffer))).not.toBe(trueCrc);
    emu.faults.add({ op: 'GetObject', dialect: 'cos', action: { kind: 'corrupt-download' } });
    const cgot = await call(cos.getObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'obj' });
    expect(cgot.headers['x-cos-hash-crc64ecma']).toBe(trueCrc);
    expect(formatCrc64(crc64(cgot.Body as Buffer))).not.toBe(trueCrc);
  });

  it('truncate-download announces the whole length and CRC, sends half and closes: the SDKs see a short body', async () => {
    /** The SDK's answer to a truncated GET: either an error, or fewer bytes than its Content-Length. */
    const shortBody = async (get: () => Promise<{ length: number; contentLength: string }>) => {
      emu.clearRequests();
      const outcome = await get().then(
        (r) => ({ ok: true as const, ...r }),
        (e: unknown) => ({ ok: false as const, error: e as { status?: number; statusCode?: number } }),
      );
      const log = emu.requests().filter((r) => r.op === 'GetObject');
      // The emulator answered 200 with the fault: an error comes from the short body, not from a status.
      expect(log[0]).toMatchObject({ status: 200, faults: ['truncate-download'] });
      if (outcome.ok) {
        expect(outcome.contentLength).toBe(String(body.length));
        expect(outcome.length).toBeLessThan(body.length);
      } else {
        expect(outcome.error.status ?? outcome.error.statusCode ?? 200).toBe(200);
      }
    };
    emu.faults.add({ op: 'GetObject', dialect: 'oss', times: Infinity, action: { kind: 'truncate-download' } });
    await shortBody(async () => {
      const got = await oss.get('obj');
      expect(h(got.res)['x-oss-hash-crc64ecma']).toBe(trueCrc);
      return { length: (got.content as Buffer).length, contentLength: h(got.res)['content-length'] };
    });
    emu.faults.add({ op: 'GetObject', dialect: 'cos', times: Infinity, action: { kind: 'truncate-download' } });
    await shortBody(async () => {
      const got = await call(cos.getObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'obj' });
      expect(got.headers['x-cos-hash-crc64ecma']).toBe(trueCrc);
      return { length: (got.Body as Buffer).length, contentLength: got.headers['content-length'] };
    });
  });

  it('wrong-crc-header and omit-crc-header change only the header', async () => {
    emu.faults.add({ op: 'HeadObject', action: { kind: 'wrong-crc-header' } });
    const wrong = await oss.head('obj');
    const value = h(wrong.res)['x-oss-hash-crc64ecma'];
    expect(value).toMatch(/^\d+$/);
    expect(value).not.toBe(trueCrc);
    emu.faults.add({ op: 'PutObject', dialect: 'cos', action: { kind: 'omit-crc-header' } });
    const put = await call(cos.putObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'nocrc', Body: body });
    expect(put.headers['x-cos-hash-crc64ecma']).toBeUndefined();
    const head = await call(cos.headObject.bind(cos), { Bucket: cosBucket, Region: emu.cos.region, Key: 'nocrc' });
    expect(head.headers['x-cos-hash-crc64ecma']).toBe(trueCrc);
  });
});

describe('error-in-200 (COS CopyObject and CompleteMultipartUpload)', () => {
  const p = () => ({ Bucket: cosBucket, Region: emu.cos.region });
  const source = () => `${cosBucket}.cos.${emu.cos.region}.myqcloud.com/obj`;

  it('a copy answered 200 with an <Error> body writes nothing; the SDK takes it for an error and retries it', async () => {
    emu.clearRequests();
    emu.faults.add({ op: 'CopyObject', times: Infinity, action: { kind: 'error-in-200' } });
    await expect(call(cos.putObjectCopy.bind(cos), { ...p(), Key: 'e200/copy', CopySource: source() })).rejects.toMatchObject({
      code: 'InternalError',
    });
    // The SDK retries it as it does a 5xx: 1 + 3 requests, each answered the same way.
    expect(emu.requests().map((r) => [r.op, r.status, r.code])).toEqual(Array(4).fill(['CopyObject', 200, 'InternalError']));
    await expect(call(cos.headObject.bind(cos), { ...p(), Key: 'e200/copy' })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('a Complete answered 200 with an <Error> body leaves the upload in progress', async () => {
    const { UploadId } = await call<{ UploadId: string }>(cos.multipartInit.bind(cos), { ...p(), Key: 'e200/mp' });
    const part = await call(cos.multipartUpload.bind(cos), { ...p(), Key: 'e200/mp', UploadId, PartNumber: 1, Body: body });
    emu.faults.add({ op: 'CompleteMultipartUpload', times: Infinity, action: { kind: 'error-in-200' } });
    const parts = [{ PartNumber: 1, ETag: part.ETag }];
    await expect(call(cos.multipartComplete.bind(cos), { ...p(), Key: 'e200/mp', UploadId, Parts: parts })).rejects.toMatchObject({
      code: 'InternalError',
    });
    await expect(call(cos.headObject.bind(cos), { ...p(), Key: 'e200/mp' })).rejects.toMatchObject({ statusCode: 404 });
    emu.faults.clear();
    await call(cos.multipartComplete.bind(cos), { ...p(), Key: 'e200/mp', UploadId, Parts: parts });
    expect(h(await call(cos.headObject.bind(cos), { ...p(), Key: 'e200/mp' }))['x-cos-hash-crc64ecma']).toBe(trueCrc);
  });

  it('does not apply to OSS or to other calls: such a rule is refused, an unscoped one leaves OSS copies alone', async () => {
    expect(() => emu.faults.add({ dialect: 'oss', op: 'CopyObject', action: { kind: 'error-in-200' } })).toThrow(
      /COS CopyObject and CompleteMultipartUpload/,
    );
    expect(() => emu.faults.add({ op: 'PutObject', action: { kind: 'error-in-200' } })).toThrow(
      /COS CopyObject and CompleteMultipartUpload/,
    );
    emu.faults.add({ action: { kind: 'error-in-200' } });
    await oss.copy('e200/oss-copy', 'obj');
    expect(h((await oss.head('e200/oss-copy')).res)['x-oss-hash-crc64ecma']).toBe(trueCrc);
    const waiting = (await (await fetch(`${emu.endpoint}/_emulator/faults`)).json()) as Array<{ remaining: number }>;
    expect(waiting).toMatchObject([{ remaining: 1 }]);
    const add = (rule: object) => fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify(rule) });
    expect((await add({ op: 'CopyObject', action: 'error-in-200' })).status).toBe(200);
    expect((await add({ dialect: 'oss', op: 'CopyObject', action: 'error-in-200' })).status).toBe(400);
  });
});

describe('HTTP control API', () => {
  it('adds and clears faults, lists requests and stores legacy objects over HTTP', async () => {
    const post = await fetch(`${emu.endpoint}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ op: 'HeadObject', key: 'obj', action: 'status-503', times: 'Infinity' }),
    });
    expect(post.status).toBe(200);
    await expect(oss.head('obj')).rejects.toMatchObject({ status: 503 });
    await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'DELETE' });
    await expect(oss.head('obj')).resolves.toBeTruthy();

    await fetch(`${emu.endpoint}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ op: 'GetObject', action: 'corrupt-get-body' }),
    });
    const got = await oss.get('obj');
    expect(formatCrc64(crc64(got.content as Buffer))).not.toBe(trueCrc);
    await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ op: 'HeadObject', action: 'no-crc' }) });
    expect(h((await oss.head('obj')).res)['x-oss-hash-crc64ecma']).toBeUndefined();
    await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ op: 'HeadObject', action: 'delay-ms:10' }) });
    await oss.head('obj');

    const bad = await fetch(`${emu.endpoint}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ op: 'HeadObject', action: 'explode' }),
    });
    expect(bad.status).toBe(400);

    const legacy = await fetch(`${emu.endpoint}/_emulator/legacy-object?dialect=oss&bucket=${ossBucket}&key=legacy/http.bin`, {
      method: 'POST',
      body: body,
    });
    expect(legacy.status).toBe(200);
    const head = await oss.head('legacy/http.bin');
    expect(h(head.res)['x-oss-hash-crc64ecma']).toBeUndefined();
    expect(h(head.res)['content-length']).toBe(String(body.length));

    expect((await fetch(`${emu.endpoint}/_emulator/buckets?dialect=oss&name=http-made`, { method: 'POST' })).status).toBe(200);
    const account = { dialect: 'oss', id: 'LTAIhttp', secret: 'http-secret', token: 'http-token' };
    expect((await fetch(`${emu.endpoint}/_emulator/accounts`, { method: 'POST', body: JSON.stringify(account) })).status).toBe(200);
    const viaHttp = ossClient(emu, 'http-made', {}, { accessKeyId: 'LTAIhttp', accessKeySecret: 'http-secret', stsToken: 'http-token' });
    await viaHttp.put('made.txt', Buffer.from('ok'));

    const log = (await (await fetch(`${emu.endpoint}/_emulator/requests`)).json()) as Array<{ op: string; key?: string; status: number }>;
    expect(log.at(-1)).toMatchObject({ op: 'PutObject', bucket: 'http-made', key: 'made.txt', status: 200 });
    expect(log.at(-2)).toMatchObject({ op: 'HeadObject', key: 'legacy/http.bin', status: 200 });
    expect(log.some((r) => r.op === 'HeadObject' && r.status === 503)).toBe(true);
  });
});
