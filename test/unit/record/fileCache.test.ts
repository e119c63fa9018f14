import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CrcCache } from '../../../src/crc/cache';
import { RecordCrcCache } from '../../../src/record/fileCache';
import { CrcRecord } from '../../../src/record';
import { RecordAccess } from '../../../src/ui/shared/recordAccess';
import { makeTempDir } from '../../support/tempDir';

const temp = makeTempDir('bi-record-cache-');
afterAll(() => temp.cleanup());
const accesses: RecordAccess[] = [];
afterEach(() => accesses.splice(0).forEach((a) => a.dispose()));

let n = 0;
function access(file = join(temp.dir, `record-${++n}.sqlite`)): RecordAccess {
  const a = new RecordAccess(file, 10, (f) => CrcRecord.open(f));
  accesses.push(a);
  return a;
}

describe('RecordCrcCache', () => {
  const stat = { size: 10, mtimeMs: 1700000000123.5, ino: 42 };

  it('returns a value only while size, mtime and inode are unchanged, also after reopening', async () => {
    const file = join(temp.dir, 'reopen.sqlite');
    const first = access(file);
    const cache = await RecordCrcCache.openIn(first);
    cache.set('/a', stat, 18446744073709551615n);
    await cache.save();
    first.dispose();

    const again = await RecordCrcCache.openIn(access(file));
    expect(again.get('/a', stat)).toBe(18446744073709551615n);
    expect(again.get('/a', { ...stat, size: 11 })).toBeUndefined();
    expect(again.get('/a', { ...stat, mtimeMs: stat.mtimeMs + 1 })).toBeUndefined();
    expect(again.get('/a', { ...stat, ino: 43 })).toBeUndefined();
    expect(again.get('/b', stat)).toBeUndefined();
    // The row is the record's own local-file entry (what `verify` reads).
    const record = await CrcRecord.open(file);
    try {
      expect(record.fileCrc('/a', stat)).toBe(18446744073709551615n);
      expect(record.fileCrc('/a', { ...stat, ino: 43 })).toBeUndefined();
    } finally {
      record.close();
    }
  });

  it('imports a crc-cache.json once and renames it aside', async () => {
    const json = join(temp.dir, 'crc-cache.json');
    const legacy = await CrcCache.open(json);
    legacy.set('/old', stat, 11051210869376104954n);
    await legacy.save();
    const file = join(temp.dir, 'import.sqlite');

    const a = access(file);
    const cache = await RecordCrcCache.openIn(a, json);
    expect(cache.get('/old', stat)).toBe(11051210869376104954n);
    expect(existsSync(json)).toBe(false);
    expect(readFileSync(`${json}.imported`, 'utf8')).toContain('"11051210869376104954"');
    a.dispose();

    // Reopening finds the imported value in the record, with no JSON file left to import.
    const again = await RecordCrcCache.openIn(access(file), json);
    expect(again.get('/old', stat)).toBe(11051210869376104954n);
    expect(again.size).toBe(1);
  });

  it('rejects when the record cannot be opened, leaving the JSON cache in place', async () => {
    const json = join(temp.dir, 'kept.json');
    writeFileSync(json, JSON.stringify({ version: 1, entries: { '/k': { ...stat, crc64: '5' } } }));
    const file = join(temp.dir, 'held.sqlite');
    const holder = await CrcRecord.open(file);
    try {
      const locked = new RecordAccess(file, 10, (f) => CrcRecord.open(f, { busyTimeoutMs: 200 }));
      accesses.push(locked);
      await expect(RecordCrcCache.openIn(locked, json)).rejects.toMatchObject({ kind: 'locked' });
      expect(existsSync(json)).toBe(true);
      expect((await CrcCache.open(json)).get('/k', stat)).toBe(5n);
    } finally {
      holder.close();
    }
  });
});
