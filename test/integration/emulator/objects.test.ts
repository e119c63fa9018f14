import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

let emu: Emulator;
let cos: COS;
let cosBucket: string;
let ossBucket: string;
let oss: OSS;
let ossV4: OSS;

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
  cosBucket = await makeCosBucket(emu, 'objects');
  ossBucket = await makeOssBucket(emu, 'objects');
  oss = ossClient(emu, ossBucket);
  ossV4 = ossClient(emu, ossBucket, { authorizationV4: true });
});

afterAll(async () => {
  await emu?.close();
});

const body = Buffer.from('hello, bucket integrity\n'.repeat(100));
const expectedCrc = formatCrc64(crc64(body));

describe('COS objects through cos-nodejs-sdk-v5', () => {
  const region = () => emu.cos.region;

  it('PUT returns the CRC-64 of the stored bytes and an MD5 ETag', async () => {
    const r = await cosCall(cos.putObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'dir/a.txt', Body: body });
    expect(r.headers!['x-cos-hash-crc64ecma']).toBe(expectedCrc);
    expect(r.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('HEAD and GET carry the CRC header; a Range GET carries the whole object CRC', async () => {
    const head = await cosCall(cos.headObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'dir/a.txt' });
    expect(head.headers!['x-cos-hash-crc64ecma']).toBe(expectedCrc);
    expect(head.headers!['content-length']).toBe(String(body.length));
    const get = await cosCall(cos.getObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'dir/a.txt' });
    expect(Buffer.compare(get.Body as Buffer, body)).toBe(0);
    expect(get.headers!['x-cos-hash-crc64ecma']).toBe(expectedCrc);
    const part = await cosCall(cos.getObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'dir/a.txt', Range: 'bytes=10-19' });
    expect(part.statusCode).toBe(206);
    expect((part.Body as Buffer).toString()).toBe(body.subarray(10, 20).toString());
    expect(part.headers!['x-cos-hash-crc64ecma']).toBe(expectedCrc);
    expect(part.headers!['content-range']).toBe(`bytes 10-19/${body.length}`);
  });

  it('lists with prefix, delimiter, marker and max-keys', async () => {
    for (const k of ['list/a', 'list/b', 'list/sub/c', 'list/sub/d', 'list/z/e']) {
      await cosCall(cos.putObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: k, Body: 'x' });
    }
    const top = await cosCall(cos.getBucket.bind(cos), { Bucket: cosBucket, Region: region(), Prefix: 'list/', Delimiter: '/' });
    expect((top.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['list/a', 'list/b']);
    expect((top.CommonPrefixes as Array<{ Prefix: string }>).map((c) => c.Prefix)).toEqual(['list/sub/', 'list/z/']);
    const page1 = await cosCall(cos.getBucket.bind(cos), { Bucket: cosBucket, Region: region(), Prefix: 'list/', MaxKeys: 2 });
    expect(page1.IsTruncated).toBe('true');
    expect((page1.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['list/a', 'list/b']);
    const page2 = await cosCall(cos.getBucket.bind(cos), {
      Bucket: cosBucket,
      Region: region(),
      Prefix: 'list/',
      MaxKeys: 2,
      Marker: page1.NextMarker as string,
    });
    expect((page2.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['list/sub/c', 'list/sub/d']);
  });

  it('DELETE removes an object; GET then answers NoSuchKey', async () => {
    await cosCall(cos.putObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'gone', Body: 'x' });
    await cosCall(cos.deleteObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'gone' });
    await expect(cosCall(cos.getObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'gone' })).rejects.toMatchObject({
      code: 'NoSuchKey',
      statusCode: 404,
    });
  });

  it('keys with spaces, unicode and dot segments round-trip (COS resolves dot segments, as util.simplifyPath)', async () => {
    for (const key of ['a b/ü ñ 中文.txt', '../escape/../x', 'plus+sign&amp=?.bin']) {
      const r = await cosCall(cos.putObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: key, Body: key });
      expect(r.statusCode).toBe(200);
      const g = await cosCall(cos.getObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: key });
      expect((g.Body as Buffer).toString()).toBe(key);
    }
    const listed = await cosCall(cos.getBucket.bind(cos), { Bucket: cosBucket, Region: region(), Prefix: '../' });
    expect(listed.Contents).toEqual([]);
    const resolved = await cosCall(cos.getBucket.bind(cos), { Bucket: cosBucket, Region: region(), Prefix: 'x' });
    expect((resolved.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(['x']);
    // Nothing was written outside the data folder.
    expect(existsSync(join(emu.dataDir, '..', 'escape'))).toBe(false);
  });
});

describe.each([
  ['V1', () => oss],
  ['V4', () => ossV4],
])('OSS objects through ali-oss (%s signature)', (_name, client) => {
  it('PUT returns the CRC-64; HEAD, GET and Range GET return the whole-object CRC', async () => {
    const put = await client().put('dir/a.txt', body);
    expect((put.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(expectedCrc);
    const head = await client().head('dir/a.txt');
    expect((head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(expectedCrc);
    const get = await client().get('dir/a.txt');
    expect(Buffer.compare(get.content as Buffer, body)).toBe(0);
    const range = await client().get('dir/a.txt', { headers: { Range: 'bytes=5-9' } });
    expect(range.res.status).toBe(206);
    expect((range.content as Buffer).toString()).toBe(body.subarray(5, 10).toString());
    expect((range.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(expectedCrc);
  });

  it('lists v1 and v2 with delimiter and paging', async () => {
    for (const k of ['list/a', 'list/b', 'list/sub/c', 'list/sub/d', 'list/z/e']) await client().put(k, Buffer.from('x'));
    const top = await client().list({ prefix: 'list/', delimiter: '/', 'max-keys': 100 }, {});
    expect(top.objects.map((o) => o.name)).toEqual(['list/a', 'list/b']);
    expect(top.prefixes).toEqual(['list/sub/', 'list/z/']);
    const p1 = await client().list({ prefix: 'list/', 'max-keys': 3 }, {});
    expect(p1.isTruncated).toBe(true);
    const p2 = await client().list({ prefix: 'list/', 'max-keys': 3, marker: p1.nextMarker! }, {});
    expect([...p1.objects, ...p2.objects].map((o) => o.name)).toEqual(['list/a', 'list/b', 'list/sub/c', 'list/sub/d', 'list/z/e']);
    const v1 = await client().listV2({ prefix: 'list/', 'max-keys': '2' }, {});
    expect(v1.isTruncated).toBe(true);
    const v2 = await client().listV2({ prefix: 'list/', 'max-keys': '10', 'continuation-token': v1.nextContinuationToken! }, {});
    expect([...v1.objects, ...v2.objects].map((o) => o.name)).toEqual(['list/a', 'list/b', 'list/sub/c', 'list/sub/d', 'list/z/e']);
  });

  it('pages one key at a time through keys in UTF-8 order, each exactly once', async () => {
    const keys = ['uni/a', 'uni/z', 'uni/é', 'uni/ｚ', 'uni/😀', 'uni/中'];
    for (const k of keys) await client().put(k, Buffer.from('x'));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client().listV2({ prefix: 'uni/', 'max-keys': '1', ...(token ? { 'continuation-token': token } : {}) }, {});
      seen.push(...page.objects.map((o) => o.name));
      token = page.isTruncated ? (page.nextContinuationToken ?? undefined) : undefined;
    } while (token);
    expect(seen).toEqual([...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  });

  it('DELETE removes an object; GET then answers NoSuchKey', async () => {
    await client().put('gone', Buffer.from('x'));
    await client().delete('gone');
    await expect(client().get('gone')).rejects.toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  // ali-oss normalises `..` segments out of the URL before sending, so dot-segment keys are covered by COS.
  it('keys with spaces and unicode round-trip as plain keys', async () => {
    for (const key of ['a b/ü ñ 中文.txt', 'plus+sign&amp=?.bin']) {
      await client().put(key, Buffer.from(key));
      const g = await client().get(key);
      expect((g.content as Buffer).toString()).toBe(key);
    }
  });
});
