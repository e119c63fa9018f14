import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../../src/storage';
import { isVersionLister } from '../../../src/storage/capabilities';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { objectFacts } from '../../../src/ui/buckets/objectFacts';
import { objectTooltip, presentNode } from '../../../src/ui/buckets/presentation';
import { BucketTreeModel, type ObjectNode, type TreeNode, type TreeSource } from '../../../src/ui/buckets/treeModel';
import { versionsSource } from '../../../src/ui/buckets/versionsSource';
import { connectionOptions, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

/**
 * The Buckets tree model on versioned buckets, over the real adapters: objects of a versioned bucket
 * expand to their versions (delete markers shown), those of a plain bucket do not; hovers name symlink
 * targets and next append positions.
 */

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

function modelFor(store: ObjectStore): BucketTreeModel {
  const storeFor = async () => store;
  const source: TreeSource = {
    profiles: () => [{ name: 'p', provider: store.provider, region: 'r', endpoint: emu.endpoint }],
    mappings: () => [],
    pageSize: () => 100,
    listBuckets: async (_p, signal) => store.listBuckets({ signal }),
    list: async (_p, bucket, prefix, pageToken, size, signal) =>
      store.list(bucket, { prefix, delimiter: '/', pageToken, pageSize: size, signal }),
    ...versionsSource({ storeFor }),
  };
  return new BucketTreeModel(source);
}

async function objectNode(model: BucketTreeModel, bucket: string, key: string): Promise<ObjectNode> {
  const node = await model.locate({ profile: 'p', bucket, key });
  if (node?.kind !== 'object') throw new Error(`${key} not listed`);
  return node;
}

for (const provider of ['cos', 'oss'] as ProviderKind[]) {
  describe(`versions in the tree (${provider})`, () => {
    it('an object of a versioned bucket expands to its versions, newest first, the delete marker shown', async () => {
      const bucket = provider === 'cos' ? await makeCosBucket(emu, 'tree-ver') : await makeOssBucket(emu, 'tree-ver');
      const plain = provider === 'cos' ? await makeCosBucket(emu, 'tree-plain') : await makeOssBucket(emu, 'tree-plain');
      const store = await createObjectStore(connectionOptions(emu, provider, { maxRetries: 0 }));
      if (!isVersionLister(store)) throw new Error('no versions');
      await store.setVersioning(bucket, 'Enabled');
      await store.put(bucket, 'notes.txt', Buffer.from('first'));
      await store.deleteObject(bucket, 'notes.txt');
      await store.put(bucket, 'notes.txt', Buffer.from('second!'));
      await store.put(plain, 'notes.txt', Buffer.from('plain'));
      const model = modelFor(store);

      const node = await objectNode(model, bucket, 'notes.txt');
      expect(presentNode(node, model).collapsible).toBe(true);
      const children = await model.children(node);
      const shown = children.map((c: TreeNode) => presentNode(c, model));
      expect(shown.map((p) => [p.icon, p.contextValue])).toEqual([
        ['history', 'bucketIntegrity:version+current'],
        ['trash', 'bucketIntegrity:version+marker'],
        ['history', 'bucketIntegrity:version'],
      ]);
      expect(shown[1].description).toBe('delete marker');
      expect(shown[1].command).toBeUndefined();
      expect(shown[2].tooltip).toContain('Size: 5 bytes');
      expect(shown[2].command?.id).toBe('bucketIntegrity.openVersion');
      expect(model.parentOf(children[0])).toBe(node);

      const plainNode = await objectNode(model, plain, 'notes.txt');
      expect(presentNode(plainNode, model).collapsible).toBe(false);
      expect(await model.children(plainNode)).toEqual([]);
    });
  });
}

describe('hover of OSS symlinks and appendable objects', () => {
  it('names the symlink target and the next append position', async () => {
    const bucket = await makeOssBucket(emu, 'tree-kinds');
    const store = await createObjectStore(connectionOptions(emu, 'oss', { maxRetries: 0 }));
    const raw = ossClient(emu, bucket);
    await store.put(bucket, 'target.txt', Buffer.from('target'));
    await raw.putSymlink('link.txt', 'target.txt');
    await raw.append('log.txt', Buffer.from('123456789'));
    const page = await store.list(bucket, {});
    const link = page.objects.find((o) => o.key === 'link.txt')!;
    const log = page.objects.find((o) => o.key === 'log.txt')!;
    const linkHover = objectTooltip(bucket, await objectFacts(store, bucket, link));
    expect(linkHover).toContain('Symlink to: target.txt (read and compared as its target)');
    expect(linkHover).toContain('Size: 6 bytes');
    expect(objectTooltip(bucket, await objectFacts(store, bucket, log))).toContain('Appendable: next append at byte 9');
  });
});
