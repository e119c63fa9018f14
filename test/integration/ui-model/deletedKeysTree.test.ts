import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../../src/storage';
import { isVersionLister } from '../../../src/storage/capabilities';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { presentNode } from '../../../src/ui/buckets/presentation';
import { BucketTreeModel, type TreeNode, type TreeSource } from '../../../src/ui/buckets/treeModel';
import { versionsSource } from '../../../src/ui/buckets/versionsSource';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';

/**
 * Keys whose newest entry is a delete marker, in the Buckets tree of a versioned bucket (real adapters
 * on the emulator): the object listing leaves them out, the tree shows them as "deleted" with their
 * versions below, and shows the folders that hold only such keys.
 */

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

function modelFor(store: ObjectStore, pageSize = 100): BucketTreeModel {
  const source: TreeSource = {
    profiles: () => [{ name: 'p', provider: store.provider, region: 'r', endpoint: emu.endpoint }],
    mappings: () => [],
    pageSize: () => pageSize,
    listBuckets: async (_p, signal) => store.listBuckets({ signal }),
    list: async (_p, bucket, prefix, pageToken, size, signal) =>
      store.list(bucket, { prefix, delimiter: '/', pageToken, pageSize: size, signal }),
    ...versionsSource({ storeFor: async () => store }),
  };
  return new BucketTreeModel(source);
}

async function childrenOf(model: BucketTreeModel, bucket: string, key = ''): Promise<TreeNode[]> {
  const node = await model.locate({ profile: 'p', bucket, key });
  if (!node) throw new Error(`${bucket}/${key} not found`);
  return model.children(node);
}

const shown = (model: BucketTreeModel, nodes: TreeNode[]) =>
  nodes.map((n) => {
    const p = presentNode(n, model);
    return [p.label, p.description ?? '', p.contextValue];
  });

for (const provider of ['cos', 'oss'] as ProviderKind[]) {
  describe(`deleted keys in the tree (${provider})`, () => {
    it('shows a deleted key with its versions, and folders holding only deleted keys', async () => {
      const bucket = provider === 'cos' ? await makeCosBucket(emu, 'tree-del') : await makeOssBucket(emu, 'tree-del');
      const store = await createObjectStore(connectionOptions(emu, provider, { maxRetries: 0 }));
      if (!isVersionLister(store)) throw new Error('no versions');
      await store.setVersioning(bucket, 'Enabled');
      await store.put(bucket, 'kept.txt', Buffer.from('kept'));
      await store.put(bucket, 'gone.txt', Buffer.from('first words'));
      await store.put(bucket, 'gone.txt', Buffer.from('second, longer words'));
      await store.deleteObject(bucket, 'gone.txt');
      await store.put(bucket, 'dir/a.txt', Buffer.from('a'));
      await store.put(bucket, 'dir/b.txt', Buffer.from('b'));
      await store.deleteObject(bucket, 'dir/b.txt');
      await store.put(bucket, 'old/only.txt', Buffer.from('only'));
      await store.deleteObject(bucket, 'old/only.txt');
      const model = modelFor(store);

      const root = await childrenOf(model, bucket);
      const rows = shown(model, root);
      // Listed first (folder dir/, kept.txt), then what only the versions hold (folder old/, gone.txt).
      expect(rows.map((r) => r[0])).toEqual(['dir', 'kept.txt', 'old', 'gone.txt']);
      expect(rows[3][1]).toBe('deleted');
      expect(rows[3][2]).toBe('bucketIntegrity:deletedObject+versioned');
      expect(rows[1][2]).toContain('+versioned');
      const gone = root[3];
      expect(presentNode(gone, model).command).toBeUndefined();
      expect(model.parentOf(gone)?.id).toBe((await model.locate({ profile: 'p', bucket }))?.id);

      const versions = shown(model, await model.children(gone));
      expect(versions.map((v) => v[2])).toEqual([
        'bucketIntegrity:version+current+marker',
        'bucketIntegrity:version',
        'bucketIntegrity:version',
      ]);
      expect(versions[1][1]).toContain('20 B');

      expect(shown(model, await childrenOf(model, bucket, 'dir/')).map((r) => [r[0], r[1]])).toEqual([
        ['a.txt', '1 B'],
        ['b.txt', 'deleted'],
      ]);
      expect(shown(model, await childrenOf(model, bucket, 'old/')).map((r) => [r[0], r[1]])).toEqual([['only.txt', 'deleted']]);
    });

    it('adds nothing to a bucket that keeps no versions', async () => {
      const plain = provider === 'cos' ? await makeCosBucket(emu, 'tree-del-plain') : await makeOssBucket(emu, 'tree-del-plain');
      const store = await createObjectStore(connectionOptions(emu, provider, { maxRetries: 0 }));
      await store.put(plain, 'a.txt', Buffer.from('a'));
      await store.put(plain, 'b.txt', Buffer.from('b'));
      await store.deleteObject(plain, 'b.txt');
      const model = modelFor(store);
      expect(shown(model, await childrenOf(model, plain)).map((r) => r[0])).toEqual(['a.txt']);
    });

    it('reads the versions only after the last page', async () => {
      const bucket = provider === 'cos' ? await makeCosBucket(emu, 'tree-del-pages') : await makeOssBucket(emu, 'tree-del-pages');
      const store = await createObjectStore(connectionOptions(emu, provider, { maxRetries: 0 }));
      if (!isVersionLister(store)) throw new Error('no versions');
      await store.setVersioning(bucket, 'Enabled');
      for (const k of ['a', 'b', 'c']) await store.put(bucket, `${k}.txt`, Buffer.from(k));
      await store.put(bucket, 'z.txt', Buffer.from('z'));
      await store.deleteObject(bucket, 'z.txt');
      const model = modelFor(store, 2);
      const first = await childrenOf(model, bucket);
      expect(first.map((n) => n.kind)).toEqual(['object', 'object', 'loadMore']);
      const more = first[2];
      if (more.kind !== 'loadMore') throw new Error('no load more');
      await model.loadMore(more);
      const all = await childrenOf(model, bucket);
      expect(shown(model, all).map((r) => [r[0], r[1].includes('deleted')])).toEqual([
        ['a.txt', false],
        ['b.txt', false],
        ['c.txt', false],
        ['z.txt', true],
      ]);
    });
  });
}
