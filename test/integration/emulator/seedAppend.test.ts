import { createHash } from 'node:crypto';
import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import urllib from 'urllib';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

let emu: Emulator;
let cos: COS;

beforeAll(async () => {
  emu = await startTestEmulator();
  cos = cosClient(emu);
});

afterAll(async () => {
  await emu?.close();
});

describe('seeded objects', () => {
  it('10,000 seeded COS objects list in pages, and HEAD/GET agree with the generated body', async () => {
    const bucket = await makeCosBucket(emu, 'seed');
    const region = emu.cos.region;
    await cosCall(cos.putObject.bind(cos), { Bucket: bucket, Region: region, Key: 'many/0042', Body: 'replaced by the seed' });
    await cosCall(cos.putObject.bind(cos), { Bucket: bucket, Region: region, Key: 'many/zz-after', Body: 'stays' });
    const res = await fetch(`${emu.endpoint}/_emulator/seed-objects`, {
      method: 'POST',
      body: JSON.stringify({ dialect: 'cos', bucket, prefix: 'many/', count: 10_000, size: 100 }),
    });
    expect(await res.json()).toMatchObject({ count: 10_000, firstKey: 'many/0000', lastKey: 'many/9999' });
    const keys: string[] = [];
    let marker = '';
    for (;;) {
      const page = await cosCall(cos.getBucket.bind(cos), {
        Bucket: bucket,
        Region: region,
        Prefix: 'many/',
        Marker: marker,
        MaxKeys: 1000,
      });
      keys.push(...(page.Contents as { Key: string }[]).map((c) => c.Key));
      if (page.IsTruncated !== 'true') break;
      marker = page.NextMarker as string;
    }
    expect(keys).toHaveLength(10_001);
    expect(keys[42]).toBe('many/0042');
    expect(keys[10_000]).toBe('many/zz-after');
    const top = await cosCall(cos.getBucket.bind(cos), { Bucket: bucket, Region: region, Delimiter: '/' });
    expect(top.CommonPrefixes).toEqual([{ Prefix: 'many/' }]);
    expect(top.Contents).toEqual([]);
    const get = await cosCall(cos.getObject.bind(cos), { Bucket: bucket, Region: region, Key: 'many/0042' });
    const body = get.Body as Buffer;
    expect(body.length).toBe(100);
    expect(body.subarray(0, 10).toString()).toBe('many/0042\n');
    const head = await cosCall(cos.headObject.bind(cos), { Bucket: bucket, Region: region, Key: 'many/0042' });
    expect(head.headers!['x-cos-hash-crc64ecma']).toBe(oracleCrc64(body));
    expect(head.headers!.etag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    const range = await cosCall(cos.getObject.bind(cos), { Bucket: bucket, Region: region, Key: 'many/0042', Range: 'bytes=95-99' });
    expect((range.Body as Buffer).equals(body.subarray(95))).toBe(true);
    // A delete removes a seeded object; a PUT over one replaces it.
    await cosCall(cos.deleteObject.bind(cos), { Bucket: bucket, Region: region, Key: 'many/0001' });
    await cosCall(cos.putObject.bind(cos), { Bucket: bucket, Region: region, Key: 'many/0002', Body: 'new' });
    const first = await cosCall(cos.getBucket.bind(cos), { Bucket: bucket, Region: region, Prefix: 'many/', MaxKeys: 3 });
    expect((first.Contents as { Key: string; Size: string }[]).map((c) => [c.Key, c.Size])).toEqual([
      ['many/0000', '100'],
      ['many/0002', '3'],
      ['many/0003', '100'],
    ]);
  });

  it('seeded OSS objects without CRC have none on HEAD, and copies of seeded objects hold their bytes', async () => {
    const bucket = await makeOssBucket(emu, 'seed');
    const oss = ossClient(emu, bucket);
    await emu.seedObjects('oss', bucket, { prefix: 'old/', count: 5, size: 10, withCrc: false });
    const head = await oss.head('old/3');
    expect((head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBeUndefined();
    await emu.seedObjects('oss', bucket, { prefix: 'new/', count: 3, size: 20 });
    await oss.copy('copied', 'new/1');
    const copied = await oss.get('copied');
    expect((copied.content as Buffer).toString()).toBe('new/1\nnew/1\nnew/1\nne');
    expect((copied.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(
      oracleCrc64(Buffer.from('new/1\nnew/1\nnew/1\nne')),
    );
    const listed = await oss.listV2({ 'max-keys': '100' }, {});
    expect(listed.objects.map((o) => o.name)).toEqual(['copied', 'new/0', 'new/1', 'new/2', 'old/0', 'old/1', 'old/2', 'old/3', 'old/4']);
  });
});

/** ali-oss has getObjectMeta (HEAD ?objectMeta) in its code but not in its types. */
type MetaClient = OSS & { getObjectMeta(name: string): Promise<{ status: number; res: { headers: unknown } }> };

describe('OSS AppendObject and GetObjectMeta through ali-oss', () => {
  let oss: MetaClient;
  let bucket: string;

  beforeAll(async () => {
    bucket = await makeOssBucket(emu, 'append');
    oss = ossClient(emu, bucket) as MetaClient;
  });

  it('each append answers the next position and the CRC-64 of the whole object so far', async () => {
    const chunks = [Buffer.from('first chunk, '), Buffer.alloc(70_000, 7), Buffer.from('last')];
    let position = 0;
    let whole = Buffer.alloc(0);
    for (const chunk of chunks) {
      const r = await oss.append('log.txt', chunk, { position: String(position) });
      whole = Buffer.concat([whole, chunk]);
      position = Number(r.nextAppendPosition);
      expect(position).toBe(whole.length);
      expect((r.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(oracleCrc64(whole));
    }
    const got = await oss.get('log.txt');
    expect((got.content as Buffer).equals(whole)).toBe(true);
    expect((got.res.headers as Record<string, string>)['x-oss-object-type']).toBe('Appendable');
    const meta = await oss.getObjectMeta('log.txt');
    const h = meta.res.headers as Record<string, string>;
    expect(meta.status).toBe(200);
    expect(h['content-length']).toBe(String(whole.length));
    expect(h['x-oss-hash-crc64ecma']).toBe(oracleCrc64(whole));
    expect(h.etag).toBe((got.res.headers as Record<string, string>).etag);
    expect(h['last-modified']).toBe((got.res.headers as Record<string, string>)['last-modified']);
  });

  it('a wrong position is PositionNotEqualToLength with the current length; a normal object is not appendable', async () => {
    await oss.append('short', Buffer.from('12345'));
    const err = await oss.append('short', Buffer.from('x'), { position: '3' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 409, code: 'PositionNotEqualToLength' });
    // ali-oss keeps no headers on an error: its `urllib` option lets the test see the answer it got.
    const answers: { status: number; headers: Record<string, string> }[] = [];
    const watching = ossClient(emu, bucket, {
      urllib: {
        request: async (url: string, params: object) => {
          const r = (await urllib.request(url, params)) as { status: number; headers: Record<string, string> };
          answers.push(r);
          return r;
        },
      },
    } as Partial<OSS.Options>);
    await expect(watching.append('short', Buffer.from('x'), { position: '3' })).rejects.toMatchObject({ status: 409 });
    expect(answers.at(-1)!.status).toBe(409);
    expect(answers.at(-1)!.headers['x-oss-next-append-position']).toBe('5');
    expect(((await oss.get('short')).content as Buffer).toString()).toBe('12345');
    await oss.put('normal', Buffer.from('abc'));
    await expect(oss.append('normal', Buffer.from('d'), { position: '3' })).rejects.toMatchObject({
      status: 409,
      code: 'ObjectNotAppendable',
    });
    await expect(oss.getObjectMeta('missing')).rejects.toMatchObject({ status: 404 });
  });
});
