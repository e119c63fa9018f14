import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore } from '../../../src/storage/types';
import { makeCosBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';

/**
 * COS listing pages go out on the store's agent, signed by the SDK's `COS.getAuthorization`
 * (src/storage/cos/directList.ts), not through the SDK's request path: the emulator checks each signature
 * as COS documents it, so a query written differently from what was signed is refused here.
 */
describe('COS listing sent without the SDK request path', () => {
  let emu: Emulator;
  let store: ObjectStore;
  let bucket: string;
  // Characters a query must encode the way they were signed: space, plus, percent, the five !'()*, & = ? #, non-ASCII.
  const keys = ["d/a b+c%20(1)!'*.txt", 'd/a&b=c?d#e', 'd/naïve café', 'd/数据/😀', 'd/x+y', 'd/~tilde'].sort();

  beforeAll(async () => {
    emu = await startTestEmulator();
    store = await emulatorStore(emu, 'cos');
    bucket = await makeCosBucket(emu, 'direct');
    for (const key of keys) await store.put(bucket, key, Buffer.from(key));
  });
  afterAll(() => emu.close());

  it('pages with a marker and a prefix holding every character a query escapes', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await store.list(bucket, { prefix: 'd/', pageSize: 1, ...(pageToken ? { pageToken } : {}) });
      seen.push(...page.objects.map((o) => o.key));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken && pages < 20);
    expect(seen.sort()).toEqual(keys);
    for (const key of keys) expect((await store.list(bucket, { prefix: key })).objects.map((o) => o.key)).toEqual([key]);
    const folders = await store.list(bucket, { prefix: 'd/', delimiter: '/' });
    expect(folders.prefixes).toEqual(['d/数据/']);
  });

  it('a missing bucket and refused keys are the same typed errors as through the SDK', async () => {
    const missing = await store.list('gone-1250000000').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StorageError);
    expect((missing as StorageError).kind).toBe('no-such-bucket');
    const wrong = await emulatorStore(emu, 'cos', { credentials: { accessKeyId: emu.cos.secretId, secretAccessKey: 'not-the-secret' } });
    const refused = await wrong.list(bucket).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StorageError);
    expect((refused as StorageError).kind).toBe('credentials');
    expect((refused as StorageError).message).not.toContain('not-the-secret');
  });

  it("a clock an hour fast: the first listing says so, the SDK learns the service's clock, the next listing works", async () => {
    const skewedStore = await emulatorStore(emu, 'cos');
    // The emulator runs in this process (one clock): the store's own offset stands in for a computer clock an hour fast.
    (skewedStore as unknown as { clients: { clockOffset: number } }).clients.clockOffset = 3600_000;
    const first = await skewedStore.list(bucket, { prefix: 'd/' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StorageError);
    expect((first as StorageError).message).toContain('RequestTimeTooSkewed');
    expect((skewedStore as unknown as { clients: { clockOffset: number } }).clients.clockOffset).toBeLessThan(60_000);
    expect((await skewedStore.list(bucket, { prefix: 'd/' })).objects.map((o) => o.key).sort()).toEqual(keys);
  });
});
