import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkLocalFiles, type SkipReason } from '../../../src/util/walk';
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
