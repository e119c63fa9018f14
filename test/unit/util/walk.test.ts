import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SkipReason, walkEntries, walkLocalFiles } from '../../../src/util/walk';
import { makeTempDir } from '../../support/tempDir';

const temp = makeTempDir('bi-walk-');
afterAll(() => temp.cleanup());

describe('walkLocalFiles', () => {
  it('follows file links with their target size, reports folder links and dangling links', async () => {
    const root = join(temp.dir, 'tree');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'big.bin'), Buffer.alloc(1234));
    writeFileSync(join(root, 'sub', 'small'), 'abc');
    symlinkSync(join(root, 'big.bin'), join(root, 'link-to-file'));
    symlinkSync(root, join(root, 'sub', 'loop'));
    symlinkSync(join(root, 'missing'), join(root, 'dangling'));
    const skipped: Array<[string, SkipReason]> = [];
    const files = await walkLocalFiles(root, { onSkip: (p, r) => skipped.push([p, r]) });
    expect(files.map((f) => [f.path, f.size])).toEqual([
      [join(root, 'big.bin'), 1234],
      [join(root, 'link-to-file'), 1234],
      [join(root, 'sub', 'small'), 3],
    ]);
    expect(files.every((f) => f.mtimeMs > 0)).toBe(true);
    expect(skipped).toEqual([
      [join(root, 'dangling'), 'dangling-link'],
      [join(root, 'sub', 'loop'), 'folder-link'],
    ]);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(walkLocalFiles(temp.dir, { signal: controller.signal })).rejects.toMatchObject({ name: 'CancelledError' });
  });
});

describe('walkEntries', () => {
  it('yields files in runs as folders are read, a stat only for links, nothing for empty folders', async () => {
    const root = join(temp.dir, 'runs');
    mkdirSync(join(root, 'b', 'empty'), { recursive: true });
    mkdirSync(join(root, 'c-empty'));
    writeFileSync(join(root, 'a'), 'a');
    writeFileSync(join(root, 'b', 'x'), 'x');
    writeFileSync(join(root, 'd'), 'dd');
    symlinkSync(join(root, 'd'), join(root, 'e-link'));
    const runs: Array<Array<[string, number | undefined]>> = [];
    for await (const run of walkEntries(root)) runs.push(run.map((e) => [e.path, e.stats?.size]));
    expect(runs).toEqual([
      [[join(root, 'a'), undefined]],
      [[join(root, 'b', 'x'), undefined]],
      [
        [join(root, 'd'), undefined],
        [join(root, 'e-link'), 2],
      ],
    ]);
  });

  it('yields a file root with its stat, and rejects a missing root', async () => {
    const file = join(temp.dir, 'runs', 'a');
    const runs = [];
    for await (const run of walkEntries(file)) runs.push(run);
    expect(runs).toMatchObject([[{ path: file, stats: { size: 1 } }]]);
    await expect(walkEntries(join(temp.dir, 'missing')).next()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops between folders when cancelled', async () => {
    const controller = new AbortController();
    const walk = walkEntries(join(temp.dir, 'runs'), { signal: controller.signal });
    await walk.next();
    controller.abort();
    await expect(walk.next()).rejects.toMatchObject({ name: 'CancelledError' });
  });
});
