import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetForObjectInFolder } from '../../../src/transfer/downloader';
import { resolveSafeLocalPath, UnsafeKeyError, unsafeKeyReason } from '../../../src/util/keySafety';

const root = resolve('/tmp/target-folder');

describe('resolveSafeLocalPath', () => {
  it('maps ordinary keys under the folder', () => {
    expect(resolveSafeLocalPath(root, 'a/b/c.txt')).toBe(join(root, 'a', 'b', 'c.txt'));
    expect(resolveSafeLocalPath(root, 'file with spaces..txt')).toBe(join(root, 'file with spaces..txt'));
    expect(resolveSafeLocalPath(root, '..hidden')).toBe(join(root, '..hidden'));
  });

  it.each([
    ['../x', '".." segment'],
    ['a/../../x', '".." segment'],
    ['a/..', '".." segment'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows/x', 'drive letter'],
    ['c:x', 'drive letter'],
    ['a\\..\\..\\x', 'backslash'],
    ['a//b', 'empty path segment'],
    ['./a', '"." segment'],
    ['a\0b', 'NUL'],
    ['', 'empty'],
  ])('refuses %j', (key, why) => {
    expect(unsafeKeyReason(key)).toContain(why);
    expect(() => resolveSafeLocalPath(root, key)).toThrow(UnsafeKeyError);
  });
});

describe('targetForObjectInFolder', () => {
  it('uses the last segment of a safe key', () => {
    expect(targetForObjectInFolder(root, 'photos/2024/cat.jpg')).toBe(join(root, 'cat.jpg'));
  });
  it('refuses keys that could escape, even though only the last segment is used', () => {
    expect(() => targetForObjectInFolder(root, '../cat.jpg')).toThrow(UnsafeKeyError);
    expect(() => targetForObjectInFolder(root, '/abs/cat.jpg')).toThrow(UnsafeKeyError);
    expect(() => targetForObjectInFolder(root, 'dir/..')).toThrow(UnsafeKeyError);
    expect(() => targetForObjectInFolder(root, 'dir/')).toThrow(UnsafeKeyError);
  });
});
