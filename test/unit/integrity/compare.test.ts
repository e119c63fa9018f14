import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/crc';
import { streamHasher } from '../../../src/crc/hashers';
import { classify, compareFolder, folderPrefix, summarize } from '../../../src/integrity/compare';
import type { RemoteCrcSource } from '../../../src/integrity/check/source';
import { StorageError } from '../../../src/storage/errors';
import type { ListOptions, ListPage, ObjectInfo } from '../../../src/storage/types';
import { CancelledError } from '../../../src/util/errors';
import { makeTempDir } from '../../support/tempDir';

/** A listing/HEAD source over a plain map: the comparison logic, without a network. */
class MapStore {
  heads = 0;
  inFlight = 0;
  maxInFlight = 0;
  failHead?: (key: string) => Error | undefined;
  constructor(readonly objects: Map<string, ObjectInfo>) {}
  async list(_bucket: string, options: ListOptions = {}): Promise<ListPage> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(options.prefix ?? '')).sort();
    const start = options.pageToken ? keys.indexOf(options.pageToken) + 1 : 0;
    const size = 2;
    const slice = keys.slice(start, start + size);
    return {
      objects: slice.map((k) => ({ ...this.objects.get(k)!, crc64: undefined })),
      prefixes: [],
      ...(start + size < keys.length ? { nextPageToken: slice.at(-1) } : {}),
    };
  }
  async head(_bucket: string, key: string): Promise<ObjectInfo> {
    this.heads++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight--;
    const err = this.failHead?.(key);
    if (err) throw err;
    const o = this.objects.get(key);
    if (!o) throw new StorageError('no-such-key', 'gone');
    return o;
  }
}

const info = (key: string, text: string, withCrc = true): [string, ObjectInfo] => [
  key,
  { key, size: Buffer.byteLength(text), ...(withCrc ? { crc64: crc64(Buffer.from(text)).toString() } : {}) },
];

describe('classify', () => {
  it('orders the checks: presence, size, CRC availability, CRC', () => {
    expect(classify({ size: 1 }, undefined).status).toBe('only-local');
    expect(classify(undefined, { size: 1 }).status).toBe('only-remote');
    expect(classify({ size: 1, crc64: '5' }, { size: 2, crc64: '5' }).status).toBe('differ');
    expect(classify({ size: 2 }, { size: 2 }).status).toBe('no-crc');
    expect(classify({ size: 2, crc64: '5' }, { size: 2, crc64: '6' }).status).toBe('differ');
    expect(classify({ size: 2, crc64: '5' }, { size: 2, crc64: '5' }).status).toBe('match');
  });
});

describe('summarize and folderPrefix', () => {
  it('counts every status, zero included', () => {
    expect(summarize([{ relativePath: 'a', localPath: '/a', key: 'a', status: 'match' }])).toEqual({
      total: 1,
      match: 1,
      differ: 0,
      'no-crc': 0,
      'only-local': 0,
      'only-remote': 0,
      error: 0,
    });
  });
  it('treats a prefix as a folder', () => {
    expect(folderPrefix('')).toBe('');
    expect(folderPrefix('a')).toBe('a/');
    expect(folderPrefix('a/')).toBe('a/');
  });
});

describe('compareFolder over a map of objects', () => {
  let tmp: { dir: string; cleanup(): void };
  beforeEach(() => {
    tmp = makeTempDir('bi-compare-unit-');
    for (let i = 0; i < 10; i++) writeFileSync(join(tmp.dir, `f${i}.txt`), `file ${i}`);
    writeFileSync(join(tmp.dir, 'big.txt'), 'local is longer');
  });
  afterEach(() => tmp.cleanup());

  const objects = (): Map<string, ObjectInfo> =>
    new Map([...Array.from({ length: 10 }, (_, i) => info(`p/f${i}.txt`, `file ${i}`)), info('p/big.txt', 'short')]);

  it('HEADs with bounded concurrency, never for a size mismatch, and pages through the listing', async () => {
    const store = new MapStore(objects());
    const results = await compareFolder({ store, concurrency: 3 }, { localDir: tmp.dir, bucket: 'b', prefix: 'p' });
    expect(results.filter((r) => r.status === 'match')).toHaveLength(10);
    expect(results.find((r) => r.relativePath === 'big.txt')?.status).toBe('differ');
    expect(store.heads).toBe(10);
    expect(store.maxInFlight).toBeLessThanOrEqual(3);
    expect(store.maxInFlight).toBeGreaterThan(1);
  });

  it("takes the remote CRC-64s from another source (another bucket's record, say) without a HEAD", async () => {
    const store = new MapStore(objects());
    // What a second copy says of the same keys: f4 differs there, f7 is not there at all.
    const other = new Map(objects());
    other.set('p/f4.txt', { key: 'p/f4.txt', size: 6, crc64: crc64(Buffer.from('FILE 4')).toString() });
    other.delete('p/f7.txt');
    const remote: RemoteCrcSource = { facts: async (queries) => new Map(queries.map(({ key }) => [key, other.get(key)])) };
    const results = await compareFolder({ store, remote }, { localDir: tmp.dir, bucket: 'b', prefix: 'p' });
    expect(store.heads).toBe(0);
    expect(results.find((r) => r.relativePath === 'f4.txt')?.status).toBe('differ');
    expect(results.find((r) => r.relativePath === 'f7.txt')?.status).toBe('only-local');
    expect(results.filter((r) => r.status === 'match')).toHaveLength(8);
  });

  it('uses the injected hasher, and only for pairs that can be checked', async () => {
    const seen: string[] = [];
    const store = new MapStore(new Map([info('p/f1.txt', 'file 1'), info('p/f2.txt', 'file 2', false)]));
    const results = await compareFolder(
      {
        store,
        hashFiles: async (paths, signal, onProgress) => {
          seen.push(...paths);
          return streamHasher(paths, signal, onProgress);
        },
      },
      { localDir: tmp.dir, bucket: 'b', prefix: 'p/' },
    );
    expect(seen).toEqual([join(tmp.dir, 'f1.txt')]);
    expect(results.find((r) => r.relativePath === 'f2.txt')?.status).toBe('no-crc');
  });

  it('an object deleted between listing and HEAD is only-local; a denied HEAD stops everything', async () => {
    const store = new MapStore(objects());
    store.failHead = (key) => (key === 'p/f3.txt' ? new StorageError('no-such-key', 'gone') : undefined);
    const results = await compareFolder({ store }, { localDir: tmp.dir, bucket: 'b', prefix: 'p' });
    expect(results.find((r) => r.relativePath === 'f3.txt')?.status).toBe('only-local');

    store.failHead = (key) => (key === 'p/f5.txt' ? new StorageError('access-denied', 'denied') : undefined);
    await expect(compareFolder({ store }, { localDir: tmp.dir, bucket: 'b', prefix: 'p' })).rejects.toMatchObject({
      kind: 'access-denied',
    });
  });

  it('stops with a cancellation when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      compareFolder({ store: new MapStore(objects()), signal: controller.signal }, { localDir: tmp.dir, bucket: 'b', prefix: 'p' }),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
