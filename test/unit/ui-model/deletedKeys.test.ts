import { describe, expect, it } from 'vitest';
import type { ObjectVersion } from '../../../src/storage/versions';
import { deletedEntries } from '../../../src/ui/buckets/deletedKeys';

/** Which keys and folders the versions listing adds to a container of the tree (see deletedKeys.ts). */

function v(key: string, n: number, o: Partial<ObjectVersion> = {}): ObjectVersion {
  return { key, versionId: `${key}#${n}`, isLatest: false, deleteMarker: false, size: n, lastModified: new Date(1_000 * n), ...o };
}

async function* listing(versions: ObjectVersion[]): AsyncGenerator<ObjectVersion> {
  yield* versions;
}

describe('deletedEntries', () => {
  it('a key whose latest entry is a delete marker, described by its newest version', async () => {
    const found = await deletedEntries(
      listing([
        v('p/a', 5, { isLatest: true, deleteMarker: true, size: 0 }),
        v('p/a', 2),
        v('p/a', 3),
        v('p/b', 4, { isLatest: true }),
        v('p/b', 6, { deleteMarker: true, size: 0 }),
      ]),
      'p/',
      new Set(),
    );
    expect(found.folders).toEqual([]);
    expect(found.objects).toEqual([{ key: 'p/a', size: 3, lastModified: new Date(3_000) }]);
  });

  it('a key with only a delete marker has size 0; deeper deleted keys give their folder once, unless listed', async () => {
    const found = await deletedEntries(
      listing([
        v('p/gone', 1, { isLatest: true, deleteMarker: true, size: 0 }),
        v('p/x/1', 1, { isLatest: true, deleteMarker: true, size: 0 }),
        v('p/x/2', 1, { isLatest: true, deleteMarker: true, size: 0 }),
        v('p/y/1', 1, { isLatest: true, deleteMarker: true, size: 0 }),
        v('p/z/1', 1, { isLatest: true }),
      ]),
      'p/',
      new Set(['p/y/']),
    );
    expect(found.folders).toEqual(['p/x/']);
    expect(found.objects.map((o) => [o.key, o.size])).toEqual([['p/gone', 0]]);
  });

  it('nothing for a key whose current entry is a version', async () => {
    const found = await deletedEntries(listing([v('a', 2, { isLatest: true }), v('a', 1, { deleteMarker: true, size: 0 })]), '', new Set());
    expect(found).toEqual({ folders: [], objects: [] });
  });
});
