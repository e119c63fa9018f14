import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import COS from 'cos-nodejs-sdk-v5';
import OSS from 'ali-oss';
import {
  cosCall,
  cosClient,
  cosClientOptions,
  makeCosBucket,
  makeOssBucket,
  ossClient,
  startTestEmulator,
  type Emulator,
} from '../../support/emulator';

let emu: Emulator;
let cosBucket: string;
let ossBucket: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  cosBucket = await makeCosBucket(emu, 'auth');
  ossBucket = await makeOssBucket(emu, 'auth');
});

afterAll(async () => {
  await emu?.close();
});

type CosData = Record<string, unknown> & { headers: Record<string, string>; statusCode: number };
const call = <T = CosData>(fn: (params: never, cb: never) => void, params: object) => cosCall(fn as never, params as never) as Promise<T>;

describe('COS buckets and credentials', () => {
  const region = () => emu.cos.region;

  it('PUT, HEAD, list and DELETE a bucket; a second PUT is BucketAlreadyExists', async () => {
    const cos = cosClient(emu);
    const name = `made-${emu.cos.appId}`;
    await call(cos.putBucket.bind(cos), { Bucket: name, Region: region() });
    await call(cos.headBucket.bind(cos), { Bucket: name, Region: region() });
    const list = await call(cos.getService.bind(cos), {});
    expect((list.Buckets as Array<{ Name: string }>).map((b) => b.Name)).toContain(name);
    await expect(call(cos.putBucket.bind(cos), { Bucket: name, Region: region() })).rejects.toMatchObject({
      code: 'BucketAlreadyExists',
      statusCode: 409,
    });
    await call(cos.putObject.bind(cos), { Bucket: name, Region: region(), Key: 'k', Body: 'x' });
    await expect(call(cos.deleteBucket.bind(cos), { Bucket: name, Region: region() })).rejects.toMatchObject({ code: 'BucketNotEmpty' });
    await call(cos.deleteObject.bind(cos), { Bucket: name, Region: region(), Key: 'k' });
    await call(cos.deleteBucket.bind(cos), { Bucket: name, Region: region() });
    await expect(call(cos.headBucket.bind(cos), { Bucket: name, Region: region() })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('answers NoSuchBucket for a missing bucket', async () => {
    const cos = cosClient(emu);
    await expect(call(cos.getObject.bind(cos), { Bucket: `missing-${emu.cos.appId}`, Region: region(), Key: 'k' })).rejects.toMatchObject({
      code: 'NoSuchBucket',
      statusCode: 404,
    });
  });

  it('rejects a wrong secret (SignatureDoesNotMatch) and an unknown SecretId (InvalidAccessKeyId)', async () => {
    const wrong = cosClient(emu, { SecretId: emu.cos.secretId, SecretKey: 'not-the-secret' });
    await expect(call(wrong.getBucket.bind(wrong), { Bucket: cosBucket, Region: region() })).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
      statusCode: 403,
    });
    const unknown = cosClient(emu, { SecretId: 'AKIDunknown', SecretKey: emu.cos.secretKey });
    await expect(call(unknown.getBucket.bind(unknown), { Bucket: cosBucket, Region: region() })).rejects.toMatchObject({
      code: 'InvalidAccessKeyId',
    });
  });

  it('rejects an expired signature', async () => {
    const late = new COS({ ...cosClientOptions(emu), SystemClockOffset: -3600_000, CorrectClockSkew: false } as COS.COSOptions);
    await expect(call(late.getBucket.bind(late), { Bucket: cosBucket, Region: region() })).rejects.toMatchObject({
      code: 'AccessDenied',
      statusCode: 403,
    });
  });

  it("denies another account's bucket (AccessDenied) and rejects a bad Content-MD5 (InvalidDigest)", async () => {
    emu.addAccount('cos', { id: 'AKIDother', secret: 'other-secret', owner: 'someone-else' });
    const other = cosClient(emu, { SecretId: 'AKIDother', SecretKey: 'other-secret' });
    await expect(call(other.getBucket.bind(other), { Bucket: cosBucket, Region: region() })).rejects.toMatchObject({
      code: 'AccessDenied',
      statusCode: 403,
    });
    const cos = cosClient(emu);
    await expect(
      call(cos.putObject.bind(cos), {
        Bucket: cosBucket,
        Region: region(),
        Key: 'md5',
        Body: 'abc',
        ContentMD5: 'AAAAAAAAAAAAAAAAAAAAAA==',
      }),
    ).rejects.toMatchObject({ code: 'InvalidDigest', statusCode: 400 });
  });

  it('accepts STS keys with their token and rejects them without it', async () => {
    emu.addAccount('cos', { id: 'AKIDtemp', secret: 'temp-secret', token: 'session-token-1' });
    const sts = cosClient(emu, { SecretId: 'AKIDtemp', SecretKey: 'temp-secret', SecurityToken: 'session-token-1' });
    const r = await call(sts.putObject.bind(sts), { Bucket: cosBucket, Region: region(), Key: 'sts', Body: 'x' });
    expect(r.statusCode).toBe(200);
    expect(emu.requests().at(-1)).toMatchObject({ op: 'PutObject', status: 200 });
    const noToken = cosClient(emu, { SecretId: 'AKIDtemp', SecretKey: 'temp-secret' });
    await expect(call(noToken.headObject.bind(noToken), { Bucket: cosBucket, Region: region(), Key: 'sts' })).rejects.toMatchObject({
      statusCode: 403,
    });
    const badToken = cosClient(emu, { SecretId: 'AKIDtemp', SecretKey: 'temp-secret', SecurityToken: 'other' });
    await expect(call(badToken.getObject.bind(badToken), { Bucket: cosBucket, Region: region(), Key: 'sts' })).rejects.toMatchObject({
      code: 'InvalidSecurityToken',
    });
  });

  it('works path-style with Domain and ServiceDomain', async () => {
    const host = new URL(emu.endpoint).host;
    const cos = new COS({
      SecretId: emu.cos.secretId,
      SecretKey: emu.cos.secretKey,
      Protocol: 'http:',
      Domain: `${host}/{Bucket}`,
      ServiceDomain: host,
      AutoSwitchHost: false,
    } as COS.COSOptions);
    await call(cos.putObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'path/style.txt', Body: 'ps' });
    const g = await call(cos.getObject.bind(cos), { Bucket: cosBucket, Region: region(), Key: 'path/style.txt' });
    expect((g.Body as Buffer).toString()).toBe('ps');
    const list = await call(cos.getService.bind(cos), {});
    expect((list.Buckets as Array<{ Name: string }>).map((b) => b.Name)).toContain(cosBucket);
  });
});

describe.each([
  ['V1', false],
  ['V4', true],
])('OSS buckets and credentials (%s signature)', (name, v4) => {
  const client = (bucket?: string, keys?: { accessKeyId: string; accessKeySecret: string; stsToken?: string }, extra: object = {}) =>
    ossClient(emu, bucket, { authorizationV4: v4, ...extra }, keys);

  it('PUT, list, info and DELETE a bucket; a second PUT is BucketAlreadyExists', async () => {
    const oss = client();
    const bucket = `made-${name.toLowerCase()}`;
    await oss.putBucket(bucket);
    const list = (await oss.listBuckets({})) as unknown as { buckets: Array<{ name: string }> | null };
    expect(list.buckets!.map((b) => b.name)).toContain(bucket);
    const info = await oss.getBucketInfo(bucket);
    expect(info.bucket.Name).toBe(bucket);
    expect((await oss.getBucketLocation(bucket)).location).toBe(emu.oss.region);
    await expect(oss.putBucket(bucket)).rejects.toMatchObject({ code: 'BucketAlreadyExists', status: 409 });
    await oss.deleteBucket(bucket);
    const after = (await oss.listBuckets({})) as unknown as { buckets: Array<{ name: string }> | null };
    expect((after.buckets ?? []).map((b) => b.name)).not.toContain(bucket);
  });

  it('answers NoSuchBucket and NoSuchKey (also for HEAD, from x-oss-err)', async () => {
    await expect(client('no-such-bucket').get('k')).rejects.toMatchObject({ code: 'NoSuchBucket', status: 404 });
    await expect(client(ossBucket).head('missing')).rejects.toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  it('rejects a wrong secret, an unknown key and a skewed clock', async () => {
    await expect(
      client(ossBucket, { accessKeyId: emu.oss.accessKeyId, accessKeySecret: 'wrong' }).list({ 'max-keys': 1 }, {}),
    ).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    await expect(client(ossBucket, { accessKeyId: 'LTAIunknown', accessKeySecret: 'x' }).list({ 'max-keys': 1 }, {})).rejects.toMatchObject(
      { code: 'InvalidAccessKeyId', status: 403 },
    );
    const skewed = client(ossBucket, undefined, { amendTimeSkewed: -3600_000 });
    await expect(skewed.list({ 'max-keys': 1 }, {})).rejects.toMatchObject({ code: 'RequestTimeTooSkewed', status: 403 });
  });

  it("denies another account's bucket (AccessDenied)", async () => {
    emu.addAccount('oss', { id: 'LTAIother', secret: 'other-secret', owner: 'someone-else' });
    await expect(client(ossBucket, { accessKeyId: 'LTAIother', accessKeySecret: 'other-secret' }).get('k')).rejects.toMatchObject({
      code: 'AccessDenied',
      status: 403,
    });
  });

  it('accepts STS keys with their token and rejects a wrong token', async () => {
    emu.addAccount('oss', { id: 'STS.temp', secret: 'temp-secret', token: 'oss-session-token' });
    const sts = client(ossBucket, { accessKeyId: 'STS.temp', accessKeySecret: 'temp-secret', stsToken: 'oss-session-token' });
    await sts.put(`sts-${name}`, Buffer.from('x'));
    const wrong = client(ossBucket, { accessKeyId: 'STS.temp', accessKeySecret: 'temp-secret', stsToken: 'nope' });
    await expect(wrong.get(`sts-${name}`)).rejects.toMatchObject({ code: 'InvalidSecurityToken', status: 403 });
  });

  it('works path-style with sldEnable', async () => {
    const port = new URL(emu.endpoint).port;
    const oss = new OSS({
      endpoint: `http://localhost:${port}`,
      sldEnable: true,
      accessKeyId: emu.oss.accessKeyId,
      accessKeySecret: emu.oss.accessKeySecret,
      region: emu.oss.region,
      bucket: ossBucket,
      authorizationV4: v4,
    } as OSS.Options);
    await oss.put('path/style.txt', Buffer.from('ps'));
    const g = await oss.get('path/style.txt');
    expect((g.content as Buffer).toString()).toBe('ps');
  });
});
