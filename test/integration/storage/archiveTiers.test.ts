import { describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { readability } from '../../../src/storage/objectState';
import { restoreAndWait } from '../../../src/transfer/restore/restoringStore';
import { cosCall, cosClient } from '../../support/emulator';
import { putWithState, setStorageTier } from '../../support/objectState';
import { caughtStorage, emulatorSuite, readAll } from './helpers';

/**
 * Objects offline until restored beyond ARCHIVE / Archive: COS INTELLIGENT_TIERING objects moved to its
 * archive tiers (`x-cos-storage-tier`), and OSS ColdArchive / DeepColdArchive, through the vendors' SDKs
 * and the project's adapters.
 */

const body = Buffer.from('tiered bytes\n'.repeat(50));
const crc = formatCrc64(crc64(body));

describe('cos: INTELLIGENT_TIERING in an archive tier', () => {
  const s = emulatorSuite('cos', ['tier']);

  it('the SDK sees x-cos-storage-tier; the adapter calls ARCHIVE / DEEP_ARCHIVE tiers archived and restores them', async () => {
    s.emu.setRestoreTiming({ delayMs: 200, dayMs: 60_000 });
    const [bucket] = s.buckets;
    await putWithState(s.emu, 'cos', bucket, 'it/a', body, { storageClass: 'INTELLIGENT_TIERING' });
    const cos = cosClient(s.emu);
    const head = (key: string) => cosCall(cos.headObject.bind(cos), { Bucket: bucket, Region: s.emu.cos.region, Key: key });
    expect((await head('it/a')).headers?.['x-cos-storage-tier']).toBe('FREQUENT');
    const warm = await s.store.head(bucket, 'it/a');
    expect(warm).toMatchObject({ storageClass: 'INTELLIGENT_TIERING', storageTier: 'FREQUENT', crc64: crc });
    expect(readability(warm)).toBe('readable');

    for (const tier of ['ARCHIVE', 'DEEP_ARCHIVE']) {
      await setStorageTier(s.emu, bucket, 'it/a', tier);
      expect((await head('it/a')).headers?.['x-cos-storage-tier']).toBe(tier);
      // The SDK's own GET meets the service's 403 InvalidObjectState.
      const raw = await cosCall(cos.getObject.bind(cos), { Bucket: bucket, Region: s.emu.cos.region, Key: 'it/a' }).catch(
        (e: { statusCode?: number; code?: string }) => e,
      );
      expect(raw).toMatchObject({ statusCode: 403, code: 'InvalidObjectState' });
      const info = await s.store.head(bucket, 'it/a');
      expect(info).toMatchObject({ storageClass: 'INTELLIGENT_TIERING', storageTier: tier, crc64: crc });
      expect(readability(info)).toBe('archived');
      expect((await caughtStorage(s.store.get(bucket, 'it/a'))).kind).toBe('archived');
    }

    const events: string[] = [];
    await restoreAndWait(s.store, bucket, 'it/a', {
      request: { days: 1, tier: 'Standard' },
      pollMs: 50,
      onEvent: (e) => events.push(e.kind),
    });
    expect(events[0]).toBe('requested');
    expect(events.at(-1)).toBe('readable');
    expect(readability(await s.store.head(bucket, 'it/a'))).toBe('restored');
    expect(formatCrc64(crc64(await readAll((await s.store.get(bucket, 'it/a')).body)))).toBe(crc);
  });

  it('INTELLIGENT_TIERING in FREQUENT or INFREQUENT needs no restore', async () => {
    const [bucket] = s.buckets;
    await putWithState(s.emu, 'cos', bucket, 'it/b', body, { storageClass: 'INTELLIGENT_TIERING' });
    await setStorageTier(s.emu, bucket, 'it/b', 'INFREQUENT');
    const info = await s.store.head(bucket, 'it/b');
    expect(info.storageTier).toBe('INFREQUENT');
    expect(readability(info)).toBe('readable');
    expect(formatCrc64(crc64(await readAll((await s.store.get(bucket, 'it/b')).body)))).toBe(crc);
  });
});

describe('oss: ColdArchive and DeepColdArchive', () => {
  const s = emulatorSuite('oss', ['cold']);

  it.each(['ColdArchive', 'DeepColdArchive'])('%s is archived until restored', async (cls) => {
    s.emu.setRestoreTiming({ delayMs: 150, dayMs: 60_000 });
    const [bucket] = s.buckets;
    const key = `cold/${cls}`;
    await putWithState(s.emu, 'oss', bucket, key, body, { storageClass: cls });
    const info = await s.store.head(bucket, key);
    expect(info.storageClass).toBe(cls);
    expect(readability(info)).toBe('archived');
    expect((await caughtStorage(s.store.get(bucket, key))).kind).toBe('archived');
    await restoreAndWait(s.store, bucket, key, { request: { days: 1, tier: 'Bulk' }, pollMs: 50 });
    expect(formatCrc64(crc64(await readAll((await s.store.get(bucket, key)).body)))).toBe(crc);
  });
});
