import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationOf } from '../../../src/storage/locationIdentity';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { deleteSourceIfProven } from '../../../src/transfer/copy/sourceRemoval';
import { CopyRequestError } from '../../../src/transfer/copy/types';
import { copyRouted, type CopyPlace } from '../../../src/ui/copy/route';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore, textIfExists } from '../../support/emulatorStore';

/**
 * The one rule of every delete after a copy (`deleteSourceIfProven`), and the route the Buckets view's
 * Move or Rename… and drag and drop take (`copyRouted`), on both clouds against the emulator.
 */

let emu: Emulator;
const stores = {} as Record<ProviderKind, ObjectStore>;
const buckets = {} as Record<ProviderKind, string>;

beforeAll(async () => {
  emu = await startTestEmulator();
  for (const p of ['cos', 'oss'] as const) {
    stores[p] = await emulatorStore(emu, p, { maxRetries: 0, retryBaseDelayMs: 1 });
    buckets[p] = p === 'cos' ? await makeCosBucket(emu, 'mvrule') : await makeOssBucket(emu, 'mvrule');
  }
});
afterAll(async () => {
  await emu?.close();
});

const text = (p: ProviderKind, key: string): Promise<string | undefined> => textIfExists(stores[p], buckets[p], key);

describe.each(['cos', 'oss'] as const)('deleteSourceIfProven on %s', (p: ProviderKind) => {
  const at = (key: string, endpoint = emu.endpoint) => locationOf(connectionOptions(emu, p, { endpoint }), buckets[p], key);
  const removal = async (key: string, read: Awaited<ReturnType<ObjectStore['head']>>, destination = at(`elsewhere/${key}`)) =>
    deleteSourceIfProven(stores[p], { source: at(key), destination, bucket: buckets[p], key, read, verified: true });

  it('deletes a source that is still the object that was read', async () => {
    await stores[p].put(buckets[p], 'rule/same.txt', Buffer.from('unchanged'));
    const read = await stores[p].head(buckets[p], 'rule/same.txt');
    expect(await removal('rule/same.txt', read)).toEqual({ sourceDeleted: true });
    expect(await text(p, 'rule/same.txt')).toBeUndefined();
  });

  it('keeps a source rewritten since it was read (new ETag), and one rewritten with the same bytes (new LastModified)', async () => {
    await stores[p].put(buckets[p], 'rule/changed.txt', Buffer.from('first'));
    const read = await stores[p].head(buckets[p], 'rule/changed.txt');
    await stores[p].put(buckets[p], 'rule/changed.txt', Buffer.from('second'));
    const changed = await removal('rule/changed.txt', read);
    expect(changed.sourceDeleted).toBe(false);
    expect(changed.keptBecause).toMatch(/changed after it was copied .*ETag/);
    expect(await text(p, 'rule/changed.txt')).toBe('second');

    await stores[p].put(buckets[p], 'rule/rewritten.txt', Buffer.from('same bytes'));
    const before = await stores[p].head(buckets[p], 'rule/rewritten.txt');
    // LastModified has a resolution of one second on the wire.
    await new Promise((r) => setTimeout(r, 1100));
    await stores[p].put(buckets[p], 'rule/rewritten.txt', Buffer.from('same bytes'));
    const rewritten = await removal('rule/rewritten.txt', before);
    expect(rewritten.sourceDeleted).toBe(false);
    expect(rewritten.keptBecause).toMatch(/written again/);
    expect(await text(p, 'rule/rewritten.txt')).toBe('same bytes');
  });

  it('keeps the source of an unverified copy, and of a copy onto itself under another endpoint spelling, without a request', async () => {
    await stores[p].put(buckets[p], 'rule/self.txt', Buffer.from('only copy'));
    const read = await stores[p].head(buckets[p], 'rule/self.txt');
    emu.clearRequests();
    const self = await removal('rule/self.txt', read, at('rule/self.txt', `http://localhost:${emu.port}/`));
    expect(self).toMatchObject({ sourceDeleted: false, keptBecause: expect.stringMatching(/the source itself/) });
    const unverified = await deleteSourceIfProven(stores[p], {
      source: at('rule/self.txt'),
      destination: at('x'),
      bucket: buckets[p],
      key: 'rule/self.txt',
      read,
      verified: false,
    });
    expect(unverified).toMatchObject({ sourceDeleted: false, keptBecause: 'the copy is not verified' });
    expect(emu.requests()).toEqual([]);
    expect(await text(p, 'rule/self.txt')).toBe('only copy');
  });
});

describe.each(['cos', 'oss'] as const)('Move or Rename… between two profiles that reach one %s service', (p: ProviderKind) => {
  const place = (endpoint: string, key: string, ownKeys = false): CopyPlace => ({
    store: stores[p],
    endpoint: { connection: connectionOptions(emu, p, { endpoint }), ownKeys },
    bucket: buckets[p],
    key,
  });

  it('refuses a move onto the same object reached as localhost and 127.0.0.1 (streamed or server-side), keeping it', async () => {
    await stores[p].put(buckets[p], 'route/only.txt', Buffer.from('the only copy'));
    for (const ownKeys of [true, false]) {
      const from = place(emu.endpoint, 'route/only.txt');
      const to = place(`http://LOCALHOST:${emu.port}/`, 'route/only.txt', ownKeys);
      await expect(copyRouted(from, to, { move: true, overwrite: true })).rejects.toThrow(CopyRequestError);
      await expect(copyRouted(from, to, { move: true, overwrite: true })).rejects.toThrow(/onto itself/);
      expect(await text(p, 'route/only.txt')).toBe('the only copy');
    }
  });

  it('moves to another key through the other spelling: verified, then the source deleted', async () => {
    await stores[p].put(buckets[p], 'route/go.txt', Buffer.from('moving'));
    const outcome = await copyRouted(place(emu.endpoint, 'route/go.txt'), place(`http://localhost:${emu.port}`, 'route/gone.txt', true), {
      move: true,
      overwrite: false,
    });
    expect(outcome).toMatchObject({ method: 'stream', verified: true, sourceDeleted: true });
    expect(await text(p, 'route/go.txt')).toBeUndefined();
    expect(await text(p, 'route/gone.txt')).toBe('moving');
  });
});
