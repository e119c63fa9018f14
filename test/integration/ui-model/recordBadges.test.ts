import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory } from '../../../src/inventory';
import { CrcRecord } from '../../../src/record';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { presentNode } from '../../../src/ui/buckets/presentation';
import { readRecorded, recordBadgeOf, recordBadgeUpdates } from '../../../src/ui/buckets/recordBadges';
import { BucketTreeModel, type ContainerNode, type ObjectNode, type TreeNode, type TreeSource } from '../../../src/ui/buckets/treeModel';
import { enableCrcInventory } from '../../../src/inventory/configure';
import { CRC_INVENTORY_ID } from '../../../src/inventory/choice';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';

/**
 * The Buckets view at scale: a folder of 100,000 objects lists its first page (and only that page) and
 * badges its rows from the CRC record, filled by the bucket's real inventory report — not one HEAD.
 */

const COUNT = 100_000;
const PROFILE = 'good';

describe.each(['cos', 'oss'] as const)('record badges in the %s tree', (provider: ProviderKind) => {
  let emu: Emulator;
  let store: ObjectStore;
  let record: CrcRecord;
  let tmp: ReturnType<typeof makeTempDir>;
  let bucket: string;
  let listed: ObjectNode[][];

  function model(withRecord: boolean): BucketTreeModel {
    const source: TreeSource = {
      profiles: () => [{ name: PROFILE, provider, region: 'ap-guangzhou', endpoint: emu.endpoint }],
      mappings: () => [],
      pageSize: () => 100,
      listBuckets: (_p, signal) => store.listBuckets({ signal }),
      list: (_p, b, prefix, pageToken, pageSize, signal) => store.list(b, { prefix, delimiter: '/', pageToken, pageSize, signal }),
      objectsListed: (nodes) => listed.push([...nodes]),
      ...(withRecord ? { recorded: async (profile, b, keys) => readRecorded(record, { profile, bucket: b }, keys) } : {}),
    };
    return new BucketTreeModel(source);
  }

  async function folder(m: BucketTreeModel, key: string): Promise<ContainerNode> {
    const buckets = await m.children(m.roots()[0]);
    const node = buckets.find((n) => n.kind === 'bucket' && n.location.bucket === bucket) as ContainerNode;
    const top = await m.children(node);
    return top.find((n) => n.kind === 'folder' && n.location.key === key) as ContainerNode;
  }

  const heads = () => emu.requests().filter((r) => r.op === 'HeadObject' || r.op === 'GetObjectMeta');
  const objects = (nodes: TreeNode[]) => nodes.filter((n): n is ObjectNode => n.kind === 'object');

  beforeAll(async () => {
    emu = await startTestEmulator();
    store = await emulatorStore(emu, provider);
    tmp = makeTempDir('bi-record-badges-');
    record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'big') : await makeOssBucket(emu, 'big');
    const dest = provider === 'cos' ? await makeCosBucket(emu, 'reports') : await makeOssBucket(emu, 'reports');
    await emu.seedObjects(provider, bucket, { prefix: 'big/', count: COUNT });
    await emu.seedObjects(provider, bucket, { prefix: 'legacy/', count: 3, withCrc: false });
    // The inventory "Enable CRC Inventory…" configures, run now, imported as "Import CRC Inventory" does.
    const { location } = await enableCrcInventory(store, bucket, {
      id: CRC_INVENTORY_ID,
      destinationBucket: dest,
      prefix: 'inventory',
      requestReport: false,
    });
    await emu.runInventory(provider, bucket, CRC_INVENTORY_ID);
    const imported = await importInventory({ store, record, profile: PROFILE, location });
    expect(imported.rows).toBe(COUNT + 3);
    expect(imported.failed).toEqual([]);
    // Changed after the inventory ran: the record's CRC no longer describes it.
    await store.put(bucket, 'big/000001', Buffer.from('replaced after the inventory'));
  }, 120_000);

  afterAll(async () => {
    record?.close();
    tmp?.cleanup();
    await emu?.close();
  });

  it('lists one page of 100,000 objects and badges it from the record without a HEAD', async () => {
    listed = [];
    const m = model(true);
    const big = await folder(m, 'big/');
    emu.clearRequests();
    const children = await m.children(big);
    expect(children).toHaveLength(101);
    expect(children[100].kind).toBe('loadMore');
    const rows = objects(children);
    expect(rows).toHaveLength(100);
    // One listing request (ListObjects for COS, ListObjectsV2 for OSS) and nothing else.
    expect(emu.requests().map((r) => r.op)).toEqual([provider === 'cos' ? 'ListObjects' : 'ListObjectsV2']);
    expect(listed).toEqual([rows]);

    const unchanged = rows.filter((n) => n.location.key !== 'big/000001');
    expect(unchanged.every((n) => n.recorded?.crc64 !== undefined)).toBe(true);
    expect(unchanged.map((n) => recordBadgeOf(n)?.status)).toEqual(unchanged.map(() => 'match'));
    // The object replaced after the inventory: its ETag changed, so the record says nothing of it.
    const replaced = rows.find((n) => n.location.key === 'big/000001')!;
    expect(replaced.recorded).toBeUndefined();
    expect(recordBadgeOf(replaced)).toBeUndefined();
    // The row's CRC-64 menus and tooltip come from the record.
    expect(presentNode(unchanged[0], m).contextValue).toMatch(/\+crc\b/);
    expect(presentNode(unchanged[0], m).tooltip).toContain(`CRC-64: ${unchanged[0].recorded!.crc64}`);
    expect(heads()).toEqual([]);

    // The record's CRC-64 is the one the service reports for the object (checked only now).
    for (const n of [unchanged[0], unchanged[98]]) expect((await store.head(bucket, n.location.key)).crc64).toBe(n.recorded!.crc64);
  });

  it('badges objects stored without a CRC-64 as such, and replaces only its own badges', async () => {
    listed = [];
    const m = model(true);
    emu.clearRequests();
    const rows = objects(await m.children(await folder(m, 'legacy/')));
    expect(rows.map((n) => recordBadgeOf(n)?.status)).toEqual(['no-crc', 'no-crc', 'no-crc']);
    expect(presentNode(rows[0], m).contextValue).toMatch(/\+nocrc\b/);
    const compared = { status: 'match' as const, remoteCrcSource: 'service' as const };
    const stale = { status: 'match' as const, remoteCrcSource: 'record' as const };
    const current = new Map([['legacy/0', compared]]);
    const updates = recordBadgeUpdates(
      rows,
      (n) => n.location.key,
      (k) => current.get(k),
    );
    // A Compare's result stays; the two others get the record's badge.
    expect(updates.set.map(([k]) => k)).toEqual(['legacy/1', 'legacy/2']);
    const after = recordBadgeUpdates(
      [{ ...rows[0], recorded: undefined }],
      () => 'x',
      () => stale,
    );
    expect(after).toEqual({ set: [], remove: ['x'] });
    expect(heads()).toEqual([]);
  });

  it('without a record, rows carry no CRC-64 until hovered (one HEAD then)', async () => {
    listed = [];
    const m = model(false);
    const rows = objects(await m.children(await folder(m, 'big/')));
    expect(rows).toHaveLength(100);
    expect(rows.some((n) => n.recorded)).toBe(false);
    expect(presentNode(rows[0], m).contextValue).not.toMatch(/\+(no)?crc\b/);
  });
});
