import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAllVersions, versionsLike, type VersionResult } from '../../../src/integrity/versions/verifyVersions';
import { crc64, formatCrc64 } from '../../../src/crc';
import { createObjectStore } from '../../../src/storage';
import { isVersionLister } from '../../../src/storage/capabilities';
import type { ProviderKind } from '../../../src/storage/types';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';

/**
 * `verifyAllVersions` with `exactKey` (the tree's Verify All Versions of one object): the versions of that
 * key only, not of the keys that begin with it, which a prefix run includes.
 */

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

for (const provider of ['cos', 'oss'] as ProviderKind[]) {
  describe(`verify all versions of one key (${provider})`, () => {
    it('checks every version of the key and none of a longer key', async () => {
      const bucket = provider === 'cos' ? await makeCosBucket(emu, 'ver-key') : await makeOssBucket(emu, 'ver-key');
      const store = await createObjectStore(connectionOptions(emu, provider, { maxRetries: 0 }));
      if (!isVersionLister(store)) throw new Error('no versions');
      await store.setVersioning(bucket, 'Enabled');
      await store.put(bucket, 'a.txt', Buffer.from('one'));
      await store.put(bucket, 'a.txt', Buffer.from('two!'));
      await store.deleteObject(bucket, 'a.txt');
      await store.put(bucket, 'a.txt.bak', Buffer.from('other key'));
      await store.put(bucket, 'b.txt', Buffer.from('after'));

      const seen: VersionResult[] = [];
      const one = await verifyAllVersions({ store, bucket, prefix: 'a.txt', exactKey: true, onResult: (r) => seen.push(r) });
      expect(one).toEqual({ versions: 2, deleteMarkers: 1, fromInventory: 0, counts: { match: 2 } });
      expect(new Set(seen.map((r) => r.key))).toEqual(new Set(['a.txt']));
      expect(
        seen
          .filter((r) => !r.deleteMarker)
          .map((r) => r.size)
          .sort(),
      ).toEqual([3, 4]);

      // The version whose bytes a local file holds, by the CRC-64 the service gave each version.
      const local = Buffer.from('one');
      const first = seen.find((r) => r.size === 3)!;
      expect(versionsLike(seen, { size: local.length, crc64: formatCrc64(crc64(local)) })).toEqual([first.versionId]);
      expect(versionsLike(seen, { size: 5, crc64: formatCrc64(crc64(Buffer.from('other'))) })).toEqual([]);

      // Without it, the prefix takes in a.txt.bak too.
      expect((await verifyAllVersions({ store, bucket, prefix: 'a.txt' })).versions).toBe(3);
    });
  });
}
