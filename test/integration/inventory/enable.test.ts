import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPrefix } from '../../../src/integrity/verify';
import { enableCrcInventory, importInventory, inventoryLocation, InventoryError } from '../../../src/inventory';
import { CrcRecord } from '../../../src/record';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';

describe.each(['cos', 'oss'] as const)('enable a CRC inventory (%s)', (provider: ProviderKind) => {
  let emu: Emulator;
  let store: ObjectStore;
  let tmp: ReturnType<typeof makeTempDir>;
  const newBucket = (base: string) => (provider === 'cos' ? makeCosBucket(emu, base) : makeOssBucket(emu, base));

  beforeAll(async () => {
    emu = await startTestEmulator();
    store = await emulatorStore(emu, provider);
    tmp = makeTempDir('bi-enable-');
  });
  afterAll(async () => {
    tmp.cleanup();
    await emu.close();
  });

  it('configures Crc64, finds the reports through the configuration, and the first report verifies without a HEAD', async () => {
    const src = await newBucket('esrc');
    const dest = await newBucket('edst');
    for (let i = 0; i < 5; i++) await store.put(src, `data/${i}`, Buffer.from(`body ${i}`));
    const { location, reportRequested } = await enableCrcInventory(store, src, {
      id: 'crc',
      destinationBucket: dest,
      roleName: 'AliyunOSSRole',
      accountId: emu.accountId,
    });
    expect(reportRequested).toBe(provider === 'cos');
    if (provider === 'oss') await emu.runInventory('oss', src, 'crc');
    expect(await inventoryLocation(store, src, 'crc')).toEqual(location);
    const record = await CrcRecord.open(join(tmp.dir, `${provider}.sqlite`));
    try {
      const result = await importInventory({ store, record, profile: 'p', location });
      expect(result.rows).toBe(5);
      emu.clearRequests();
      const summary = await verifyPrefix({ store, record, profile: 'p', bucket: src, prefix: 'data/' });
      expect(summary.counts).toMatchObject({ total: 5, match: 5 });
      expect(emu.requests().filter((r) => r.op === 'HeadObject')).toHaveLength(0);
    } finally {
      record.close();
    }
  });

  it('says when the bucket has no such inventory', async () => {
    const src = await newBucket('none');
    const err = (await inventoryLocation(store, src, 'crc').catch((e: unknown) => e)) as InventoryError;
    expect(err).toBeInstanceOf(InventoryError);
    expect(err.kind).toBe('not-found');
  });
});
