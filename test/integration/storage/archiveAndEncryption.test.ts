import { describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { isRestorable } from '../../../src/storage/capabilities';
import { canReadBytes, readability } from '../../../src/storage/objectState';
import { PROVIDER_KINDS } from '../../../src/storage/traits';
import { emulatorStore, withCapability } from '../../support/emulatorStore';
import { newCustomerKey, putWithState } from '../../support/objectState';
import { caughtStorage, emulatorSuite, readAll } from './helpers';

/**
 * The adapters over archived and encrypted objects written by the vendors' SDKs: storage class and restore
 * state from HEAD, the restore call as a capability, and typed errors instead of a raw 403 / 400.
 */

const body = Buffer.from('cold and encrypted bytes\n'.repeat(40));
const crc = formatCrc64(crc64(body));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ARCHIVE = { cos: 'DEEP_ARCHIVE', oss: 'Archive' } as const;
const COOL = { cos: 'STANDARD_IA', oss: 'IA' } as const;
const KMS = { cos: 'cos/kms', oss: 'KMS' } as const;

describe.each(PROVIDER_KINDS)('%s: storage classes and restore', (provider) => {
  const s = emulatorSuite(provider, ['arch']);

  it('HEAD shows the class; GET of an archived object is an "archived" error; a restore makes it readable', async () => {
    s.emu.setRestoreTiming({ delayMs: 300, dayMs: 60_000 });
    const [bucket] = s.buckets;
    await putWithState(s.emu, provider, bucket, 'deep/a', body, { storageClass: ARCHIVE[provider] });
    const info = await s.store.head(bucket, 'deep/a');
    expect(info).toMatchObject({ storageClass: ARCHIVE[provider], crc64: crc, size: body.length });
    expect(readability(info)).toBe('archived');
    const listed = (await s.store.list(bucket, { prefix: 'deep/' })).objects[0];
    expect(listed.storageClass).toBe(ARCHIVE[provider]);
    const err = await caughtStorage(s.store.get(bucket, 'deep/a'));
    expect(err.kind).toBe('archived');
    expect(err.message).toMatch(/archive storage class and must be restored/);

    const store = withCapability(s.store, isRestorable, 'Restorable');
    expect(await store.restoreObject(bucket, 'deep/a', { days: 1, tier: 'Expedited' })).toBe('started');
    expect(await store.restoreObject(bucket, 'deep/a', { days: 1, tier: 'Expedited' })).toBe('in-progress');
    const ongoing = await s.store.head(bucket, 'deep/a');
    expect(ongoing.restore).toEqual({ ongoing: true, expiry: undefined });
    expect(readability(ongoing)).toBe('restoring');
    await wait(400);
    const done = await s.store.head(bucket, 'deep/a');
    expect(readability(done)).toBe('restored');
    expect(done.restore!.expiry!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(canReadBytes(done)).toBe(true);
    const got = await s.store.get(bucket, 'deep/a');
    expect(got.info.restore?.ongoing).toBe(false);
    expect(formatCrc64(crc64(await readAll(got.body)))).toBe(crc);
    expect(await store.restoreObject(bucket, 'deep/a', { days: 2, tier: 'Standard' })).toBe('extended');
  });

  it('a restore of an object that is not archived is "not-archived"', async () => {
    const [bucket] = s.buckets;
    await putWithState(s.emu, provider, bucket, 'cool/a', body, { storageClass: COOL[provider] });
    expect((await s.store.head(bucket, 'cool/a')).storageClass).toBe(COOL[provider]);
    const store = withCapability(s.store, isRestorable, 'Restorable');
    const err = await caughtStorage(store.restoreObject(bucket, 'cool/a', { days: 1, tier: 'Standard' }));
    expect(err.kind).toBe('not-archived');
  });
});

describe.each(PROVIDER_KINDS)('%s: server-side encryption', (provider) => {
  const s = emulatorSuite(provider, ['enc']);

  it('HEAD names SSE-KMS; its CRC-64 is the plaintext one', async () => {
    const [bucket] = s.buckets;
    await putWithState(s.emu, provider, bucket, 'kms', body, { sse: KMS[provider] });
    expect(await s.store.head(bucket, 'kms')).toMatchObject({ encryption: KMS[provider], crc64: crc });
  });

  it('SSE-C: without a key "customer-key-required", another key "customer-key-wrong", the key reads it; never a key in a message', async () => {
    const [bucket] = s.buckets;
    const key = newCustomerKey();
    const wrong = newCustomerKey();
    await putWithState(s.emu, provider, bucket, 'ssec', body, { customerKey: key });
    const none = await caughtStorage(s.store.head(bucket, 'ssec'));
    expect(none.kind).toBe('customer-key-required');
    expect(none.message).toMatch(/encrypted with a customer key \(SSE-C\): set it to check/);
    expect((await caughtStorage(s.store.get(bucket, 'ssec'))).kind).toBe('customer-key-required');

    const wrongStore = await emulatorStore(s.emu, provider, { customerKey: wrong });
    const bad = await caughtStorage(wrongStore.head(bucket, 'ssec'));
    expect(bad.kind).toBe('customer-key-wrong');
    expect((await caughtStorage(wrongStore.get(bucket, 'ssec'))).kind).toBe('customer-key-wrong');
    for (const e of [bad, none]) expect(`${e.message} ${e.hint}`).not.toContain(wrong.slice(0, 12));

    const keyed = await emulatorStore(s.emu, provider, { customerKey: key });
    expect(await keyed.head(bucket, 'ssec')).toMatchObject({ encryption: 'SSE-C', crc64: crc });
    expect(formatCrc64(crc64(await readAll((await keyed.get(bucket, 'ssec')).body)))).toBe(crc);
    // A copy sends the source's key and writes the copy with it: still unreadable without the key.
    const copied = await keyed.copyObject(bucket, 'ssec', bucket, 'ssec-copy');
    expect(copied.crc64).toBe(crc);
    expect((await keyed.head(bucket, 'ssec-copy')).encryption).toBe('SSE-C');
    expect((await caughtStorage(s.store.head(bucket, 'ssec-copy'))).kind).toBe('customer-key-required');
    expect((await caughtStorage(s.store.copyObject(bucket, 'ssec', bucket, 'x'))).kind).toBe('customer-key-required');
  });
});
