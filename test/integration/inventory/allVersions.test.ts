import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { importInventory } from '../../../src/inventory';
import { CrcRecord } from '../../../src/record';
import { isVersionLister } from '../../../src/storage/capabilities';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { readAll } from '../storage/helpers';

/**
 * An inventory of all versions (`IncludedObjectVersions` All) of a versioned bucket: the emulator's report
 * lists every version and delete marker with VersionId, IsLatest and IsDeleteMarker (as the services'
 * fileSchema documents them, vendor-examples cos-inventory.md and oss-inventory.md), and the import records
 * only each key's current version — never an older CRC-64 as the key's, never a deleted key.
 */

const crcOf = (text: string) => formatCrc64(crc64(Buffer.from(text)));

describe.each(['cos', 'oss'] as const)('a %s inventory of all versions', (provider: ProviderKind) => {
  let emu: Emulator;
  let store: ObjectStore;
  let tmp: ReturnType<typeof makeTempDir>;
  let record: CrcRecord;

  beforeAll(async () => {
    emu = await startTestEmulator();
    store = await emulatorStore(emu, provider);
    tmp = makeTempDir('bi-inv-ver-');
    record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
  });
  afterAll(async () => {
    record.close();
    tmp.cleanup();
    await emu.close();
  });

  it('lists every version and marker; the import records the current version of each key only', async () => {
    const src = provider === 'cos' ? await makeCosBucket(emu, 'vsrc') : await makeOssBucket(emu, 'vsrc');
    const dest = provider === 'cos' ? await makeCosBucket(emu, 'vdst') : await makeOssBucket(emu, 'vdst');
    if (!isVersionLister(store)) throw new Error('no versions');
    await store.setVersioning(src, 'Enabled');
    await store.put(src, 'data/a.txt', Buffer.from('old'));
    await store.put(src, 'data/a.txt', Buffer.from('current'));
    await store.put(src, 'data/gone.txt', Buffer.from('deleted'));
    await store.deleteObject(src, 'data/gone.txt');
    await store.putInventory(src, {
      id: 'all',
      destination: { bucket: dest, prefix: 'inv', accountId: provider === 'cos' ? emu.cos.appId : emu.accountId, roleName: 'AliyunOSSRole' },
      format: 'CSV',
      frequency: 'Daily',
      fields: ['Size', 'LastModified', 'ETag', 'Crc64'],
      prefix: 'data/',
      includedVersions: 'All',
    });
    const run = await emu.runInventory(provider, src, 'all');
    expect(run.rows).toBe(4);
    const manifest = JSON.parse((await readAll((await store.get(dest, run.manifestKey)).body)).toString()) as { fileSchema: string };
    expect(manifest.fileSchema).toMatch(/VersionId, IsLatest, IsDeleteMarker/);

    const result = await importInventory({ store, record, profile: 'p', location: { provider, sourceBucket: src, inventoryId: 'all', destinationBucket: dest, destinationPrefix: 'inv' } });
    expect(result.failed.map((f) => f.message)).toEqual([]);
    expect(record.get({ profile: 'p', bucket: src }, 'data/a.txt')?.crc64).toBe(crcOf('current'));
    expect(record.get({ profile: 'p', bucket: src }, 'data/gone.txt')).toBeUndefined();
  });
});
