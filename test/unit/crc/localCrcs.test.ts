import { appendFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { crc64 } from '../../../src/crc/crc64';
import { canTrust, LocalCrcs, MemoryLocalCrcStore, type FileHasher, type LocalCrcEntry } from '../../../src/crc/localCrcs';
import { CrcRecord } from '../../../src/record';
import { readFile } from 'node:fs/promises';
import { makeTempDir } from '../../support/tempDir';

const temp = makeTempDir('bi-local-crcs-');
afterAll(() => temp.cleanup());

const S = 1_000_000_000n;
const OLD = new Date('2021-03-04T05:06:07.250Z');
/** Hashing as if it began two seconds from now: files made (or `utimes`d, which sets the ctime) just before have settled. */
const settled = () => BigInt(Date.now() + 2000) * 1_000_000n;

/** Hashes by reading the file here, and counts what it was asked to hash. */
function countingHasher(): FileHasher & { asked: string[] } {
  const asked: string[] = [];
  const hasher = async (paths: readonly string[]) => {
    asked.push(...paths);
    return Promise.all(
      paths.map(async (path) => {
        const bytes = await readFile(path);
        return { path, size: bytes.length, crc64: crc64(bytes) };
      }),
    );
  };
  return Object.assign(hasher, { asked });
}

function file(name: string, text: string, mtime?: Date): string {
  const path = join(temp.dir, name);
  writeFileSync(path, text);
  if (mtime) utimesSync(path, mtime, mtime);
  return path;
}

describe('canTrust: the local-CRC rule', () => {
  const entry: LocalCrcEntry = {
    path: '/a',
    size: 10,
    mtimeNs: 100n * S + 5n,
    ctimeNs: 100n * S + 7n,
    ino: 42n,
    dev: 3n,
    crc64: 1n,
    hashedAtNs: 101n * S,
  };

  it('trusts an entry only while size, mtime, ctime, inode and device are all unchanged', () => {
    expect(canTrust(entry, entry)).toBe(true);
    expect(canTrust(entry, { ...entry, size: 11 })).toBe(false);
    expect(canTrust(entry, { ...entry, mtimeNs: entry.mtimeNs + 1n })).toBe(false);
    expect(canTrust(entry, { ...entry, ctimeNs: entry.ctimeNs + 1n })).toBe(false);
    expect(canTrust(entry, { ...entry, ino: 43n })).toBe(false);
    expect(canTrust(entry, { ...entry, dev: 4n })).toBe(false);
  });

  it('never trusts a racy entry: changed in the second its hashing began, or later', () => {
    expect(canTrust({ ...entry, hashedAtNs: 100n * S + 900n }, entry)).toBe(false);
    const lateCtime = { ...entry, ctimeNs: 101n * S };
    expect(canTrust({ ...lateCtime, hashedAtNs: 101n * S + 1n }, lateCtime)).toBe(false);
    expect(canTrust({ ...entry, hashedAtNs: 99n * S }, entry)).toBe(false);
  });
});

describe('LocalCrcs', () => {
  it('hashes once, then answers from what it remembered while the file is unchanged', async () => {
    const path = file('same.txt', 'unchanged', OLD);
    const crcs = new LocalCrcs(new MemoryLocalCrcStore(), settled);
    const hasher = countingHasher();
    const first = await crcs.hash([path], hasher);
    const second = await crcs.hash([path], hasher);
    expect(second).toEqual(first);
    expect(first[0]).toMatchObject({ size: 9, crc64: crc64(Buffer.from('unchanged')) });
    expect(hasher.asked).toEqual([path]);
  });

  it('hashes again a file edited in place whose mtime was put back (same size and inode)', async () => {
    const path = file('inplace.txt', 'version 1', OLD);
    const crcs = new LocalCrcs(new MemoryLocalCrcStore(), settled);
    const hasher = countingHasher();
    await crcs.hash([path], hasher);
    writeFileSync(path, 'version 2');
    utimesSync(path, OLD, OLD);
    const [again] = await crcs.hash([path], hasher);
    expect(again).toMatchObject({ crc64: crc64(Buffer.from('version 2')) });
    expect(hasher.asked).toEqual([path, path]);
  });

  it('hashes again a file that changed in the second its hashing began (racy), until it is settled', async () => {
    const path = file('racy.txt', 'fresh');
    // Hashing begins in the very second the file was written.
    let now = statSync(path, { bigint: true }).ctimeNs;
    const crcs = new LocalCrcs(new MemoryLocalCrcStore(), () => now);
    const hasher = countingHasher();
    await crcs.hash([path], hasher);
    await crcs.hash([path], hasher);
    expect(hasher.asked).toEqual([path, path]);
    // Hashed again two seconds on: the file had settled, so that value is kept.
    now += 2n * S;
    await crcs.hash([path], hasher);
    await crcs.hash([path], hasher);
    expect(hasher.asked).toEqual([path, path, path]);
  });

  it('does not remember a value for a file that changed while it was read', async () => {
    const path = file('moving.txt', 'start', OLD);
    const store = new MemoryLocalCrcStore();
    const crcs = new LocalCrcs(store, settled);
    const inner = countingHasher();
    const hasher: FileHasher = async (paths) => {
      const out = await inner(paths);
      appendFileSync(path, ' and more');
      return out;
    };
    await crcs.hash([path], hasher);
    expect(store.lookup([path]).size).toBe(0);
  });

  it('passes files it cannot stat to the hasher, which says why', async () => {
    const missing = join(temp.dir, 'none.txt');
    const crcs = new LocalCrcs(new MemoryLocalCrcStore(), settled);
    const hasher: FileHasher = async (paths) => paths.map((path) => ({ path, error: new Error('ENOENT') }));
    expect(await crcs.hash([missing], hasher)).toEqual([{ path: missing, error: new Error('ENOENT') }]);
  });
});

describe("the CRC record's local-files store", () => {
  it('keeps what LocalCrcs learnt across a reopen, looked up a batch at a time', async () => {
    const recordFile = join(temp.dir, 'record.sqlite');
    const paths = Array.from({ length: 1200 }, (_, i) => file(`many-${i}.txt`, `n${i}`, OLD));
    const hasher = countingHasher();
    let record = await CrcRecord.open(recordFile);
    try {
      await new LocalCrcs(record.localFiles, settled).hash(paths, hasher);
    } finally {
      record.close();
    }
    record = await CrcRecord.open(recordFile);
    try {
      const queries = vi.spyOn(record, 'rows');
      const again = await new LocalCrcs(record.localFiles, settled).hash(paths, hasher);
      expect(hasher.asked).toHaveLength(paths.length);
      expect(again[1199]).toMatchObject({ path: paths[1199], crc64: crc64(Buffer.from('n1199')) });
      // 1200 paths: three lookups, not one a file.
      expect(queries).toHaveBeenCalledTimes(3);
    } finally {
      record.close();
    }
  });
});
