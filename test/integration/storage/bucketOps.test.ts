import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../../src/storage';
import { createFolder, deleteKeys, keysUnder } from '../../../src/storage/bucketOps';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { MAX_PRESIGNED_SECONDS } from '../../../src/storage/urls';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { caughtStorage } from './helpers';

/**
 * Basic bucket operations through the real SDKs against the emulator: create a bucket (names checked as
 * each service does), delete objects and folders, folder markers, object and presigned URLs (fetched as a
 * browser would, signature checked by the emulator).
 */

describe.each(['cos', 'oss'] as const)('%s bucket operations', (provider: ProviderKind) => {
  let emu: Emulator;
  let bucket: string;
  let store: ObjectStore;
  const opsOf = (op: string): number => emu.requests().filter((r) => r.op === op).length;
  const keysOf = async (prefix = ''): Promise<string[]> => (await store.list(bucket, { prefix })).objects.map((o) => o.key);

  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'ops') : await makeOssBucket(emu, 'ops');
    store = await createObjectStore(connectionOptions(emu, provider, { maxRetries: 0, timeoutMs: 10_000 }));
  });

  afterAll(async () => {
    await emu?.close();
  });

  it("creates a bucket the service lists; a taken name is the service's refusal", async () => {
    const name = provider === 'cos' ? `fresh-${emu.cos.appId}` : 'fresh-bucket';
    await store.createBucket(name);
    expect((await store.listBuckets()).map((b) => b.name)).toContain(name);
    await store.put(name, 'x.txt', Buffer.from('x'));
    const again = await caughtStorage(store.createBucket(name));
    expect(again.message).toMatch(/BucketAlreadyExists|already exists|not available/i);
  });

  it("refuses a name that breaks the service's rules before sending anything, saying which rule", async () => {
    const before = opsOf('PutBucket');
    const bad = provider === 'cos' ? ['photos', 'Photos-1250000000', '-photos-1250000000'] : ['ab', 'Photos', 'photos-', 'a_b'];
    for (const name of bad) {
      const err = await caughtStorage(store.createBucket(name));
      expect(err.kind, name).toBe('invalid-request');
      expect(err.message).toMatch(provider === 'cos' ? /COS bucket name/ : /OSS bucket name/);
    }
    expect(opsOf('PutBucket')).toBe(before);
  });

  it('deletes exactly the keys given, in requests of at most 1,000, and lists what a folder holds first', async () => {
    await store.put(bucket, 'logs/', Buffer.alloc(0));
    await emu.seedObjects(provider, bucket, { prefix: 'logs/day-', count: 1203 });
    await store.put(bucket, 'logs/sub/deep.txt', Buffer.from('deep'));
    await store.put(bucket, 'logsX.txt', Buffer.from('neighbour'));
    const keys = await keysUnder(store, bucket, 'logs/');
    expect(keys).toHaveLength(1205);
    expect(keys).toContain('logs/');
    expect(keys).not.toContain('logsX.txt');
    const before = opsOf('DeleteMultipleObjects');
    const progress: number[] = [];
    const r = await deleteKeys(store, bucket, keys, { onProgress: (p) => progress.push(p.done) });
    expect(opsOf('DeleteMultipleObjects') - before).toBe(2);
    expect(progress).toEqual([1000, 1205]);
    expect(r.failed).toEqual([]);
    expect(new Set(r.deleted)).toEqual(new Set(keys));
    expect(await keysOf('logs/')).toEqual([]);
    expect(await keysOf('logsX')).toEqual(['logsX.txt']);
    await expect(keysUnder(store, bucket, 'logs')).rejects.toThrow(/not a folder/);
  });

  it('creates a folder as a zero-byte marker, and leaves an existing one (even holding bytes) as it is', async () => {
    expect(await createFolder(store, bucket, 'site/', 'images/2024')).toEqual({ key: 'site/images/2024/', created: true });
    const head = await store.head(bucket, 'site/images/2024/');
    expect(head.size).toBe(0);
    expect((await store.list(bucket, { prefix: 'site/images/', delimiter: '/' })).prefixes).toEqual(['site/images/2024/']);
    await store.put(bucket, 'odd/', Buffer.from('a marker with bytes'));
    expect(await createFolder(store, bucket, '', 'odd')).toEqual({ key: 'odd/', created: false });
    expect((await store.head(bucket, 'odd/')).size).toBe(19);
    for (const bad of ['', '/abs', 'a//b', 'a/../b']) {
      const err = await caughtStorage(createFolder(store, bucket, '', bad));
      expect(err.kind, bad).toBe('invalid-request');
    }
  });

  it('gives the object URL at the endpoint (path style for an IP), each key segment encoded', () => {
    expect(store.objectUrl(bucket, 'a dir/naïve #1.txt')).toBe(`${emu.endpoint}/${bucket}/a%20dir/na%C3%AFve%20%231.txt`);
  });

  it('presigns a GET URL that opens the object without keys, for its lifetime only, and only that object', async () => {
    const key = 'shared/report 1.txt';
    await store.put(bucket, key, Buffer.from('for your eyes'));
    const url = store.presignedUrl(bucket, key, 3600);
    expect(url.startsWith(`${emu.endpoint}/${bucket}/shared/report%201.txt?`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('for your eyes');
    // The URL's signature is for that key: another key with it is refused.
    const other = url.replace('report%201.txt', 'other.txt');
    expect((await fetch(other)).status).toBe(403);
    // A URL without its signature is anonymous, refused.
    expect((await fetch(url.split('?')[0])).status).toBe(403);
    // An expired one is refused: 1 second of life, then wait past it.
    const short = store.presignedUrl(bucket, key, 1);
    await new Promise((r) => setTimeout(r, 2600));
    const expired = await fetch(short);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/i);
  });

  it('refuses a presigned lifetime outside 1 second to 7 days', () => {
    for (const s of [0, -1, 1.5, MAX_PRESIGNED_SECONDS + 1]) {
      expect(() => store.presignedUrl(bucket, 'k', s), String(s)).toThrow(StorageError);
    }
    expect(() => store.presignedUrl(bucket, 'k', MAX_PRESIGNED_SECONDS)).not.toThrow();
  });
});
