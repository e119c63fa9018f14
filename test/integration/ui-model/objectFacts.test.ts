import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { objectFacts } from '../../../src/ui/buckets/objectFacts';
import { objectTooltip } from '../../../src/ui/buckets/presentation';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { putWithState } from '../../support/objectState';

/**
 * An object's hover facts, through one HEAD on both clouds, against the emulator. Not OSS's GetObjectMeta:
 * its documented answer is Content-Length, ETag and Last-Modified only (OSS API "GetObjectMeta", response
 * headers; AlibabaCloudDocs/oss @ 8e828a972a61, `cn.zh-CN/API 参考/关于Object操作/基础操作/GetObjectMeta.md`),
 * so it cannot give the encryption the hover shows.
 */

let emu: Emulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});

afterAll(async () => {
  await emu?.close();
});

const opsFor = (key: string) =>
  emu
    .requests()
    .filter((r) => r.key === key)
    .map((r) => r.op);

async function listed(store: ObjectStore, bucket: string, key: string) {
  const page = await store.list(bucket, { prefix: key });
  return page.objects.find((o) => o.key === key)!;
}

describe.each<[ProviderKind, string]>([
  ['oss', 'HeadObject'],
  ['cos', 'HeadObject'],
])('%s object facts', (provider, call) => {
  let store: ObjectStore;
  let bucket: string;
  const body = Buffer.from('a line of a log that someone hovers over\n');

  beforeAll(async () => {
    store = await emulatorStore(emu, provider, { maxRetries: 0 });
    bucket = await (provider === 'oss' ? makeOssBucket : makeCosBucket)(emu, 'facts');
    await store.put(bucket, 'logs/app.log', body);
  });

  it(`gives the CRC-64, size, ETag and date of the object with one ${call}`, async () => {
    const fromListing = await listed(store, bucket, 'logs/app.log');
    emu.clearRequests();
    const facts = await objectFacts(store, bucket, fromListing);
    expect(opsFor('logs/app.log')).toEqual([call]);
    expect(facts.crc64).toBe(oracleCrc64(body));
    expect(facts.size).toBe(body.length);
    expect(facts.etag).toBe(fromListing.etag);
    // Headers give whole seconds, listings milliseconds.
    expect(Math.floor(facts.lastModified!.getTime() / 1000)).toBe(Math.floor(fromListing.lastModified!.getTime() / 1000));
    // COS HEAD names no STANDARD class: the listing's stays.
    expect(facts.storageClass).toBeTruthy();
    expect(facts.storageClass).toBe(fromListing.storageClass);
  });

  it('says an object stored without a CRC-64 has none, and gives the size the service has now', async () => {
    await emu.putLegacyObject(provider, bucket, 'old.bin', 'written before CRC-64');
    const fromListing = await listed(store, bucket, 'old.bin');
    await emu.putLegacyObject(provider, bucket, 'old.bin', 'written before CRC-64, then grown');
    const facts = await objectFacts(store, bucket, fromListing);
    expect(facts.crc64).toBeUndefined();
    expect(facts.size).toBe('written before CRC-64, then grown'.length);
  });

  it('the hover names the server-side encryption the HEAD gives', async () => {
    const sse = provider === 'oss' ? 'KMS' : 'cos/kms';
    await putWithState(emu, provider, bucket, 'enc/kms.bin', body, { sse });
    const facts = await objectFacts(store, bucket, await listed(store, bucket, 'enc/kms.bin'));
    expect(facts.encryption).toBe(sse);
    expect(objectTooltip(bucket, facts)).toContain(`Encryption: SSE-KMS (${sse})`);
  });

  it('a missing object is a no-such-key error, not facts', async () => {
    await expect(objectFacts(store, bucket, { key: 'gone.txt', size: 3 })).rejects.toMatchObject({ kind: 'no-such-key' });
  });
});

describe('the next append position in the hover', () => {
  const bytes = Buffer.from('123456789');

  it("OSS: from the HEAD's x-oss-next-append-position", async () => {
    const store = await emulatorStore(emu, 'oss', { maxRetries: 0 });
    const bucket = await makeOssBucket(emu, 'facts-append');
    await ossClient(emu, bucket).append('log.txt', bytes);
    const facts = await objectFacts(store, bucket, await listed(store, bucket, 'log.txt'));
    expect(facts).toMatchObject({ objectType: 'Appendable', nextAppendPosition: 9, nextAppendPositionFrom: 'header' });
    expect(objectTooltip(bucket, facts)).toContain('Appendable: next append at byte 9 (as the service says)');
  });

  it('COS: HEAD does not say it (only APPEND answers x-cos-next-append-position), so it is the length', async () => {
    const store = await emulatorStore(emu, 'cos', { maxRetries: 0 });
    const bucket = await makeCosBucket(emu, 'facts-append');
    const cos = cosClient(emu);
    const appended = await cosCall(cos.appendObject.bind(cos), {
      Bucket: bucket,
      Region: emu.cos.region,
      Key: 'log.txt',
      Position: 0,
      Body: bytes,
    });
    expect(appended.headers!['x-cos-next-append-position']).toBe('9');
    const facts = await objectFacts(store, bucket, await listed(store, bucket, 'log.txt'));
    expect(facts).toMatchObject({ objectType: 'Appendable', nextAppendPosition: 9, nextAppendPositionFrom: 'length' });
    expect(objectTooltip(bucket, facts)).toContain('Appendable: next append at byte 9 (its length; the service does not say it here)');
  });
});
