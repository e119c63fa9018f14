import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

/**
 * The conformance suite: for each behaviour, the request (through the real SDK, or on the wire where the
 * SDK hides the answer), the vendor's documented answer, quoted with its source (the copies kept in
 * test/fixtures/vendor/, from ../shared/vendor-examples), and the emulator's answer compared with it.
 * A behaviour listed in docs/emulator.md as a known difference is not here.
 */

let emu: Emulator;
let cos: COS;
let oss: OSS;
let cosBucket: string;
let ossBucket: string;
const Region = () => emu.cos.region;
const crcOf = (s: string | Buffer) => formatCrc64(crc64(Buffer.from(s)));

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
  cosBucket = await makeCosBucket(emu, 'conf');
  ossBucket = await makeOssBucket(emu, 'conf');
  oss = ossClient(emu, ossBucket);
});
afterAll(async () => {
  await emu?.close();
});

type Headers = Record<string, string>;
const headersOf = (r: { res: { headers: unknown } }) => r.res.headers as Headers;
const cosErr = (p: Promise<unknown>) => p.catch((e: unknown) => e) as Promise<{ statusCode: number; code: string; headers?: Headers }>;
const ossErr = (p: Promise<unknown>) =>
  p.catch((e: unknown) => e) as Promise<{ status: number; code: string; ecCode?: string; requestId?: string; params?: unknown }>;

/** An unsigned request on the wire, for the error body the SDKs parse away. */
function raw(host: string, path: string): Promise<{ status: number; headers: Headers; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emu.port, path, method: 'GET', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('COS, as its documentation answers', () => {
  it('PUT Object: 200, ETag, x-cos-hash-crc64ecma (crc-headers.md, "PUT Object_intl_en.md" lines 150-157)', async () => {
    // HTTP/1.1 200 OK / ETag: "ee8de918d05640145b18f70f4c3aa602" / x-cos-hash-crc64ecma: 16749565679157681890
    const r = await cosCall(cos.putObject.bind(cos), { Bucket: cosBucket, Region: Region(), Key: 'doc/16', Body: '0123456789abcdef' });
    expect(r.statusCode).toBe(200);
    expect(r.headers!.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(r.headers!['x-cos-hash-crc64ecma']).toBe(crcOf('0123456789abcdef'));
  });

  it("GET with Range bytes=8-14 of a 16-byte object: 206, Content-Range bytes 8-14/16, the WHOLE object's CRC-64 (GET Object_intl_en.md lines 438-453)", async () => {
    // HTTP/1.1 206 Partial Content / Content-Length: 7 / Content-Range: bytes 8-14/16 / x-cos-hash-crc64ecma: 16749565679157681890
    const r = await cosCall(cos.getObject.bind(cos), { Bucket: cosBucket, Region: Region(), Key: 'doc/16', Range: 'bytes=8-14' });
    expect(r.statusCode).toBe(206);
    expect(r.headers).toMatchObject({
      'content-length': '7',
      'content-range': 'bytes 8-14/16',
      'x-cos-hash-crc64ecma': crcOf('0123456789abcdef'),
    });
  });

  it('PUT Object - Copy: <CopyObjectResult> carries <CRC64> (PUT Object - Copy_intl_en.md lines 539-555, sample 10)', async () => {
    // <CopyObjectResult><ETag>…</ETag><CRC64>11596229263574363878</CRC64><LastModified>…</LastModified>…
    const r = await cosCall(cos.putObjectCopy.bind(cos), {
      Bucket: cosBucket,
      Region: Region(),
      Key: 'doc/copy',
      CopySource: `${cosBucket}.cos.${Region()}.myqcloud.com/doc/16`,
    });
    expect(r).toMatchObject({ CRC64: crcOf('0123456789abcdef') });
  });

  it('Upload Part and Complete Multipart Upload: x-cos-hash-crc64ecma of the part, then of the whole object (CRC64 校验_intl_zh.md lines 9-51)', async () => {
    // "Upload Part：用户可以根据 COS 返回的 CRC64 值…"; "Complete Multipart Upload：如果每个分块都有 CRC64 属性，则会返回整个对象的 CRC64 值"
    const p = { Bucket: cosBucket, Region: Region(), Key: 'doc/mp' };
    const UploadId = String((await cosCall(cos.multipartInit.bind(cos), p)).UploadId);
    const part = await cosCall(cos.multipartUpload.bind(cos), { ...p, UploadId, PartNumber: 1, Body: 'only part' });
    expect(part.headers!['x-cos-hash-crc64ecma']).toBe(crcOf('only part'));
    const done = await cosCall(cos.multipartComplete.bind(cos), { ...p, UploadId, Parts: [{ PartNumber: 1, ETag: part.ETag as string }] });
    expect(done.headers!['x-cos-hash-crc64ecma']).toBe(crcOf('only part'));
  });

  it('APPEND Object: x-cos-next-append-position and ETag, no CRC-64 header (APPEND Object_intl_en.md lines 96-99, 133-142)', async () => {
    // x-cos-next-append-position: 4096 — the documented answer has no x-cos-hash-crc64ecma.
    const r = await cosCall(cos.appendObject.bind(cos), { Bucket: cosBucket, Region: Region(), Key: 'doc/app', Position: 0, Body: 'four' });
    expect(r.headers!['x-cos-next-append-position']).toBe('4');
    expect(r.headers!.etag).toBeTruthy();
    expect(r.headers!['x-cos-hash-crc64ecma']).toBeUndefined();
  });

  it('APPEND at a wrong position: 409 AppendPositionErr; to a normal object: 409 ObjectNotAppendable (错误码_intl_zh.md lines 149, 165)', async () => {
    // | 409 Conflict | AppendPositionErr | Append 操作时，对象长度和 Position 不一致 |  /  | 409 ObjectNotAppendale | ObjectNotAppendable | 指定的对象不能追加 |
    const wrong = await cosErr(
      cosCall(cos.appendObject.bind(cos), { Bucket: cosBucket, Region: Region(), Key: 'doc/app', Position: 1, Body: 'x' }),
    );
    expect(wrong).toMatchObject({ statusCode: 409, code: 'AppendPositionErr' });
    const normal = await cosErr(
      cosCall(cos.appendObject.bind(cos), { Bucket: cosBucket, Region: Region(), Key: 'doc/16', Position: 16, Body: 'x' }),
    );
    expect(normal).toMatchObject({ statusCode: 409, code: 'ObjectNotAppendable' });
  });

  it("error body: <?xml version='1.0' encoding='utf-8' ?>, Code, Message, Resource, RequestId, TraceId (errors.md, 错误码_intl_zh.md lines 14-21)", async () => {
    const r = await raw(`${cosBucket}.cos.${Region()}.myqcloud.com`, '/doc/16');
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.body.startsWith("<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n")).toBe(true);
    expect([...r.body.matchAll(/<(\w+)>/g)].map((m) => m[1])).toEqual(['Error', 'Code', 'Message', 'Resource', 'RequestId', 'TraceId']);
  });

  it('PUT Bucket inventory: 200 with an empty body (PUT Bucket inventory_intl_en.md lines 204-209)', async () => {
    const dest = await makeCosBucket(emu, 'confinv');
    const r = await cosCall(cos.putBucketInventory.bind(cos), {
      Bucket: cosBucket,
      Region: Region(),
      Id: 'list1',
      InventoryConfiguration: {
        Id: 'list1',
        IsEnabled: 'true',
        Destination: {
          COSBucketDestination: { Format: 'CSV', AccountId: '100000000001', Bucket: `qcs::cos:${Region()}::${dest}`, Prefix: 'list1' },
        },
        Schedule: { Frequency: 'Daily' },
        IncludedObjectVersions: 'All',
        OptionalFields: [
          'Size',
          'LastModifiedDate',
          'ETag',
          'StorageClass',
          'IsMultipartUploaded',
          'ReplicationStatus',
          'Tag',
          'Crc64',
          'x-cos-meta-*',
        ],
      } as never,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers!['content-length']).toBe('0');
  });
});

describe('OSS, as its documentation answers', () => {
  it('PutObject of an empty object: x-oss-hash-crc64ecma: 0, ETag "D41D8CD98F00B204E9800998ECF8…" (PutObject.md lines 110-119)', async () => {
    const r = await oss.put('doc/empty', Buffer.alloc(0));
    expect(headersOf(r)['x-oss-hash-crc64ecma']).toBe('0');
    expect(headersOf(r).etag).toBe('"D41D8CD98F00B204E9800998ECF8427E"');
  });

  it('range GET returns the whole object\'s CRC-64 ("range get请求返回的将会是整个Object的crc64值", 通过crc64校验数据传输的完整性.md lines 11-17)', async () => {
    await oss.put('doc/16', Buffer.from('0123456789abcdef'));
    const r = await oss.get('doc/16', { headers: { Range: 'bytes=8-14' } });
    expect(r.res.status).toBe(206);
    expect(headersOf(r)['x-oss-hash-crc64ecma']).toBe(crcOf('0123456789abcdef'));
  });

  it("AppendObject: x-oss-next-append-position and the whole object's x-oss-hash-crc64ecma (AppendObject.md lines 87-90, 151-159)", async () => {
    await oss.append('doc/app', Buffer.from('ab'));
    const r = await oss.append('doc/app', Buffer.from('cd'), { position: '2' });
    expect(headersOf(r)).toMatchObject({ 'x-oss-next-append-position': '4', 'x-oss-hash-crc64ecma': crcOf('abcd') });
  });

  it('HEAD of an Appendable object: x-oss-object-type Appendable, x-oss-next-append-position, x-oss-hash-crc64ecma (help.aliyun.com 0026-00000016)', async () => {
    const h = headersOf(await oss.head('doc/app'));
    expect(h).toMatchObject({
      'x-oss-object-type': 'Appendable',
      'x-oss-next-append-position': '4',
      'x-oss-hash-crc64ecma': crcOf('abcd'),
      'x-oss-storage-class': 'Standard',
    });
  });

  it('AppendObject at a wrong position: 409 PositionNotEqualToLength, EC 0026-00000016, x-oss-next-append-position (errors.md, Go SDK v2 mock; AppendObject.md lines 207-214)', async () => {
    const e = await ossErr(oss.append('doc/app', Buffer.from('x'), { position: '0' }));
    expect(e).toMatchObject({ status: 409, code: 'PositionNotEqualToLength', ecCode: '0026-00000016' });
    const n = await ossErr(oss.append('doc/16', Buffer.from('x'), { position: '16' }));
    expect(n).toMatchObject({ status: 409, code: 'ObjectNotAppendable' });
  });

  it('error body: Code, Message, RequestId, HostId, EC, RecommendDoc, and the x-oss-ec header (errors.md, document_detail/32005)', async () => {
    const r = await raw(`${ossBucket}.${emu.oss.region}.aliyuncs.com`, '/doc/16');
    expect(r.status).toBe(403);
    expect([...r.body.matchAll(/<(\w+)>/g)].map((m) => m[1])).toEqual([
      'Error',
      'Code',
      'Message',
      'RequestId',
      'HostId',
      'EC',
      'RecommendDoc',
    ]);
    const ec = /<EC>([^<]+)<\/EC>/.exec(r.body)![1];
    expect(r.headers['x-oss-ec']).toBe(ec);
    expect(r.body).toContain(`<RecommendDoc>https://api.aliyun.com/troubleshoot?q=${ec}</RecommendDoc>`);
  });

  it('GetObjectMeta: Content-Length, ETag, Last-Modified and x-oss-hash-crc64ecma (Go SDK v2 GetObjectMetaResult, api_op_object.go lines 1148-1172)', async () => {
    const meta = await (oss as unknown as { getObjectMeta(n: string): Promise<{ res: { headers: unknown } }> }).getObjectMeta('doc/16');
    expect(headersOf(meta)).toMatchObject({ 'content-length': '16', 'x-oss-hash-crc64ecma': crcOf('0123456789abcdef') });
    expect(headersOf(meta)['last-modified']).toBeTruthy();
  });

  it('PutBucketInventory with AccountId 123456789 (not the owner): refused, EC 0020-00000028 (oss-inventory.md §5, document_detail/600083)', async () => {
    const dest = await makeOssBucket(emu, 'confinv');
    const put = (oss as unknown as { putBucketInventory(b: string, i: object): Promise<unknown> }).putBucketInventory(ossBucket, {
      id: 'report1',
      isEnabled: true,
      OSSBucketDestination: { format: 'CSV', accountId: '123456789', rolename: 'AliyunOSSRole', bucket: dest, prefix: 'prefix1' },
      frequency: 'Daily',
      includedObjectVersions: 'All',
      optionalFields: {
        field: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'EncryptionStatus', 'TransitionTime'],
      },
    });
    expect(await ossErr(put)).toMatchObject({ status: 400, ecCode: '0020-00000028' });
  });
});
