import { closeSync, ftruncateSync, mkdirSync, openSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, crc64Combine } from '../../../src/crc';
import { LocalCrcs, MemoryLocalCrcStore } from '../../../src/crc/localCrcs';
import { FileChangedError } from '../../../src/crc/errors';
import { createHashPool, type HashPool, isHashFailure } from '../../../src/crc/pool';
import { walkFiles } from '../../../src/util/walk';
import { CancelledError } from '../../../src/util/errors';
import { bundleForTest } from '../../support/bundle';
import { makeTempDir } from '../../support/tempDir';
import { lcgBytes } from '../../support/vectors';

const MiB = 1024 * 1024;
let workerPath: string;
const temp = makeTempDir('bi-pool-');

beforeAll(async () => {
  workerPath = join(await bundleForTest(['src/crc/worker.ts']), 'crc-worker.js');
});
afterAll(() => temp.cleanup());

/** A sparse file of `size` zero bytes (holes read as zeros, cheaply). */
function sparseFile(name: string, size: number): string {
  const path = join(temp.dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

/** CRC-64 of `n` zero bytes, from the combine of smaller known values (no big buffer). */
function zerosCrc(n: number): bigint {
  const block = crc64(new Uint8Array(MiB));
  let crc = 0n;
  let left = n;
  while (left >= MiB) {
    crc = crc64Combine(crc, block, MiB);
    left -= MiB;
  }
  return crc64Combine(crc, crc64(new Uint8Array(left)), left);
}

describe.each(['wasm', 'js'] as const)('hash pool (%s kernel)', (kernel) => {
  let pool: HashPool;
  beforeAll(() => {
    pool = createHashPool({ workers: 2, rangeSize: MiB, readSize: 256 * 1024, workerPath, kernel });
  });
  afterAll(() => pool.dispose());

  it('hashes a file larger than one range, split and combined, with progress', async () => {
    const bytes = lcgBytes(42, 5 * MiB + 12345);
    const path = join(temp.dir, `big-${kernel}.bin`);
    writeFileSync(path, bytes);
    const progress: Array<[number, number]> = [];
    const result = await pool.hashFile(path, { onProgress: (d, t) => progress.push([d, t]) });
    expect(result).toEqual({ path, size: bytes.length, crc64: crc64(bytes) });
    expect(progress[0]).toEqual([0, bytes.length]);
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length]);
  });

  it('hashes an empty file', async () => {
    const path = join(temp.dir, `empty-${kernel}`);
    writeFileSync(path, '');
    expect(await pool.hashFile(path)).toEqual({ path, size: 0, crc64: 0n });
  });

  it('hashes a folder of many small files, in order, and reports the ones it cannot read', async () => {
    const dir = join(temp.dir, `many-${kernel}`);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const expected = new Map<string, bigint>();
    for (let i = 0; i < 300; i++) {
      const bytes = lcgBytes(i, (i * 37) % 5000);
      const path = join(dir, i % 3 ? 'sub' : '', `f${String(i).padStart(3, '0')}`);
      writeFileSync(path, bytes);
      expected.set(path, crc64(bytes));
    }
    const files = await walkFiles(dir);
    expect(files.length).toBe(300);
    const missing = join(dir, 'missing');
    const results = await pool.hashFiles([...files, missing]);
    expect(results.map((r) => r.path)).toEqual([...files, missing]);
    for (const r of results.slice(0, -1)) {
      if (isHashFailure(r)) throw r.error;
      expect(r.crc64).toBe(expected.get(r.path));
    }
    const last = results.at(-1)!;
    expect(isHashFailure(last) && (last.error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('fails with a clear error when the file shrinks while it is read', async () => {
    const path = sparseFile(`shrinks-${kernel}`, 512 * MiB);
    const p = pool.hashFile(path, {
      onProgress: (done) => {
        if (done > 0) truncateSync(path, 3 * MiB);
      },
    });
    await expect(p).rejects.toBeInstanceOf(FileChangedError);
    await expect(p).rejects.toThrow(/shrank|changed size/);
  });

  it('fails with a clear error when the file is rewritten in place while it is read', async () => {
    const path = sparseFile(`rewritten-${kernel}`, 512 * MiB);
    utimesSync(path, new Date(2020, 0, 1), new Date(2020, 0, 1));
    let written = false;
    const p = pool.hashFile(path, {
      onProgress: (done) => {
        if (done > 0 && !written) {
          written = true;
          const fd = openSync(path, 'r+');
          writeSync(fd, 'changed', 0);
          closeSync(fd);
        }
      },
    });
    await expect(p).rejects.toThrow(/was modified while being hashed/);
  });

  it('stops on cancel mid-file and stays usable', async () => {
    const path = sparseFile(`cancel-${kernel}`, 1024 * MiB);
    const controller = new AbortController();
    let last = 0;
    const p = pool.hashFile(path, {
      signal: controller.signal,
      onProgress: (done) => {
        last = done;
        if (done > 0) controller.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(last).toBeLessThan(1024 * MiB);
    const small = join(temp.dir, `after-cancel-${kernel}`);
    writeFileSync(small, 'abc');
    expect((await pool.hashFile(small)).crc64).toBe(3231342946509354535n);
  });
});

describe('hash pool', () => {
  it('matches the combine of zeros on a multi-range sparse file', async () => {
    const pool = createHashPool({ workers: 2, rangeSize: 8 * MiB, workerPath });
    try {
      const size = 40 * MiB + 7;
      const path = sparseFile('zeros', size);
      expect((await pool.hashFile(path)).crc64).toBe(zerosCrc(size));
    } finally {
      pool.dispose();
    }
  });

  it('uses and fills a LocalCrcs, and rehashes a changed file', async () => {
    const pool = createHashPool({ workers: 1, workerPath });
    try {
      const path = join(temp.dir, 'cached.txt');
      writeFileSync(path, '123456789');
      utimesSync(path, new Date('2020-01-01'), new Date('2020-01-01'));
      const store = new MemoryLocalCrcStore();
      // Hashing as if it began two seconds on: the file (its ctime set by utimes just now) has settled.
      const cache = new LocalCrcs(store, () => BigInt(Date.now() + 2000) * 1_000_000n);
      expect((await pool.hashFile(path, { cache })).crc64).toBe(11051210869376104954n);
      const [entry] = store.lookup([path]).values();
      // A remembered value is used as is while it can be trusted…
      store.remember([{ ...entry, crc64: 7n }]);
      expect((await pool.hashFile(path, { cache })).crc64).toBe(7n);
      // …and a change to the file makes it rehash.
      writeFileSync(path, 'abc');
      expect((await pool.hashFile(path, { cache })).crc64).toBe(3231342946509354535n);
    } finally {
      pool.dispose();
    }
  });

  it('rejects pending work on dispose and refuses new work after', async () => {
    const pool = createHashPool({ workers: 1, workerPath });
    const path = sparseFile('disposed', 1024 * MiB);
    const p = pool.hashFile(path);
    await new Promise((r) => setTimeout(r, 50));
    pool.dispose();
    pool.dispose();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await expect(pool.hashFile(path)).rejects.toBeInstanceOf(CancelledError);
  });

  it('reports a worker that cannot start instead of hanging', async () => {
    const pool = createHashPool({ workers: 1, workerPath: join(temp.dir, 'no-such-worker.js') });
    const path = join(temp.dir, 'x');
    writeFileSync(path, 'x');
    try {
      await expect(pool.hashFile(path)).rejects.toThrow();
    } finally {
      pool.dispose();
    }
  });
});
