import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../../src/storage';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../../src/storage/types';
import { presentNode } from '../../../src/ui/buckets/presentation';
import { BucketTreeModel, type ContainerNode, type ObjectNode, type TreeNode, type TreeSource } from '../../../src/ui/buckets/treeModel';
import type { FolderMapping } from '../../../src/ui/shared/mappingModel';
import type { ProfileConfig } from '../../../src/ui/shared/profileModel';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';

/** The bucket tree model over the real COS and OSS adapters, against the emulator. */

let emu: Emulator;
const buckets: Record<ProviderKind, string> = { cos: '', oss: '' };

function connection(provider: ProviderKind, wrongSecret = false): ConnectionOptions {
  const options = connectionOptions(emu, provider, { maxRetries: 0, timeoutMs: 10_000 });
  return wrongSecret ? { ...options, credentials: { ...options.credentials, secretAccessKey: 'wrong-secret' } } : options;
}

async function seed(store: ObjectStore, bucket: string): Promise<void> {
  await store.put(bucket, 'a.txt', Buffer.from('hello'));
  await store.put(bucket, 'dir/', Buffer.alloc(0));
  await store.put(bucket, 'dir/b.txt', Buffer.from('bee'));
  await store.put(bucket, 'dir/sub/c.txt', Buffer.from('sea'));
  for (let i = 0; i < 25; i++) await store.put(bucket, `many/f${String(i).padStart(2, '0')}.bin`, Buffer.from([i]));
}

interface Fixture {
  model: BucketTreeModel;
  stores: Map<string, ObjectStore>;
  mappings: FolderMapping[];
  pageSize: { value: number };
}

function fixture(provider: ProviderKind): Fixture {
  const profiles: ProfileConfig[] = [
    { name: 'good', provider, region: connection(provider).region, endpoint: emu.endpoint },
    { name: 'bad-keys', provider, region: connection(provider).region, endpoint: emu.endpoint },
  ];
  const stores = new Map<string, ObjectStore>();
  const storeFor = async (name: string): Promise<ObjectStore> => {
    let s = stores.get(name);
    if (!s) {
      s = await createObjectStore(connection(provider, name === 'bad-keys'));
      stores.set(name, s);
    }
    return s;
  };
  const mappings: FolderMapping[] = [];
  const pageSize = { value: 10 };
  const source: TreeSource = {
    profiles: () => profiles,
    mappings: () => mappings,
    pageSize: () => pageSize.value,
    listBuckets: async (profile, signal) => (await storeFor(profile)).listBuckets({ signal }),
    list: async (profile, bucket, prefix, pageToken, size, signal) =>
      (await storeFor(profile)).list(bucket, { prefix, delimiter: '/', pageToken, pageSize: size, signal }),
  };
  return { model: new BucketTreeModel(source), stores, mappings, pageSize };
}

const labels = (model: BucketTreeModel, nodes: TreeNode[]): string[] => nodes.map((n) => presentNode(n, model).label);

beforeAll(async () => {
  emu = await startTestEmulator();
  buckets.cos = await makeCosBucket(emu, 'tree');
  buckets.oss = await makeOssBucket(emu, 'tree');
  for (const provider of ['cos', 'oss'] as const) await seed(await createObjectStore(connection(provider)), buckets[provider]);
});

afterAll(async () => {
  await emu?.close();
});

describe.each(['cos', 'oss'] as const)('bucket tree over %s', (provider) => {
  async function bucketNode(f: Fixture): Promise<ContainerNode> {
    const [good] = f.model.roots();
    const list = await f.model.children(good);
    const node = list.find((n) => n.kind === 'bucket' && n.location.bucket === buckets[provider]);
    expect(node).toBeDefined();
    return node as ContainerNode;
  }

  it('lists profiles, then buckets, then folders before objects, hiding the folder marker', async () => {
    const f = fixture(provider);
    expect(labels(f.model, f.model.roots())).toEqual(['good', 'bad-keys']);
    const bucket = await bucketNode(f);
    const top = await f.model.children(bucket);
    expect(labels(f.model, top)).toEqual(['dir', 'many', 'a.txt']);
    const dir = top[0] as ContainerNode;
    expect(labels(f.model, await f.model.children(dir))).toEqual(['sub', 'b.txt']);
    // The same node objects come back until something is refreshed (tree views rely on identity).
    expect(await f.model.children(bucket)).toEqual(top);
    expect((await f.model.children(bucket))[0]).toBe(top[0]);
  });

  it('pages a large prefix with a "Load more…" node', async () => {
    const f = fixture(provider);
    const bucket = await bucketNode(f);
    const many = (await f.model.children(bucket)).find((n) => n.kind === 'folder' && n.location.key === 'many/') as ContainerNode;
    let children = await f.model.children(many);
    expect(children).toHaveLength(11);
    const more = children[10];
    expect(more.kind).toBe('loadMore');
    expect(presentNode(more, f.model)).toMatchObject({
      label: 'Load more…',
      description: '10 shown',
      command: { id: 'bucketIntegrity.loadMore' },
    });
    await f.model.loadMore(more as Extract<TreeNode, { kind: 'loadMore' }>);
    children = await f.model.children(many);
    expect(children).toHaveLength(21);
    await f.model.loadMore(many);
    children = await f.model.children(many);
    expect(children).toHaveLength(25);
    expect(children.every((n) => n.kind === 'object')).toBe(true);
    expect(labels(f.model, children).slice(0, 3)).toEqual(['f00.bin', 'f01.bin', 'f02.bin']);
  });

  it('filters a folder by prefix and clears the filter', async () => {
    const f = fixture(provider);
    const bucket = await bucketNode(f);
    const many = (await f.model.children(bucket)).find((n) => n.kind === 'folder' && n.location.key === 'many/') as ContainerNode;
    f.model.setFilter(many, 'f2');
    expect(labels(f.model, await f.model.children(many))).toEqual(['f20.bin', 'f21.bin', 'f22.bin', 'f23.bin', 'f24.bin']);
    expect(presentNode(many, f.model)).toMatchObject({
      description: 'filter: f2*',
      contextValue: `bucketIntegrity:folder+${provider === 'cos' ? 'cos+filtered' : 'filtered+oss'}`,
    });
    f.model.setFilter(many, 'zzz');
    const none = await f.model.children(many);
    expect(none).toHaveLength(1);
    expect(presentNode(none[0], f.model).label).toBe('No keys start with "many/zzz"');
    f.model.setFilter(many, '');
    expect(await f.model.children(many)).toHaveLength(11);
  });

  it('refreshing a folder lists it again and shows new objects', async () => {
    const f = fixture(provider);
    const bucket = await bucketNode(f);
    const dir = (await f.model.children(bucket)).find((n) => n.kind === 'folder' && n.location.key === 'dir/') as ContainerNode;
    await f.model.children(dir);
    const store = await createObjectStore(connection(provider));
    await store.put(buckets[provider], 'dir/new.txt', Buffer.from('new'));
    try {
      expect(labels(f.model, await f.model.children(dir))).toEqual(['sub', 'b.txt']);
      expect(f.model.refresh(dir)).toBe(dir);
      expect(labels(f.model, await f.model.children(dir))).toEqual(['sub', 'b.txt', 'new.txt']);
    } finally {
      await store.deleteObject(buckets[provider], 'dir/new.txt');
    }
  });

  it('shows bad keys as an error node with the message and a "Set Profile Keys" action', async () => {
    const f = fixture(provider);
    const bad = f.model.roots()[1];
    const children = await f.model.children(bad);
    expect(children).toHaveLength(1);
    const error = children[0];
    expect(error.kind).toBe('error');
    const p = presentNode(error, f.model);
    expect(p.command?.id).toBe('bucketIntegrity.setProfileKeys');
    expect(p.contextValue).toBe('bucketIntegrity:error+keys');
    expect(p.tooltip).not.toContain('wrong-secret');
    expect(p.label.length).toBeGreaterThan(0);
  });

  it('shows a missing bucket as an error node that retries, never an exception', async () => {
    const f = fixture(provider);
    const [good] = f.model.roots();
    const ghost: ContainerNode = {
      kind: 'bucket',
      id: 'bucket:/good/' + (provider === 'cos' ? `ghost-${emu.cos.appId}` : 'ghost-oss'),
      location: { profile: good.profile.name, bucket: provider === 'cos' ? `ghost-${emu.cos.appId}` : 'ghost-oss', key: '' },
      info: { name: 'ghost' },
    };
    const children = await f.model.children(ghost);
    expect(children.map((n) => n.kind)).toEqual(['error']);
    expect(presentNode(children[0], f.model).command?.id).toBe('bucketIntegrity.refreshNode');
  });

  it('finds listed nodes from a plain location, and marks mapped items', async () => {
    const f = fixture(provider);
    const bucket = await bucketNode(f);
    await f.model.children(bucket);
    const found = f.model.find({ profile: 'good', bucket: buckets[provider], key: 'a.txt' }) as ObjectNode;
    expect(found?.kind).toBe('object');
    expect(f.model.find({ profile: 'good', bucket: buckets[provider], key: 'dir/' })?.kind).toBe('folder');
    expect(f.model.find({ profile: 'good', bucket: buckets[provider], key: 'dir' })?.kind).toBe('folder');
    expect(f.model.find({ profile: 'good', bucket: buckets[provider] })).toBe(bucket);
    expect(presentNode(found, f.model).contextValue).toBe(`bucketIntegrity:object+${provider}`);
    f.mappings.push({ localFolder: 'site', profile: 'good', bucket: buckets[provider], prefix: '' });
    expect(presentNode(found, f.model).contextValue).toBe(`bucketIntegrity:object+${provider === 'cos' ? 'cos+mapped' : 'mapped+oss'}`);
    // After a HEAD, the object's CRC-64 is known: it shows in the tooltip and the context value.
    found.head = await (await createObjectStore(connection(provider))).head(buckets[provider], 'a.txt');
    const p = presentNode(found, f.model);
    expect(p.contextValue).toBe(provider === 'cos' ? 'bucketIntegrity:object+cos+crc+mapped' : 'bucketIntegrity:object+crc+mapped+oss');
    expect(p.tooltip).toContain(`CRC-64: ${found.head.crc64}`);
    expect(p.tooltip).toContain('Key: a.txt');
    expect(p.tooltip).toContain('Size: 5 bytes');
    expect(p.resourcePath).toBe(`/good/${buckets[provider]}/a.txt`);
  });
  it('opens an object on click (read-only Open), while containers only expand', async () => {
    const f = fixture(provider);
    const bucket = await bucketNode(f);
    const top = await f.model.children(bucket);
    const object = top.find((n) => n.kind === 'object')!;
    expect(presentNode(object, f.model).command).toEqual({ id: 'bucketIntegrity.openObject', title: 'Open' });
    expect(presentNode(bucket, f.model).command).toBeUndefined();
    expect(
      presentNode(
        top.find((n) => n.kind === 'folder')!,
        f.model,
      ).command,
    ).toBeUndefined();
  });

  it('locates a place not listed yet (Reveal in Buckets): down the folders and through later pages', async () => {
    const f = fixture(provider);
    f.pageSize.value = 4;
    const node = await f.model.locate({ profile: 'good', bucket: buckets[provider], key: 'many/f22.bin' });
    expect(node).toMatchObject({ kind: 'object', location: { key: 'many/f22.bin' } });
    // The chain of parents is what a tree view walks to reveal it.
    const chain: string[] = [];
    for (let n = node; n; n = f.model.parentOf(n)) chain.push(presentNode(n, f.model).label);
    expect(chain).toEqual(['f22.bin', 'many', buckets[provider], 'good']);
    expect(await f.model.locate({ profile: 'good', bucket: buckets[provider], key: 'dir/sub/' })).toMatchObject({
      kind: 'folder',
      location: { key: 'dir/sub/' },
    });
    // A place that is not there: the deepest container on its way.
    expect(await f.model.locate({ profile: 'good', bucket: buckets[provider], key: 'dir/gone.txt' })).toMatchObject({
      kind: 'folder',
      location: { key: 'dir/' },
    });
    // Only so many pages are listed to find it (a fresh tree: this one has listed them all by now).
    const fresh = fixture(provider);
    fresh.pageSize.value = 4;
    expect(await fresh.model.locate({ profile: 'good', bucket: buckets[provider], key: 'many/f22.bin' }, 2)).toMatchObject({
      kind: 'folder',
      location: { key: 'many/' },
    });
  });
});
