import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { createObjectStore } from '../../../src/storage';
import { StorageError } from '../../../src/storage/errors';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../../src/storage/types';
import { CancelledError } from '../../../src/util/errors';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { bytes, caught, readAll } from './helpers';

const PART = 64 * 1024;

const crcOf = (b: Buffer): string => formatCrc64(crc64(b));

describe.each(['cos', 'oss'] as const)('%s adapter against the emulator', (provider: ProviderKind) => {
  let emu: Emulator;
  let bucket: string;
  let store: ObjectStore;
  let logLines: string[];

  const connection = (extra: Partial<ConnectionOptions> = {}): ConnectionOptions =>
    connectionOptions(emu, provider, {
      maxRetries: 2,
      retryBaseDelayMs: 1,
      timeoutMs: 10_000,
      log: (line) => logLines.push(line),
      ...extra,
    });
  const secret = (): string => (provider === 'cos' ? emu.cos.secretKey : emu.oss.accessKeySecret);
  const opsOf = (op: string): number => emu.requests().filter((r) => r.op === op).length;

  beforeAll(async () => {
    emu = await startTestEmulator({ minPartSize: PART });
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'store') : await makeOssBucket(emu, 'store');
    logLines = [];
    store = await createObjectStore(connection());
  });

  afterAll(async () => {
    await emu?.close();
  });

  beforeEach(() => {
    emu.faults.clear();
    emu.clearRequests();
    logLines = [];
  });

  it('lists the buckets of the account', async () => {
    const buckets = await store.listBuckets();
    expect(buckets.map((b) => b.name)).toContain(bucket);
  });

  it('PUT returns the service CRC-64; HEAD normalizes size, ETag, date, class and CRC', async () => {
    const body = bytes(5000, 1);
    const put = await store.put(bucket, 'objects/a.bin', body);
    expect(put.crc64).toBe(crcOf(body));
    expect(put.etag).toBeTruthy();
    const info = await store.head(bucket, 'objects/a.bin');
    expect(info).toMatchObject({ key: 'objects/a.bin', size: 5000, crc64: crcOf(body), etag: put.etag });
    expect(info.lastModified).toBeInstanceOf(Date);
    expect(info.storageClass).toBeTruthy();
  });

  it('GET streams the body; a range GET streams the slice with the whole object size and CRC', async () => {
    const body = bytes(200_000, 2);
    await store.put(bucket, 'objects/get.bin', body);
    const whole = await store.get(bucket, 'objects/get.bin');
    expect(whole.info.size).toBe(body.length);
    expect(whole.info.crc64).toBe(crcOf(body));
    expect((await readAll(whole.body)).equals(body)).toBe(true);

    const part = await store.get(bucket, 'objects/get.bin', { range: { start: 1000, end: 1999 } });
    expect(part.info.size).toBe(body.length);
    expect(part.info.crc64).toBe(crcOf(body));
    expect((await readAll(part.body)).equals(body.subarray(1000, 2000))).toBe(true);
  });

  it('pages through a prefix and reports common prefixes with a delimiter', async () => {
    const keys = ['page/a', 'page/b', 'page/c', 'page/d', 'page/e', 'page/sub/x', 'page/sub/y', 'page/zz/q', 'pageother'];
    for (const k of keys) await store.put(bucket, k, Buffer.from(k));

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await store.list(bucket, { prefix: 'page/', pageSize: 3, pageToken: token });
      expect(page.objects.length).toBeLessThanOrEqual(3);
      seen.push(...page.objects.map((o) => o.key));
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(seen).toEqual(keys.filter((k) => k.startsWith('page/')));
    expect(pages).toBe(3);

    const folders: string[] = [];
    const files: string[] = [];
    token = undefined;
    do {
      const page = await store.list(bucket, { prefix: 'page/', delimiter: '/', pageSize: 2, pageToken: token });
      folders.push(...page.prefixes);
      files.push(...page.objects.map((o) => o.key));
      token = page.nextPageToken;
    } while (token);
    expect(files).toEqual(['page/a', 'page/b', 'page/c', 'page/d', 'page/e']);
    expect(folders).toEqual(['page/sub/', 'page/zz/']);

    const one = await store.list(bucket, { prefix: 'page/a' });
    expect(one.objects[0]).toMatchObject({ key: 'page/a', size: 6 });
    expect(one.nextPageToken).toBeUndefined();
  });

  it('keys with spaces, unicode and URL characters survive PUT, HEAD, list and GET', async () => {
    const key = 'odd names/naïve café + 100% #1 ?.txt';
    const body = Buffer.from('odd');
    expect((await store.put(bucket, key, body)).crc64).toBe(crcOf(body));
    expect((await store.head(bucket, key)).size).toBe(3);
    expect((await store.list(bucket, { prefix: 'odd names/' })).objects.map((o) => o.key)).toEqual([key]);
    expect((await readAll((await store.get(bucket, key)).body)).toString()).toBe('odd');
    await store.deleteObject(bucket, key);
  });

  it('an empty object has size 0, the CRC-64 of nothing, and an empty body', async () => {
    expect((await store.put(bucket, 'objects/empty', Buffer.alloc(0))).crc64).toBe('0');
    const got = await store.get(bucket, 'objects/empty');
    expect(got.info).toMatchObject({ size: 0, crc64: '0' });
    expect((await readAll(got.body)).length).toBe(0);
  });

  it('DELETE removes an object; HEAD of a missing key is a no-such-key error', async () => {
    await store.put(bucket, 'objects/gone.txt', Buffer.from('bye'));
    await store.deleteObject(bucket, 'objects/gone.txt');
    const err = await caught(store.head(bucket, 'objects/gone.txt'));
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('no-such-key');
  });

  it('a legacy object has no CRC-64', async () => {
    await emu.putLegacyObject(provider, bucket, 'legacy/old.txt', 'written before CRCs');
    const info = await store.head(bucket, 'legacy/old.txt');
    expect(info.crc64).toBeUndefined();
    expect(info.size).toBe('written before CRCs'.length);
  });

  it('multipart: every part and the completed object carry the service CRC-64', async () => {
    const parts = [bytes(PART, 3), bytes(PART, 4), bytes(1000, 5)];
    const whole = Buffer.concat(parts);
    const { uploadId } = await store.createMultipartUpload(bucket, 'multi/big.bin');
    const uploaded = [];
    for (let i = 0; i < parts.length; i++) {
      const p = await store.uploadPart(bucket, 'multi/big.bin', uploadId, i + 1, parts[i]);
      expect(p.partNumber).toBe(i + 1);
      expect(p.etag).toBeTruthy();
      expect(p.crc64).toBe(crcOf(parts[i]));
      uploaded.push(p);
    }
    const listed = await store.listParts(bucket, 'multi/big.bin', uploadId);
    expect(listed.map((p) => [p.partNumber, p.etag])).toEqual(uploaded.map((p) => [p.partNumber, p.etag]));
    const done = await store.completeMultipartUpload(bucket, 'multi/big.bin', uploadId, uploaded);
    expect(done.crc64).toBe(crcOf(whole));
    expect((await store.head(bucket, 'multi/big.bin')).crc64).toBe(crcOf(whole));
    expect((await readAll((await store.get(bucket, 'multi/big.bin')).body)).equals(whole)).toBe(true);
  });

  it('an aborted multipart upload is gone: listing its parts is a no-such-upload error', async () => {
    const { uploadId } = await store.createMultipartUpload(bucket, 'multi/aborted.bin');
    await store.uploadPart(bucket, 'multi/aborted.bin', uploadId, 1, bytes(100, 6));
    await store.abortMultipartUpload(bucket, 'multi/aborted.bin', uploadId);
    const err = await caught(store.listParts(bucket, 'multi/aborted.bin', uploadId));
    expect((err as StorageError).kind).toBe('no-such-upload');
  });

  it('bad credentials: a credentials error that names what to check and never the secret', async () => {
    const wrongSecret = 'definitely-wrong-secret-value-1234';
    const bad = await createObjectStore(
      connection({
        credentials: {
          accessKeyId: provider === 'cos' ? emu.cos.secretId : emu.oss.accessKeyId,
          secretAccessKey: wrongSecret,
        },
      }),
    );
    const err = (await caught(bad.list(bucket))) as StorageError;
    expect(err).toBeInstanceOf(StorageError);
    expect(err.kind).toBe('credentials');
    expect(err.hint).toMatch(provider === 'cos' ? /SecretId\/SecretKey/ : /AccessKeyId\/AccessKeySecret/);
    const everything = [err.message, err.hint, err.stack, JSON.stringify(err), String(err), ...logLines].join('\n');
    expect(everything).not.toContain(wrongSecret);
    expect(everything).not.toContain(secret());
    expect(Object.values(err).some((v) => typeof v === 'object' && v !== null)).toBe(false);
  });

  it('an unknown key id is a credentials error too', async () => {
    const bad = await createObjectStore(
      connection({ credentials: { accessKeyId: 'AKIDunknownunknown', secretAccessKey: 'whatever-secret-0000' } }),
    );
    const err = (await caught(bad.listBuckets())) as StorageError;
    expect(err.kind).toBe('credentials');
    expect(`${err.message} ${err.hint}`).not.toContain('whatever-secret-0000');
  });

  it('temporary keys: the session token is sent, and without it the keys are refused', async () => {
    const account = {
      id: `STS${provider}tmpkeyid0000`,
      secret: `sts-${provider}-temporary-secret`,
      token: `sts-${provider}-session-token-value`,
    };
    emu.addAccount(provider, account);
    const withToken = await createObjectStore(
      connection({ credentials: { accessKeyId: account.id, secretAccessKey: account.secret, sessionToken: account.token } }),
    );
    expect((await withToken.list(bucket, { prefix: 'objects/', pageSize: 1 })).objects).toHaveLength(1);
    const withoutToken = await createObjectStore(connection({ credentials: { accessKeyId: account.id, secretAccessKey: account.secret } }));
    const err = (await caught(withoutToken.list(bucket))) as StorageError;
    expect(err.kind).toBe('credentials');
    expect(`${err.message} ${err.hint}`).not.toContain(account.secret);
  });

  it('a missing bucket is a no-such-bucket error naming the bucket', async () => {
    const name = provider === 'cos' ? `nosuch-${emu.cos.appId}` : 'nosuch-bucket';
    const err = (await caught(store.list(name))) as StorageError;
    expect(err.kind).toBe('no-such-bucket');
    expect(err.message).toContain(name);
  });

  it('GET and HEAD of an object in a missing bucket are no-such-bucket errors that say the bucket is missing', async () => {
    const name = provider === 'cos' ? `nosuch-${emu.cos.appId}` : 'nosuch-bucket';
    for (const call of [() => store.head(name, 'a.txt'), () => store.get(name, 'a.txt')]) {
      const err = (await caught(call())) as StorageError;
      expect(err).toBeInstanceOf(StorageError);
      expect(err.kind, err.message).toBe('no-such-bucket');
      expect(err.message).toMatch(new RegExp(`Bucket "${name}" does not exist`));
    }
  });

  it('a short 503 storm is ridden out with backoff, one request per attempt (no SDK retries)', async () => {
    await store.put(bucket, 'storm/a.txt', Buffer.from('a'));
    emu.clearRequests();
    emu.faults.add({ op: 'HeadObject', times: 2, action: { kind: 'status', status: 503, code: 'SlowDown' } });
    const info = await store.head(bucket, 'storm/a.txt');
    expect(info.size).toBe(1);
    expect(opsOf('HeadObject')).toBe(3);
    expect(logLines.filter((l) => /retry \d/.test(l))).toHaveLength(2);
    expect(logLines.join('\n')).not.toContain(secret());
  });

  it('an endless 503 storm ends in a server error after the configured retries', async () => {
    await store.put(bucket, 'storm/b.txt', Buffer.from('b'));
    emu.clearRequests();
    emu.faults.add({ op: 'ListObjects', times: Infinity, action: { kind: 'status', status: 503, code: 'SlowDown' } });
    emu.faults.add({ op: 'ListObjectsV2', times: Infinity, action: { kind: 'status', status: 503, code: 'SlowDown' } });
    const err = (await caught(store.list(bucket, { prefix: 'storm/' }))) as StorageError;
    expect(err.kind).toBe('server');
    expect(err.status).toBe(503);
    expect(opsOf('ListObjects') + opsOf('ListObjectsV2')).toBe(3);
  });

  it('a 503 on a part upload is retried with a fresh body and the part still carries its CRC', async () => {
    const { uploadId } = await store.createMultipartUpload(bucket, 'storm/part.bin');
    emu.faults.add({ op: 'UploadPart', times: 1, action: { kind: 'status', status: 503 } });
    const data = bytes(PART, 9);
    const part = await store.uploadPart(bucket, 'storm/part.bin', uploadId, 1, data);
    expect(part.crc64).toBe(crcOf(data));
    expect(opsOf('UploadPart')).toBe(2);
    await store.abortMultipartUpload(bucket, 'storm/part.bin', uploadId);
  });

  it('a server that does not answer in time is a timeout error', async () => {
    await store.put(bucket, 'slow/a.txt', Buffer.from('a'));
    const quick = await createObjectStore(connection({ timeoutMs: 300, maxRetries: 0 }));
    emu.faults.add({ op: 'HeadObject', times: 1, action: { kind: 'delay', ms: 3000 } });
    const started = Date.now();
    const err = (await caught(quick.head(bucket, 'slow/a.txt'))) as StorageError;
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a reset connection is a network error', async () => {
    await store.put(bucket, 'reset/a.txt', Buffer.from('a'));
    const once = await createObjectStore(connection({ maxRetries: 0 }));
    emu.faults.add({ op: 'HeadObject', times: 1, action: { kind: 'reset' } });
    const err = (await caught(once.head(bucket, 'reset/a.txt'))) as StorageError;
    expect(err.kind).toBe('network');
  });

  it('a malformed endpoint or region is refused up front with a usable message', async () => {
    await expect(createObjectStore(connection({ endpoint: '127.0.0.1:9000' }))).rejects.toMatchObject({ kind: 'invalid-request' });
    if (provider === 'cos') {
      await expect(createObjectStore(connection({ region: 'cos.ap-guangzhou' }))).rejects.toThrow(/not a COS region/);
      const err = (await caught(store.list('no-appid'))) as StorageError;
      expect(err.message).toMatch(/APPID/);
    }
  });

  it('nothing listening at the endpoint is a network error', async () => {
    const nowhere = await createObjectStore(connection({ endpoint: 'http://127.0.0.1:9', maxRetries: 0 }));
    const err = (await caught(nowhere.list(bucket))) as StorageError;
    expect(err.kind).toBe('network');
    expect(err.hint).toMatch(/endpoint/);
  });

  it('an abort cancels a request in flight at once', async () => {
    await store.put(bucket, 'slow/b.txt', Buffer.from('b'));
    emu.faults.add({ op: 'HeadObject', times: 1, action: { kind: 'delay', ms: 3000 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const err = await caught(store.head(bucket, 'slow/b.txt', { signal: controller.signal }));
    expect(err).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an abort while reading a body ends the stream with a cancellation', async () => {
    await store.put(bucket, 'objects/abort.bin', bytes(300_000, 7));
    const controller = new AbortController();
    const got = await store.get(bucket, 'objects/abort.bin', { signal: controller.signal });
    controller.abort();
    const err = await caught(readAll(got.body));
    expect(err).toBeInstanceOf(CancelledError);
  });

  it('a connection lost mid-body is a network error on the stream, not a quiet short read', async () => {
    await store.put(bucket, 'objects/cut.bin', bytes(200_000, 8));
    emu.faults.add({ op: 'GetObject', times: 1, action: { kind: 'reset' } });
    const got = await store.get(bucket, 'objects/cut.bin');
    const err = await caught(readAll(got.body));
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind, (err as Error).message).toBe('network');
  });

  it('a missing object on GET is a no-such-key error', async () => {
    const err = (await caught(store.get(bucket, 'objects/none.bin'))) as StorageError;
    expect(err.kind).toBe('no-such-key');
  });
});
