import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Database } from 'node-sqlite3-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareKeys, CrcRecord, normalizeEtag, RecordError } from '../../../src/record';
import { needsHead } from '../../../src/record/freshness';
import { makeTempDir } from '../../support/tempDir';

const scope = { profile: 'p', bucket: 'b-1250000000' };
let tmp: ReturnType<typeof makeTempDir>;
let file: string;
const open: CrcRecord[] = [];

async function openRecord(options = {}): Promise<CrcRecord> {
  const r = await CrcRecord.open(file, options);
  open.push(r);
  return r;
}

beforeEach(() => {
  tmp = makeTempDir('bi-record-');
  file = join(tmp.dir, 'state', 'record.sqlite');
});
afterEach(() => {
  for (const r of open.splice(0)) r.close();
  tmp.cleanup();
});

describe('CrcRecord', () => {
  it('keeps objects across a reopen and lists a prefix in UTF-8 byte order, across pages', async () => {
    const keys = ['a/\u{1F600}', 'a/\uFF21', 'a/z', 'a/A', 'b/x', 'a0'];
    for (let i = 0; i < 2500; i++) keys.push(`a/n${i}`);
    let r = await openRecord();
    r.objects.upsertMany(
      scope,
      keys.map((key, i) => ({ key, size: i, etag: `"E${i}"`, crc64: String(i), source: 'inventory' as const })),
    );
    r.close();
    r = await openRecord();
    const listed = [...r.objects.iterate(scope, 'a/')].map((o) => o.key);
    const expected = keys.filter((k) => k.startsWith('a/')).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(listed).toEqual(expected);
    expect([...r.objects.iterate(scope, 'a/', expected[1999])].map((o) => o.key)).toEqual(expected.slice(2000));
    expect(r.objects.count(scope, 'a/')).toBe(expected.length);
    expect(r.objects.get(scope, 'a/z')).toMatchObject({ etag: 'e2', size: 2, crc64: '2', source: 'inventory' });
    expect(r.objects.get({ ...scope, bucket: 'other' }, 'a/z')).toBeUndefined();
  });

  it('does not ask for a HEAD only while the ETag, size and LastModified (to the second) are unchanged', async () => {
    const r = await openRecord();
    const at = Date.UTC(2024, 0, 2, 3, 4, 5);
    r.objects.upsertMany(scope, [{ key: 'k', size: 5, etag: '"ABC"', lastModified: at, crc64: '1', source: 'head' }]);
    r.objects.upsertMany(scope, [{ key: 'undated', size: 5, etag: 'abc', crc64: '1', source: 'upload' }]);
    const listed = (over: { key?: string; size?: number; etag?: string; lastModified?: Date }) => ({
      key: 'k',
      size: 5,
      etag: 'abc',
      lastModified: new Date(at + 400),
      ...over,
    });
    expect(r.objects.needsHead(scope, listed({}))).toBe(false);
    expect(r.objects.needsHead(scope, listed({ etag: '"abd"' }))).toBe(true);
    expect(r.objects.needsHead(scope, listed({ size: 6 }))).toBe(true);
    expect(r.objects.needsHead(scope, listed({ key: 'new' }))).toBe(true);
    expect(r.objects.needsHead(scope, listed({ lastModified: new Date(at + 1000) }))).toBe(true);
    expect(r.objects.needsHead(scope, listed({ lastModified: undefined }))).toBe(true);
    expect(r.objects.needsHead(scope, listed({ key: 'undated' }))).toBe(true);
  });

  it('flags a CRC-64 that changed while the ETag did not, and forgets it when the content changes', async () => {
    const r = await openRecord();
    r.objects.upsertMany(scope, [{ key: 'k', size: 5, etag: 'e1', crc64: '111', source: 'inventory' }]);
    r.objects.upsertMany(scope, [{ key: 'k', size: 5, etag: 'e1', crc64: '222', source: 'head' }]);
    expect(r.objects.get(scope, 'k')).toMatchObject({ crc64: '222', previousCrc64: '111' });
    r.objects.upsertMany(scope, [{ key: 'k', size: 7, etag: 'e2', crc64: '333', source: 'head' }]);
    expect(r.objects.get(scope, 'k')?.previousCrc64).toBeUndefined();
  });

  it('keeps a known CRC-64 when a later check of the same content brings none', async () => {
    const r = await openRecord();
    r.objects.upsertMany(scope, [{ key: 'legacy', size: 5, etag: 'e1', crc64: '42', source: 'download' }]);
    r.objects.upsertMany(scope, [{ key: 'legacy', size: 5, etag: 'e1', source: 'inventory' }]);
    expect(r.objects.get(scope, 'legacy')).toMatchObject({ crc64: '42', source: 'download' });
    r.objects.upsertMany(scope, [{ key: 'legacy', size: 6, etag: 'e2', source: 'inventory' }]);
    expect(r.objects.get(scope, 'legacy')?.crc64).toBeUndefined();
  });

  it('writes a new record in 64 KiB pages and opens a record of 4 KiB pages as it is, rows kept', async () => {
    const r = await openRecord();
    expect(r.row('PRAGMA page_size', [])?.page_size).toBe(65536);
    r.objects.upsertMany(scope, [{ key: 'k', size: 1, crc64: '5', source: 'head' }]);
    r.close();
    // A record written before (default pages, WAL), with a row in it.
    const old = join(tmp.dir, 'old', 'record.sqlite');
    mkdirSync(join(tmp.dir, 'old'));
    const seeded = await CrcRecord.open(old);
    seeded.objects.upsertMany(scope, [{ key: 'kept', size: 2, crc64: '9', source: 'inventory' }]);
    seeded.close();
    const db = new Database(join(tmp.dir, 'old', 'small.sqlite'));
    db.exec('PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x); PRAGMA user_version = 1');
    db.close();
    file = join(tmp.dir, 'old', 'small.sqlite');
    const small = await openRecord();
    expect(small.row('PRAGMA page_size', [])?.page_size).toBe(4096);
    small.objects.upsertMany(scope, [{ key: 'new', size: 3, crc64: '1', source: 'head' }]);
    expect(small.objects.get(scope, 'new')?.crc64).toBe('1');
    file = old;
    expect((await openRecord()).objects.get(scope, 'kept')?.crc64).toBe('9');
  });

  it('moves a version 1 record (profile and bucket on every row) to version 2 with every row and flag kept', async () => {
    mkdirSync(join(tmp.dir, 'state'));
    const db = new Database(file);
    // Version 1's objects table, as it was shipped.
    db.exec(`CREATE TABLE objects (profile TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT,
      size INTEGER NOT NULL, last_modified INTEGER, crc64 TEXT, source TEXT NOT NULL, checked_at INTEGER NOT NULL,
      previous_crc64 TEXT, PRIMARY KEY (profile, bucket, key)) WITHOUT ROWID;
      INSERT INTO objects VALUES ('p', 'b-1250000000', 'k1', 'e1', 5, 1700000000000, '11', 'head', 1, NULL);
      INSERT INTO objects VALUES ('p', 'b-1250000000', 'k2', 'e2', 6, NULL, '12', 'inventory', 2, '99');
      INSERT INTO objects VALUES ('q', 'b-1250000000', 'k1', NULL, 7, NULL, NULL, 'download', 3, NULL);
      PRAGMA user_version = 1;`);
    db.close();
    const r = await openRecord();
    expect(r.row('PRAGMA user_version', [])?.user_version).toBe(2);
    expect(r.objects.get(scope, 'k1')).toMatchObject({ etag: 'e1', size: 5, lastModified: 1700000000000, crc64: '11', source: 'head' });
    expect(r.objects.get(scope, 'k2')).toMatchObject({ crc64: '12', previousCrc64: '99', source: 'inventory' });
    const other = { profile: 'q', bucket: 'b-1250000000' };
    expect(r.objects.get(other, 'k1')).toMatchObject({ size: 7, source: 'download' });
    expect(r.objects.get(other, 'k1')?.crc64).toBeUndefined();
    expect(r.objects.count(scope)).toBe(2);
    // Written after the move, under the scope's number the move gave it.
    r.objects.upsertMany(scope, [{ key: 'k3', size: 1, crc64: '1', source: 'head' }]);
    r.close();
    expect([...(await openRecord()).objects.iterate(scope, '')].map((o) => o.key)).toEqual(['k1', 'k2', 'k3']);
  });

  it('moves a large version 1 record a chunk at a time, the event loop free between chunks', async () => {
    mkdirSync(join(tmp.dir, 'state'));
    const db = new Database(file);
    db.exec(`CREATE TABLE objects (profile TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT,
      size INTEGER NOT NULL, last_modified INTEGER, crc64 TEXT, source TEXT NOT NULL, checked_at INTEGER NOT NULL,
      previous_crc64 TEXT, PRIMARY KEY (profile, bucket, key)) WITHOUT ROWID; PRAGMA user_version = 1;`);
    const scopes = [
      { profile: 'a', bucket: 'x' },
      { profile: 'a', bucket: 'y' },
      { profile: 'b', bucket: 'x' },
    ];
    for (const [n, s] of scopes.entries())
      for (let i = 0; i < 25; i++)
        db.run('INSERT INTO objects VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 1, NULL)', [
          s.profile,
          s.bucket,
          `k${String(i).padStart(2, '0')}`,
          `e${i}`,
          n * 100 + i,
          String(i),
          'head',
        ]);
    db.close();
    // Counts turns of the event loop: a callback that schedules itself again once per turn.
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const progress: number[] = [];
    const r = await CrcRecord.open(file, { move: { chunkRows: 10, onProgress: (n) => progress.push(n) } });
    counting = false;
    open.push(r);
    // 3 scopes of 25 rows in chunks of 10: 9 chunks, each followed by a turn of the event loop.
    expect(progress).toEqual([10, 20, 25, 35, 45, 50, 60, 70, 75]);
    expect(turns).toBeGreaterThanOrEqual(progress.length - 1);
    for (const [n, s] of scopes.entries()) {
      const rows = [...r.objects.iterate(s, '')];
      expect(rows.map((o) => o.key)).toEqual(Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(2, '0')}`));
      expect(rows.map((o) => o.size)).toEqual(Array.from({ length: 25 }, (_, i) => n * 100 + i));
    }
    expect(r.row('PRAGMA user_version', [])?.user_version).toBe(2);
  });

  it('forgets a scope numbered in a transaction that was rolled back', async () => {
    const r = await openRecord();
    const fresh = { profile: 'new', bucket: 'b-1250000000' };
    expect(() =>
      r.transaction(() => {
        r.objects.upsertMany(fresh, [{ key: 'a', size: 1, source: 'head' }]);
        throw new Error();
      }),
    ).toThrow();
    r.objects.upsertMany(fresh, [{ key: 'b', size: 2, source: 'head' }]);
    r.close();
    const again = await openRecord();
    expect([...again.objects.iterate(fresh, '')].map((o) => o.key)).toEqual(['b']);
  });
  it('refuses a record from a newer version and leaves the file untouched', async () => {
    mkdirSync(join(tmp.dir, 'state'));
    const db = new Database(file);
    db.exec('CREATE TABLE future (x); PRAGMA user_version = 99;');
    db.close();
    const before = readFileSync(file);
    const err = await CrcRecord.open(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordError);
    expect((err as RecordError).kind).toBe('newer-version');
    expect((err as RecordError).message).toMatch(/newer version/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('refuses a file that is not a record and leaves it untouched', async () => {
    mkdirSync(join(tmp.dir, 'state'));
    writeFileSync(file, 'not a database, just some text that is long enough to have a header'.repeat(20));
    const before = readFileSync(file);
    const err = (await CrcRecord.open(file).catch((e: unknown) => e)) as RecordError;
    expect(err.kind).toBe('unreadable');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('says the record is in use while another holder has it open, and opens once it is closed', async () => {
    const first = await openRecord();
    const started = Date.now();
    const err = (await CrcRecord.open(file, { busyTimeoutMs: 300 }).catch((e: unknown) => e)) as RecordError;
    expect(err).toBeInstanceOf(RecordError);
    expect(err.kind).toBe('locked');
    expect(err.message).toMatch(/in use by another window \(process \d+\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    first.close();
    const second = await openRecord({ busyTimeoutMs: 300 });
    expect(second.objects.count(scope)).toBe(0);
  });

  it('breaks the lock of a process that died while holding it', async () => {
    const r = await openRecord();
    r.objects.upsertMany(scope, [{ key: 'k', size: 1, source: 'head' }]);
    r.close();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    mkdirSync(`${file}.lock`);
    writeFileSync(`${file}.owner`, JSON.stringify({ pid: Number(dead.stdout), host: require('node:os').hostname(), since: 0 }));
    const again = await openRecord({ busyTimeoutMs: 300 });
    expect(again.objects.get(scope, 'k')?.size).toBe(1);
  });

  it('keeps run state and issues until the run is cleared', async () => {
    const r = await openRecord();
    const journal = r.journal<{ lastKey: string }, { status: string }>();
    journal.setState('run1', { lastKey: 'k5' });
    journal.addIssue('run1', 'k2', { status: 'differ' });
    expect(journal.state('run1')).toEqual({ lastKey: 'k5' });
    expect([...journal.issues('run1')]).toEqual([{ status: 'differ' }]);
    journal.clear('run1');
    expect(journal.state('run1')).toBeUndefined();
    expect([...journal.issues('run1')]).toEqual([]);
  });
});

describe('compareKeys', () => {
  it('orders like the UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });
});

describe('needsHead', () => {
  const known = { key: 'k', size: 5, etag: 'abc', lastModified: 1_700_000_000_000 };
  const listed = (etag: string | undefined) => ({ key: 'k', size: 5, etag, lastModified: new Date(1_700_000_000_000) });

  it('takes every form of the same ETag as the recorded one, and no other ETag', () => {
    // The quoted form is recognised without normalizing; the others are normalized and compared.
    for (const same of ['"abc"', 'abc', '"ABC"', 'W/"abc"', '"abc', 'abc"']) expect(needsHead(known, listed(same))).toBe(false);
    for (const other of ['"abd"', '"abcd"', '"ab"', '"xabc"', '""', 'abcde', undefined]) expect(needsHead(known, listed(other))).toBe(true);
    // A recorded object without an ETag stands only for a listing without one.
    expect(needsHead({ ...known, etag: undefined }, listed(undefined))).toBe(false);
    expect(needsHead({ ...known, etag: undefined }, listed('"abc"'))).toBe(true);
  });
});

describe('normalizeEtag', () => {
  it('drops the quotes and a weak marker, and ignores case', () => {
    expect(['"ABC"', 'abc', 'W/"abc"', '"abc', 'abc"'].map(normalizeEtag)).toEqual(['abc', 'abc', 'abc', 'abc', 'abc']);
    expect(normalizeEtag('')).toBeNull();
    expect(normalizeEtag(undefined)).toBeNull();
    expect(normalizeEtag('"d41d8cd98f00b204e9800998ecf8427e-2"')).toBe('d41d8cd98f00b204e9800998ecf8427e-2');
  });
});
