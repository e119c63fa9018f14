import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkFiles } from '../../../src/util/walk';
import { makeTempDir } from '../../support/tempDir';

const temp = makeTempDir('bi-walk-files-');
afterAll(() => temp.cleanup());

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
