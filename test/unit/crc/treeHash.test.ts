import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/crc';
import { LocalCrcs, MemoryLocalCrcStore } from '../../../src/crc/localCrcs';
import { createHashPool, type HashFailure, type HashPool, type HashResult, isHashFailure } from '../../../src/crc/pool';
import { hashTree, type TreeProgress } from '../../../src/crc/treeHash';
import type { SkipReason } from '../../../src/util/walk';
import { walkFiles } from '../../../src/util/walk';
import { bundleForTest } from '../../support/bundle';
import { makeTempDir } from '../../support/tempDir';
import { lcgBytes } from '../../support/vectors';

const MiB = 1024 * 1024;
const temp = makeTempDir('bi-tree-');
let pool: HashPool;
const expected = new Map<string, bigint>();
let root: string;

function put(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
  expected.set(path, crc64(bytes));
}

beforeAll(async () => {
  const workerPath = join(await bundleForTest(['src/crc/worker.ts']), 'crc-worker.js');
  // A 1 MiB range: the 3 MiB file below is split across both workers, like a large file.
  pool = createHashPool({ workers: 2, rangeSize: MiB, readSize: 64 * 1024, workerPath });
  root = join(temp.dir, 'tree');
  // Files before, between and after sub-folders, an empty folder, a deep one, links of every kind.
  mkdirSync(join(root, 'b', 'deep', 'deeper'), { recursive: true });
  mkdirSync(join(root, 'd-empty'));
  mkdirSync(join(root, 'f'));
  for (let i = 0; i < 40; i++) put(join(root, `a${String(i).padStart(2, '0')}`), lcgBytes(i, (i * 97) % 3000));
  for (let i = 0; i < 15; i++) put(join(root, 'b', `x${i}`), lcgBytes(100 + i, i * 11));
  put(join(root, 'b', 'deep', 'deeper', 'z'), lcgBytes(7, 5));
  put(join(root, 'c-large'), lcgBytes(9, 3 * MiB + 17));
  put(join(root, 'e-empty-file'), new Uint8Array(0));
  for (let i = 0; i < 9; i++) put(join(root, 'f', `y${i}`), lcgBytes(200 + i, 100));
  symlinkSync(join(root, 'a00'), join(root, 'g-link-to-file'));
  expected.set(join(root, 'g-link-to-file'), expected.get(join(root, 'a00'))!);
  symlinkSync(join(root, 'b'), join(root, 'h-link-to-folder'));
  symlinkSync(join(root, 'nowhere'), join(root, 'i-dangling'));
});
afterAll(() => {
  pool.dispose();
  temp.cleanup();
});

async function collect(roots: string[], options: Parameters<typeof hashTree>[3] = {}) {
  const results: Array<(HashResult | HashFailure) & { root: number }> = [];
  await hashTree(pool, roots, (r, i) => void results.push({ ...r, root: i }), options);
  return results;
}

describe('hashTree', () => {
  it('hashes every file in walk order across many chunks, splits a large file, and skips links as the walk does', async () => {
    const skipped: Array<[string, SkipReason]> = [];
    const progress: TreeProgress[] = [];
    const results = await collect([root], {
      chunkFiles: 7,
      onSkip: (p, reason) => skipped.push([p, reason]),
      onProgress: (p) => progress.push(p),
    });
    // The same files, in the same order, as the walker every other command uses.
    expect(results.map((r) => r.path)).toEqual(await walkFiles(root));
    for (const r of results) {
      if (isHashFailure(r)) throw r.error;
      expect(r.crc64, r.path).toBe(expected.get(r.path));
    }
    expect(results.find((r) => r.path.endsWith('c-large'))).toMatchObject({ size: 3 * MiB + 17 });
    expect(skipped).toEqual([
      [join(root, 'h-link-to-folder'), 'folder-link'],
      [join(root, 'i-dangling'), 'dangling-link'],
    ]);
    const bytes = results.reduce((sum, r) => sum + (isHashFailure(r) ? 0 : r.size), 0);
    expect(progress.at(-1)).toEqual({ files: results.length, filesDone: results.length, found: results.length, bytes, walking: false });
    // Progress never goes back.
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].files).toBeGreaterThanOrEqual(progress[i - 1].files);
      expect(progress[i].found).toBeGreaterThanOrEqual(progress[i - 1].found);
    }
  });

  it('takes files and folders as roots in the order given, and reports a missing root without stopping', async () => {
    const missing = join(temp.dir, 'missing');
    const errors: Array<[string, string | undefined, number]> = [];
    const results = await collect([join(root, 'f'), missing, join(root, 'a01'), join(root, 'd-empty')], {
      onError: (p, err, i) => errors.push([p, (err as NodeJS.ErrnoException).code, i]),
    });
    expect(results.map((r) => [r.path, r.root])).toEqual([
      ...Array.from({ length: 9 }, (_, i) => [join(root, 'f', `y${i}`), 0]),
      [join(root, 'a01'), 2],
    ]);
    expect(errors).toEqual([[missing, 'ENOENT', 1]]);
    await expect(collect([missing])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a file that is not a regular file given as a root, as the pool does', async () => {
    const results = await collect(['/dev/null']);
    expect(results).toHaveLength(1);
    expect(isHashFailure(results[0]) && (results[0].error as NodeJS.ErrnoException).code).toBe('EISDIR');
  });

  it('stops on cancel and leaves the pool usable', async () => {
    const controller = new AbortController();
    let seen = 0;
    const run = hashTree(
      pool,
      [root],
      () => {
        if (++seen === 3) controller.abort();
      },
      { signal: controller.signal, chunkFiles: 2 },
    );
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
    expect(seen).toBeLessThan(expected.size);
    const again = await collect([join(root, 'f')]);
    expect(again).toHaveLength(9);
  });

  it('uses and fills a LocalCrcs', async () => {
    const store = new MemoryLocalCrcStore();
    // A clock a minute ahead: the files just written are not "racy", so their values may be kept.
    const cache = new LocalCrcs(store, () => BigInt(Date.now() + 60_000) * 1_000_000n);
    const first = await collect([join(root, 'b')], { cache, chunkFiles: 4 });
    const kept = store.lookup(first.map((r) => r.path));
    expect(kept.size).toBe(first.length);
    for (const r of first) expect(kept.get(r.path)?.crc64).toBe(expected.get(r.path));
    const second = await collect([join(root, 'b')], { cache, chunkFiles: 4 });
    expect(second).toEqual(first);
  });
});
