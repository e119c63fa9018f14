import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllObjects } from '../../../src/storage';
import { StorageError } from '../../../src/storage/errors';
import { listRanges, type RangedListOptions } from '../../../src/storage/rangedListing';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { isCancelled } from '../../../src/util/errors';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';

/**
 * A prefix listed as key ranges at once (COS `marker`, OSS `start-after`), through the product's stores
 * and the real SDKs against the emulator: the ranges together give the ordinary listing, key for key.
 */
describe.each(['cos', 'oss'] as const)('listing by key ranges (%s)', (provider: ProviderKind) => {
  let emu: Emulator;
  let store: ObjectStore;
  let bucket: string;
  let expected: string[];
  const extra = ['r/x/a', 'r/x/a b', 'r/x/a/', 'r/x/ü', 'r/x/数据', 'r/x/😀', 'r/x/\uffff', 'r/y'];

  beforeAll(async () => {
    emu = await startTestEmulator();
    store = await emulatorStore(emu, provider);
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'ranges') : await makeOssBucket(emu, 'ranges');
    await emu.seedObjects(provider, bucket, { prefix: 'r/s/', count: 2500 });
    for (const key of [...extra, 'other/z', 'r']) await store.put(bucket, key, Buffer.from(key));
    expected = (await listAllObjects(store, bucket, 'r/')).map((o) => o.key);
  });
  afterAll(() => emu.close());

  async function keys(splits: string[], options: RangedListOptions = {}): Promise<{ keys: string[]; lastPages: number; lists: number }> {
    const out: string[] = [];
    let lastPages = 0;
    let lists = 0;
    for await (const page of listRanges(store, bucket, 'r/', splits, { pageSize: 97, onRequest: () => lists++, ...options })) {
      out.push(...page.objects.map((o) => o.key));
      if (page.last) lastPages++;
    }
    return { keys: out, lastPages, lists };
  }

  it('gives every key exactly once, in order, wherever the cuts fall', async () => {
    expect(expected.length).toBe(2500 + extra.length);
    const seeded = (i: number) => `r/s/${String(i).padStart(4, '0')}`;
    const cases: string[][] = [
      [],
      // Cuts on existing keys, on page boundaries (97 a page) and between keys that exist.
      [seeded(0), seeded(96), seeded(97), seeded(1000), 'r/s/1000x', seeded(2499), 'r/x/a', 'r/x/😀'],
      // Unsorted, doubled, before the prefix, past the prefix, after every key.
      ['r/x/ü', seeded(5), seeded(5), 'a', 'z', 'r/zzz', 'r/x/\uffff'],
      // A cut every few keys: many ranges of a page or less.
      expected.filter((_, i) => i % 40 === 3),
    ];
    for (const splits of cases) {
      const got = await keys(splits, { concurrency: 3, ahead: 1 });
      expect(got.keys).toEqual(expected);
      expect(got.lastPages).toBe(1);
    }
  });

  it('starts after a key (a resumed run) and cuts only what follows it', async () => {
    const after = expected[1234];
    const got = await keys([expected[10], expected[2000], expected[2300]], { after });
    expect(got.keys).toEqual(expected.slice(1235));
  });

  it('lists the ranges side by side: more requests in flight than one', async () => {
    let inFlight = 0;
    let most = 0;
    const id = emu.faults.hook({ dialect: provider, bucket }, async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
    });
    try {
      const cuts = [500, 1000, 1500, 2000].map((i) => expected[i]);
      expect((await keys(cuts, { concurrency: 4, ahead: 2 })).keys).toEqual(expected);
    } finally {
      emu.faults.remove(id);
    }
    expect(most).toBeGreaterThan(1);
  });

  it('retries a range whose request failed once, and still gives every key once', async () => {
    emu.faults.add({
      dialect: provider,
      bucket,
      op: provider === 'cos' ? 'ListObjects' : 'ListObjectsV2',
      times: 2,
      action: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
    });
    const got = await keys([expected[700], expected[1400]], { concurrency: 3 });
    expect(got.keys).toEqual(expected);
  });

  it('stops every range on an error that is not retried, and reports it (not a cancel)', async () => {
    emu.faults.add({
      dialect: provider,
      bucket,
      op: provider === 'cos' ? 'ListObjects' : 'ListObjectsV2',
      times: 1,
      action: { kind: 'status', status: 403, code: 'AccessDenied' },
    });
    const err = await keys([expected[700], expected[1400]], { concurrency: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(isCancelled(err)).toBe(false);
  });

  it('stops when cancelled, and when the consumer leaves early', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const err = await (async () => {
      for await (const page of listRanges(store, bucket, 'r/', [expected[900], expected[1800]], {
        pageSize: 97,
        signal: controller.signal,
      })) {
        seen.push(...page.objects.map((o) => o.key));
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(isCancelled(err)).toBe(true);
    expect(seen).toEqual(expected.slice(0, 97));
    let pages = 0;
    for await (const page of listRanges(store, bucket, 'r/', [expected[900]], { pageSize: 97 })) {
      expect(page.objects.length).toBeGreaterThan(0);
      if (++pages === 2) break;
    }
    expect(pages).toBe(2);
  });
});
