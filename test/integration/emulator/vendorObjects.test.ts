import { connect } from 'node:net';
import { Readable } from 'node:stream';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

/**
 * Object behaviours the vendors' own SDK test suites expect of the services (ali-oss 6.23
 * `test/node/object.test.js`, cos-nodejs-sdk-v5 2.15 `test/test.js`), through those SDKs.
 */

let emu: Emulator;
let cos: COS;
let cosBucket: string;
let ossBucket: string;
let oss: OSS;

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
  cosBucket = await makeCosBucket(emu, 'vobj');
  ossBucket = await makeOssBucket(emu, 'vobj');
  oss = ossClient(emu, ossBucket);
});
afterAll(async () => {
  await emu?.close();
});

const STANDARD = {
  'cache-control': 'max-age=3600',
  'content-disposition': 'attachment; filename="a.txt"',
  'content-encoding': 'identity',
  'content-language': 'zh-CN',
  expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
};
const REPLACED = {
  'cache-control': 'no-cache',
  'content-disposition': 'inline',
  'content-encoding': 'identity',
  'content-language': 'en',
  expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
};

const pick = (headers: Record<string, unknown>) => Object.fromEntries(Object.keys(STANDARD).map((k) => [k, headers[k]]));

describe('standard headers (Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires)', () => {
  it('COS: stored by PUT, returned by HEAD and GET, replaced by a copy with MetadataDirective Replaced', async () => {
    const Bucket = cosBucket;
    const Region = emu.cos.region;
    await cosCall(cos.putObject.bind(cos), { Bucket, Region, Key: 'std', Body: 'x', Headers: { ...STANDARD } } as never);
    const head = await cosCall(cos.headObject.bind(cos), { Bucket, Region, Key: 'std' });
    expect(pick(head.headers!)).toEqual(STANDARD);
    const get = await cosCall(cos.getObject.bind(cos), { Bucket, Region, Key: 'std' });
    expect(pick(get.headers!)).toEqual(STANDARD);
    await cosCall(cos.putObjectCopy.bind(cos), {
      Bucket,
      Region,
      Key: 'std',
      CopySource: `${Bucket}.cos.${Region}.myqcloud.com/std`,
      MetadataDirective: 'Replaced',
      // The SDK adds its own headers to the object it is given.
      Headers: { ...REPLACED },
    } as never);
    expect(pick((await cosCall(cos.headObject.bind(cos), { Bucket, Region, Key: 'std' })).headers!)).toEqual(REPLACED);
  });

  it('OSS: stored by put, returned by head and get, replaced by a copy with x-oss-metadata-directive REPLACE', async () => {
    await oss.put('std', Buffer.from('x'), { headers: STANDARD });
    expect(pick((await oss.head('std')).res.headers as Record<string, unknown>)).toEqual(STANDARD);
    expect(pick((await oss.get('std')).res.headers as Record<string, unknown>)).toEqual(STANDARD);
    await oss.copy('std', 'std', { headers: { ...REPLACED, 'x-oss-metadata-directive': 'REPLACE' } });
    expect(pick((await oss.head('std')).res.headers as Record<string, unknown>)).toEqual(REPLACED);
  });
});

describe('GET and HEAD conditions If-Modified-Since (304) and If-Unmodified-Since (412)', () => {
  const future = new Date(Date.now() + 3600_000).toUTCString();
  const past = 'Thu, 01 Jan 2015 00:00:00 GMT';

  it('COS', async () => {
    const Bucket = cosBucket;
    const Region = emu.cos.region;
    await cosCall(cos.putObject.bind(cos), { Bucket, Region, Key: 'cond', Body: 'x' });
    // The SDK answers a 304 as { NotModified: true } rather than an error.
    expect(await cosCall(cos.headObject.bind(cos), { Bucket, Region, Key: 'cond', IfModifiedSince: future })).toMatchObject({
      statusCode: 304,
    });
    await expect(cosCall(cos.getObject.bind(cos), { Bucket, Region, Key: 'cond', IfUnmodifiedSince: past })).rejects.toMatchObject({
      statusCode: 412,
    });
    expect((await cosCall(cos.getObject.bind(cos), { Bucket, Region, Key: 'cond', IfModifiedSince: past })).statusCode).toBe(200);
  });

  it('OSS', async () => {
    await oss.put('cond', Buffer.from('x'));
    expect((await oss.get('cond', { headers: { 'If-Modified-Since': future } })).res.status).toBe(304);
    await expect(oss.head('cond', { headers: { 'If-Unmodified-Since': past } })).rejects.toMatchObject({ status: 412 });
    expect((await oss.get('cond', { headers: { 'If-Unmodified-Since': future } })).res.status).toBe(200);
  });
});

describe('non-ASCII user metadata is signed as its raw bytes', () => {
  // ali-oss object.test.js puts `meta: { name: '阿达' }` (headerEncoding latin1 sends the UTF-8 bytes).
  for (const v4 of [false, true]) {
    it(`OSS ${v4 ? 'V4' : 'V1'}`, async () => {
      const client = ossClient(emu, ossBucket, { authorizationV4: v4, headerEncoding: 'latin1' } as never);
      await client.put('meta/阿达', Buffer.from('x'), { meta: { name: '阿达', uid: 0, pid: 0 } } as never);
      const head = await client.head('meta/阿达');
      expect(Buffer.from(String((head.res.headers as Record<string, string>)['x-oss-meta-name']), 'latin1').toString('utf8')).toBe('阿达');
    });
  }
});

describe('a PUT with both Content-Length and chunked transfer encoding (ali-oss putStream)', () => {
  it('is accepted as the services accept it: the chunked body is stored', async () => {
    const data = Buffer.from('streamed body\n'.repeat(50));
    const r = await oss.putStream('stream', Readable.from([data]), { contentLength: data.length } as never);
    expect(r.res.status).toBe(200);
    expect((await oss.get('stream')).content).toEqual(data);
  });

  it('on the wire: both headers, the chunked body wins (RFC 9112 §6.3), answered by the service not a bare 400', async () => {
    // An unsigned request: the answer must be the service's XML refusal (403), which proves the request was parsed.
    const raw = await new Promise<string>((resolve, reject) => {
      const c = connect(emu.port, '127.0.0.1', () =>
        c.write(
          `PUT /${ossBucket}/both HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
        ),
      );
      let d = '';
      c.on('data', (b: Buffer) => (d += b.toString()));
      c.on('close', () => resolve(d));
      c.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 403 /);
    expect(raw).toContain('<Code>AccessDenied</Code>');
  });
});

describe('appendable objects', () => {
  it('OSS: GET and HEAD carry x-oss-next-append-position (crc-headers.md, HEAD of an Appendable object)', async () => {
    await oss.append('app', Buffer.from('abcd'));
    for (const res of [(await oss.head('app')).res, (await oss.get('app')).res]) {
      expect((res.headers as Record<string, string>)['x-oss-next-append-position']).toBe('4');
      expect((res.headers as Record<string, string>)['x-oss-object-type']).toBe('Appendable');
    }
  });

  it('COS: APPEND Object (POST ?append&position=) answers x-cos-next-append-position; a wrong position is 409 AppendPositionErr', async () => {
    const Bucket = cosBucket;
    const Region = emu.cos.region;
    const first = await cosCall(cos.appendObject.bind(cos), { Bucket, Region, Key: 'app', Position: 0, Body: 'abcd' });
    expect(first.headers!['x-cos-next-append-position']).toBe('4');
    const second = await cosCall(cos.appendObject.bind(cos), { Bucket, Region, Key: 'app', Position: 4, Body: 'ef' });
    expect(second.headers!['x-cos-next-append-position']).toBe('6');
    await expect(cosCall(cos.appendObject.bind(cos), { Bucket, Region, Key: 'app', Position: 1, Body: 'x' })).rejects.toMatchObject({
      statusCode: 409,
      code: 'AppendPositionErr',
    });
    const head = await cosCall(cos.headObject.bind(cos), { Bucket, Region, Key: 'app' });
    expect(head.headers!['x-cos-object-type']).toBe('appendable');
    expect(head.headers!['content-length']).toBe('6');
    // The CRC-64 of the whole object, as for any COS object that has one (crc-headers.md: HEAD returns it "if the object has one").
    expect(head.headers!['x-cos-hash-crc64ecma']).toBe(formatCrc64(crc64(Buffer.from('abcdef'))));
    await cosCall(cos.putObject.bind(cos), { Bucket, Region, Key: 'normal', Body: 'x' });
    await expect(cosCall(cos.appendObject.bind(cos), { Bucket, Region, Key: 'normal', Position: 1, Body: 'y' })).rejects.toMatchObject({
      statusCode: 409,
      code: 'ObjectNotAppendable',
    });
  });
});

describe('COS: Content-Type from the key, storage class and encryption echoed', () => {
  it('guesses Content-Type from the extension when none is sent', async () => {
    const Bucket = cosBucket;
    const Region = emu.cos.region;
    // A string body: the SDK sends no Content-Type (sdk/base.js leaves it to the service), as cos test.js "1.zip".
    await cosCall(cos.putObject.bind(cos), { Bucket, Region, Key: '1.zip', Body: 'zip' });
    expect((await cosCall(cos.headObject.bind(cos), { Bucket, Region, Key: '1.zip' })).headers!['content-type']).toBe('application/zip');
  });

  it('COS storage class and SSE-COS', async () => {
    const Bucket = cosBucket;
    const Region = emu.cos.region;
    const put = await cosCall(cos.putObject.bind(cos), {
      Bucket,
      Region,
      Key: 'ia',
      Body: 'x',
      StorageClass: 'STANDARD_IA',
      ServerSideEncryption: 'AES256',
    });
    expect(put.headers!['x-cos-server-side-encryption']).toBe('AES256');
    const head = await cosCall(cos.headObject.bind(cos), { Bucket, Region, Key: 'ia' });
    expect(head.headers).toMatchObject({ 'x-cos-storage-class': 'STANDARD_IA', 'x-cos-server-side-encryption': 'AES256' });
  });

  it('OSS storage class and server-side encryption', async () => {
    const put = await oss.put('ia', Buffer.from('x'), {
      headers: { 'x-oss-storage-class': 'IA', 'x-oss-server-side-encryption': 'AES256' },
    });
    expect((put.res.headers as Record<string, string>)['x-oss-server-side-encryption']).toBe('AES256');
    const head = (await oss.head('ia')).res.headers as Record<string, string>;
    expect(head).toMatchObject({ 'x-oss-storage-class': 'IA', 'x-oss-server-side-encryption': 'AES256' });
  });
});

describe('error bodies', () => {
  it('OSS: PositionNotEqualToLength carries its documented EC 0026-00000016 (errors.md, Go SDK v2 mock)', async () => {
    await oss.append('ec', Buffer.from('ab'));
    const err = (await oss.append('ec', Buffer.from('c'), { position: '0' }).catch((e: unknown) => e)) as {
      status: number;
      code: string;
      ecCode?: string;
    };
    expect(err).toMatchObject({ status: 409, code: 'PositionNotEqualToLength', ecCode: '0026-00000016' });
  });
});

describe('COS key normalisation', () => {
  // cos-nodejs-sdk-v5 util.simplifyPath: ".", ".." and empty segments resolve as in a path.
  it('a key with "/./", ".." or runs of "/" names the object its resolved path names', async () => {
    const Bucket = cosBucket;
    const Region = emu.cos.region;
    await cosCall(cos.putObject.bind(cos), { Bucket, Region, Key: 'norm/./a//b', Body: 'n' });
    const listed = (await cosCall(cos.getBucket.bind(cos), { Bucket, Region, Prefix: 'norm/' })).Contents as { Key: string }[];
    expect(listed.map((c) => c.Key)).toEqual(['norm/a/b']);
    expect(String((await cosCall(cos.getObject.bind(cos), { Bucket, Region, Key: 'norm/x/../a/b' })).Body)).toBe('n');
  });
});
