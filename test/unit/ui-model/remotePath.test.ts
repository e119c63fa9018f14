import { describe, expect, it } from 'vitest';
import { parentBadgeKey } from '../../../src/integrity/badgeStore';
import { displayName } from '../../../src/ui/buckets/presentation';
import { parseRemotePath, remotePathOf } from '../../../src/ui/shared/remoteUri';
import { nodeId } from '../../../src/ui/buckets/treeModel';

describe('remote paths (the bucket-integrity: URI path)', () => {
  it('names profiles, buckets, folders and objects, folders without their trailing slash', () => {
    expect(remotePathOf({ profile: 'Demo COS' })).toBe('/Demo COS');
    expect(remotePathOf({ profile: 'p', bucket: 'b', key: '' })).toBe('/p/b');
    expect(remotePathOf({ profile: 'p', bucket: 'b', key: 'logs/2026/' })).toBe('/p/b/logs/2026');
    expect(remotePathOf({ profile: 'p', bucket: 'b', key: 'logs/a b#1?.txt' })).toBe('/p/b/logs/a b#1?.txt');
  });

  it('reads back what it writes', () => {
    for (const location of [
      { profile: 'p' },
      { profile: 'p', bucket: 'b', key: '' },
      { profile: 'p', bucket: 'b', key: 'a/b/c.txt' },
      { profile: 'Demo OSS', bucket: 'demo-data', key: 'data/measurements.csv' },
    ]) {
      expect(parseRemotePath(remotePathOf(location))).toEqual(location);
    }
    expect(parseRemotePath('/')).toBeUndefined();
    expect(parseRemotePath('/p//x')).toBeUndefined();
  });

  it('gives every level a parent in the badge store, up to the profile', () => {
    const key = `bucket-integrity:${remotePathOf({ profile: 'p', bucket: 'b', key: 'a/c.txt' })}`;
    const chain: string[] = [];
    for (let k = parentBadgeKey(key); k; k = parentBadgeKey(k)) chain.push(k);
    expect(chain).toEqual(['bucket-integrity:/p/b/a', 'bucket-integrity:/p/b', 'bucket-integrity:/p']);
  });

  it('labels a node with its last segment', () => {
    expect(displayName('logs/2026/', 'logs/')).toBe('2026');
    expect(displayName('logs/a.txt', 'logs/')).toBe('a.txt');
    expect(displayName('a.txt', '')).toBe('a.txt');
  });

  it('gives a folder and an object of the same name different node ids', () => {
    const folder = nodeId('folder', { profile: 'p', bucket: 'b', key: 'x/' });
    const object = nodeId('object', { profile: 'p', bucket: 'b', key: 'x' });
    expect(folder).toBe('folder:/p/b/x/');
    expect(object).toBe('object:/p/b/x');
    expect(nodeId('folder', { profile: 'p', bucket: 'b', key: 'x' })).toBe(folder);
  });
});
