import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { objectFacts } from '../../../src/ui/buckets/objectFacts';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';

/** An object's hover facts: OSS through GetObjectMeta (not a HEAD), COS through a HEAD, against the emulator. */

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
  ['oss', 'GetObjectMeta'],
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
    // GetObjectMeta carries no storage class: the listing's stays.
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

  it('a missing object is a no-such-key error, not facts', async () => {
    await expect(objectFacts(store, bucket, { key: 'gone.txt', size: 3 })).rejects.toMatchObject({ kind: 'no-such-key' });
  });
});
