import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CrcCache } from '../../../src/crc/cache';
import { walkFiles } from '../../../src/util/walk';
import { makeTempDir } from '../../support/tempDir';

const temp = makeTempDir('bi-cache-walk-');
afterAll(() => temp.cleanup());

describe('CrcCache', () => {
  const stat = { size: 10, mtimeMs: 1700000000123.5, ino: 42 };

  it('returns a value only while size, mtime and inode are unchanged', () => {
    const cache = new CrcCache();
    cache.set('/a', stat, 18446744073709551615n);
    expect(cache.get('/a', stat)).toBe(18446744073709551615n);
    expect(cache.get('/a', { ...stat, size: 11 })).toBeUndefined();
    expect(cache.get('/a', { ...stat, mtimeMs: stat.mtimeMs + 1 })).toBeUndefined();
    expect(cache.get('/a', { ...stat, ino: 43 })).toBeUndefined();
    expect(cache.get('/b', stat)).toBeUndefined();
  });

  it('persists to the given file and loads it back (values as decimal strings)', async () => {
    const file = join(temp.dir, 'deep', 'er', 'cache.json');
    const cache = await CrcCache.open(file);
    cache.set('/a', stat, 11051210869376104954n);
    await cache.save();
    expect(readFileSync(file, 'utf8')).toContain('"11051210869376104954"');
    const again = await CrcCache.open(file);
    expect(again.get('/a', stat)).toBe(11051210869376104954n);
  });

  it('starts empty from a missing or corrupt file, and skips malformed entries', async () => {
    expect((await CrcCache.open(join(temp.dir, 'none.json'))).size).toBe(0);
    const corrupt = join(temp.dir, 'corrupt.json');
    writeFileSync(corrupt, '{"version":1,"entr');
    expect((await CrcCache.open(corrupt)).size).toBe(0);
    const mixed = join(temp.dir, 'mixed.json');
    writeFileSync(mixed, JSON.stringify({ version: 1, entries: { '/ok': { ...stat, crc64: '5' }, '/bad': { ...stat, crc64: 5 } } }));
    const cache = await CrcCache.open(mixed);
    expect(cache.size).toBe(1);
    expect(cache.get('/ok', stat)).toBe(5n);
  });

  it('evicts the least recently set entries beyond its limit', () => {
    const cache = new CrcCache(3);
    for (const p of ['/1', '/2', '/3']) cache.set(p, stat, 1n);
    cache.set('/1', stat, 2n); // refreshed: now the newest
    cache.set('/4', stat, 3n);
    expect(cache.size).toBe(3);
    expect(cache.get('/2', stat)).toBeUndefined();
    expect(cache.get('/1', stat)).toBe(2n);
  });
});

describe('walkFiles', () => {
  it('lists regular files recursively, sorted, following file links but not folder links', async () => {
    const root = join(temp.dir, 'tree');
    mkdirSync(join(root, 'b', 'c'), { recursive: true });
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'z.txt'), 'z');
    writeFileSync(join(root, 'a', 'x'), 'x');
    writeFileSync(join(root, 'b', 'c', 'y'), 'y');
    symlinkSync(join(root, 'z.txt'), join(root, 'link-to-file'));
    symlinkSync(root, join(root, 'b', 'loop')); // would cycle if followed
    symlinkSync(join(root, 'missing'), join(root, 'dangling'));
    expect(await walkFiles(root)).toEqual([
      join(root, 'a', 'x'),
      join(root, 'b', 'c', 'y'),
      join(root, 'link-to-file'),
      join(root, 'z.txt'),
    ]);
  });

  it('returns a file given as the root, and rejects a missing root', async () => {
    const file = join(temp.dir, 'single');
    writeFileSync(file, '');
    expect(statSync(file).isFile()).toBe(true);
    expect(await walkFiles(file)).toEqual([file]);
    await expect(walkFiles(join(temp.dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
