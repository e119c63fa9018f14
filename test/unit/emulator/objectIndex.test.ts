import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../../emulator/objects/keyOrder';
import { ObjectIndex } from '../../../emulator/objects/objectIndex';
import { loadSeeds, seedObjects } from '../../../emulator/seed/seed';
import { syntheticBytes, syntheticStream, type SeededMeta } from '../../../emulator/seed/seedRange';
import { makeTempDir } from '../../support/tempDir';

type Meta = { key: string } & Partial<Omit<SeededMeta, 'key'>>;

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('key order', () => {
  it('sorts as UTF-8 bytes do, surrogate pairs included', () => {
    const keys = ['a', 'b', 'ab', '\uffff', '\u{1F600}', '\ue000', 'Z', '', 'é', '\ud7ff', 'a/b', 'a\u{10000}'];
    expect([...keys].sort(compareUtf8)).toEqual([...keys].sort(byteOrder));
  });
});

describe('ObjectIndex', () => {
  it('lists stored keys after a marker, within a prefix, in byte order', () => {
    const idx = new ObjectIndex<Meta>();
    for (const k of ['b/2', 'a/1', 'b/1', 'c', 'b/3', 'b\u{1F600}', 'b/\uffff']) idx.set(k, { key: k });
    idx.delete('b/3');
    expect([...idx.keysFrom('b/', '')]).toEqual(['b/1', 'b/2', 'b/\uffff']);
    expect([...idx.keysFrom('b/', 'b/1')]).toEqual(['b/2', 'b/\uffff']);
    expect([...idx.keysFrom('', 'b/2')]).toEqual(['b/\uffff', 'b\u{1F600}', 'c']);
    expect(idx.size).toBe(6);
    expect(idx.get('b/3')).toBeUndefined();
  });
});

describe('seeded objects', () => {
  it('have the CRC-64 and MD5 of the body a GET generates, and merge with stored keys in order', async () => {
    const { dir, cleanup } = makeTempDir();
    const bucket = { dir, objects: new ObjectIndex<Meta>() };
    bucket.objects.set('s/00005', { key: 's/00005', size: 1 });
    bucket.objects.set('s/', { key: 's/', size: 0 });
    const deleted: string[] = [];
    const res = await seedObjects(bucket, { prefix: 's/', count: 12, size: 70 }, async (k) => {
      deleted.push(k);
      bucket.objects.delete(k);
    });
    expect(res).toMatchObject({ firstKey: 's/00', lastKey: 's/11', count: 12 });
    // 's/00005' is not of the range's shape (width 2), so it stays.
    expect(deleted).toEqual([]);
    const keys = [...bucket.objects.keysFrom('s/')];
    expect(keys).toEqual([...keys].sort(byteOrder));
    expect(keys).toHaveLength(14);
    const m = bucket.objects.get('s/07') as SeededMeta;
    const body = Buffer.from(await text(syntheticStream(m.key, 0, m.size - 1)), 'utf8');
    expect(body.length).toBe(70);
    expect(body.subarray(0, 6).toString()).toBe('s/07\ns');
    expect(m.crc64).toBe(oracleCrc64(body));
    expect(m.etag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    expect(syntheticBytes(m.key, 13, 20)).toEqual(body.subarray(13, 21));
    // A stored object replaces the seeded one of the same key; a delete removes it.
    bucket.objects.set('s/03', { key: 's/03', size: 5 });
    bucket.objects.delete('s/04');
    expect([...bucket.objects.keysFrom('s/0', 's/01')]).toEqual(['s/02', 's/03', 's/05', 's/06', 's/07', 's/08', 's/09']);
    expect(bucket.objects.get('s/03')?.size).toBe(5);
    expect(bucket.objects.size).toBe(13);
    // A kept data folder loads the range back, with its removals.
    await new Promise((r) => setTimeout(r, 120));
    const again = { dir, objects: new ObjectIndex<Meta>() };
    again.objects.set('s/03', { key: 's/03', size: 5 });
    await loadSeeds(again);
    expect([...again.objects.keysFrom('s/')]).toEqual(keys.filter((k) => k !== 's/04' && k !== 's/' && k !== 's/00005'));
    expect(again.objects.get('s/07')).toEqual(m);
    cleanup();
  });

  it('refuses a prefix that overlaps another seeded one', async () => {
    const { dir, cleanup } = makeTempDir();
    const bucket = { dir, objects: new ObjectIndex<Meta>() };
    await seedObjects(bucket, { prefix: 'a/', count: 3 }, async () => undefined);
    await expect(seedObjects(bucket, { prefix: 'a/0', count: 3 }, async () => undefined)).rejects.toThrow(/overlaps/);
    await expect(seedObjects(bucket, { prefix: 'x/', count: 0 }, async () => undefined)).rejects.toThrow(/count/);
    cleanup();
  });
});
