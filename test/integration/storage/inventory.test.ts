import { beforeAll, describe, expect, it } from 'vitest';
import type { InventoryConfig, ObjectStore, ProviderKind } from '../../../src/storage/types';
import { isInventoryRunner } from '../../../src/storage/capabilities';
import type { Emulator } from '../../support/emulator';
import { withCapability } from '../../support/emulatorStore';
import { caughtStorage as caught, emulatorSuite, readAll } from './helpers';

describe.each(['cos', 'oss'] as const)('%s inventory configuration', (provider: ProviderKind) => {
  const suite = emulatorSuite(provider, ['invsrc', 'invdest']);
  let emu: Emulator;
  let src: string;
  let dest: string;
  let store: ObjectStore;

  const config = (id: string, over: Partial<InventoryConfig> = {}): InventoryConfig => ({
    id,
    enabled: true,
    // OSS refuses an empty AccountId and writes with a RAM role of that account (oss-inventory.md §4, §5).
    destination: {
      bucket: dest,
      prefix: 'inventory',
      ...(provider === 'oss' ? { accountId: emu.accountId, roleName: 'AliyunOSSRole' } : {}),
    },
    format: 'CSV',
    frequency: 'Daily',
    fields: ['Size', 'LastModified', 'ETag', 'StorageClass', 'Crc64'],
    prefix: 'data/',
    includedVersions: 'Current',
    ...over,
  });

  beforeAll(() => {
    ({ emu, store } = suite);
    [src, dest] = suite.buckets;
  });

  it('put, get, list and delete: what is read back is what was set', async () => {
    await store.putInventory(src, config('crc-daily'));
    await store.putInventory(src, config('weekly-all', { frequency: 'Weekly', fields: ['Crc64'], prefix: undefined, enabled: false }));
    expect(await store.getInventory(src, 'crc-daily')).toEqual(config('crc-daily'));
    const weekly = await store.getInventory(src, 'weekly-all');
    expect(weekly).toMatchObject({ id: 'weekly-all', enabled: false, frequency: 'Weekly', fields: ['Crc64'] });
    expect(weekly.prefix).toBeUndefined();
    expect((await store.listInventories(src)).map((c) => c.id)).toEqual(['crc-daily', 'weekly-all']);
    await store.deleteInventory(src, 'weekly-all');
    expect((await caught(store.getInventory(src, 'weekly-all'))).kind).toBe('no-such-inventory');
    expect((await store.listInventories(src)).map((c) => c.id)).toEqual(['crc-daily']);
  });

  it('putting a configuration again replaces it', async () => {
    await store.putInventory(src, config('replace-me'));
    await store.putInventory(src, config('replace-me', { fields: ['Size', 'Crc64'] }));
    expect((await store.getInventory(src, 'replace-me')).fields).toEqual(['Size', 'Crc64']);
  });

  it('a bucket without inventories lists none; a missing one is no-such-inventory', async () => {
    expect(await store.listInventories(dest)).toEqual([]);
    expect((await caught(store.getInventory(dest, 'nothing'))).kind).toBe('no-such-inventory');
  });

  it('a configuration the service would refuse is refused before any request', async () => {
    const err = await caught(store.putInventory(src, config('bad id with spaces')));
    expect(err.kind).toBe('invalid-request');
    expect(err.message).toMatch(/id/);
    expect(emu.requests()).toHaveLength(0);
  });

  if (provider === 'cos') {
    it('runs a one-time inventory whose report lands in the destination with a Crc64 column', async () => {
      await store.put(src, 'data/a.txt', Buffer.from('alpha'));
      await store.put(src, 'other/b.txt', Buffer.from('bravo'));
      const { jobId } = await withCapability(store, isInventoryRunner, 'an InventoryRunner').runInventoryOnce(src, config('once'));
      expect(jobId).toBeTruthy();
      expect(emu.requests().filter((r) => r.op === 'PostBucketInventory')).toHaveLength(1);
      const listed = [];
      let token: string | undefined;
      do {
        const page = await store.list(dest, { prefix: 'inventory/', pageToken: token });
        listed.push(...page.objects.map((o) => o.key));
        token = page.nextPageToken;
      } while (token);
      const manifestKey = listed.find((k) => k.endsWith('manifest.json'));
      expect(manifestKey).toBeTruthy();
      const manifest = JSON.parse((await readAll((await store.get(dest, manifestKey!)).body)).toString()) as { fileSchema: string };
      expect(manifest.fileSchema).toMatch(/Crc64/);
    });
  } else {
    it('has no one-time inventory: the store is no InventoryRunner', () => {
      expect(isInventoryRunner(store)).toBe(false);
    });
  }
});
