import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory } from '../../../src/inventory';
import { combinedLine, verifyPrefix, type VerifyOptions, type VerifyResult } from '../../../src/integrity/verify';
import { CrcRecord } from '../../../src/record';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { isCancelled } from '../../../src/util/errors';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { writeReport, type FixtureRow } from '../inventory/reportFixture';

describe.each(['cos', 'oss'] as const)('verify a %s prefix', (provider: ProviderKind) => {
  let emu: Emulator;
  let store: ObjectStore;
  let tmp: ReturnType<typeof makeTempDir>;
  let record: CrcRecord;
  const profile = 'local';
  const newBucket = () => (provider === 'cos' ? makeCosBucket(emu, 'ver') : makeOssBucket(emu, 'ver'));
  const heads = () => emu.requests().filter((r) => r.op === 'HeadObject').length;
  async function run(
    extra: Partial<VerifyOptions> & { bucket: string; prefix: string },
  ): Promise<{ results: VerifyResult[]; summary: Awaited<ReturnType<typeof verifyPrefix>> }> {
    const results: VerifyResult[] = [];
    const summary = await verifyPrefix({ store, record, profile, onResult: (r) => results.push(r), ...extra });
    return { results, summary };
  }
  /** The service's own view of the objects, as an inventory would list it. */
  async function inventoryRows(bucket: string, keys: string[]): Promise<FixtureRow[]> {
    return Promise.all(
      keys.map(async (key) => {
        const h = await store.head(bucket, key);
        return {
          key,
          size: h.size,
          etag: h.etag!.replace(/"/g, ''),
          lastModified: h.lastModified!.toISOString(),
          ...(h.crc64 ? { crc64: h.crc64 } : {}),
        };
      }),
    );
  }

  beforeAll(async () => {
    emu = await startTestEmulator();
    store = await emulatorStore(emu, provider);
    tmp = makeTempDir('bi-verify-');
    record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
  });
  afterAll(async () => {
    record.close();
    tmp.cleanup();
    await emu.close();
  });

  it('checks against the record: HEADs only what the inventory did not know, and nothing the second time', async () => {
    const bucket = await newBucket();
    const dest = await newBucket();
    const keys = Array.from({ length: 12 }, (_, i) => `d/k${String(i).padStart(2, '0')}`);
    for (const k of keys) await store.put(bucket, k, Buffer.from(`content of ${k}`));
    await emu.putLegacyObject(provider, bucket, 'd/legacy', 'old bytes');
    const listed = await inventoryRows(bucket, [...keys, 'd/legacy']);
    const run1 = provider === 'cos' ? '20240101' : '2024-01-01T00-00Z';
    await writeReport(store, dest, { provider, sourceBucket: bucket, inventoryId: 'inv', prefix: '', run: run1, files: [listed] });
    await importInventory({
      store,
      record,
      profile,
      location: { provider, sourceBucket: bucket, inventoryId: 'inv', destinationBucket: dest, destinationPrefix: '' },
    });
    // After the inventory ran: one object added, one replaced, one deleted.
    await store.put(bucket, 'd/new', Buffer.from('new'));
    await store.put(bucket, 'd/k03', Buffer.from('replaced, longer than before'));
    await store.deleteObject(bucket, 'd/k05');

    emu.clearRequests();
    const first = await run({ bucket, prefix: 'd' });
    expect(heads()).toBe(2);
    expect(first.summary.requests.head).toBe(2);
    const byKey = new Map(first.results.map((r) => [r.key, r]));
    expect(byKey.has('d/k05')).toBe(false);
    expect(byKey.get('d/legacy')?.status).toBe('no-crc');
    expect(byKey.get('d/new')?.status).toBe('match');
    expect(byKey.get('d/k03')?.remoteCrc64).toBe((await store.head(bucket, 'd/k03')).crc64);
    expect(first.summary.counts).toMatchObject({ total: 13, match: 12, 'no-crc': 1, differ: 0 });
    expect(first.results.map((r) => r.key)).toEqual([...first.results.map((r) => r.key)].sort());
    expect(record.objects.get({ profile, bucket }, 'd/k05')).toBeUndefined();

    emu.clearRequests();
    const second = await run({ bucket, prefix: 'd/' });
    expect(heads()).toBe(0);
    expect(second.summary.counts).toEqual(first.summary.counts);

    // Against the record alone: not one request (and a folder marker an inventory listed is no file).
    record.objects.upsertMany({ profile, bucket }, [{ key: 'd/sub/', size: 0, etag: 'm', source: 'inventory' }]);
    emu.clearRequests();
    const recordOnly = await run({ bucket, prefix: 'd/', listing: false, pageSize: 4 });
    expect(emu.requests()).toEqual([]);
    expect(recordOnly.summary.counts).toEqual(first.summary.counts);
    expect(recordOnly.results.map((r) => r.key)).toEqual(second.results.map((r) => r.key));
  });

  it('flags an object whose CRC-64 changed while its ETag did not', async () => {
    const bucket = await newBucket();
    await store.put(bucket, 'x/a', Buffer.from('aaa'));
    await store.put(bucket, 'x/b', Buffer.from('bbb'));
    await run({ bucket, prefix: 'x/' });
    const a = record.objects.get({ profile, bucket }, 'x/a')!;
    // A later report (an inventory, a download) says another CRC-64 for the same content.
    record.objects.upsertMany({ profile, bucket }, [
      { key: 'x/a', etag: a.etag, size: a.size, lastModified: a.lastModified, crc64: '12345', source: 'inventory' },
    ]);
    emu.clearRequests();
    const { results } = await run({ bucket, prefix: 'x/' });
    expect(heads()).toBe(0);
    expect(results.map((r) => combinedLine(r, 'x/'))).toEqual(['* a', '= b']);
    expect(results[0]).toMatchObject({ status: 'differ', previousCrc64: a.crc64, remoteCrc64: '12345' });
    expect(results[0].detail).toMatch(/while the ETag and size stayed the same/);
  });

  it('compares with a local folder like rclone check --combined', async () => {
    const bucket = await newBucket();
    const dir = join(tmp.dir, `local-${provider}`);
    const put = (k: string, text: string) => store.put(bucket, `site/${k}`, Buffer.from(text));
    const file = (rel: string, text: string) => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    await put('same.txt', 'identical');
    file('same.txt', 'identical');
    await put('changed.txt', 'abc');
    file('changed.txt', 'abd');
    await put('sized.txt', 'abc');
    file('sized.txt', 'abcd');
    await put('remote-only.txt', 'r');
    file('local-only.txt', 'l');
    file('sub/zz.txt', 'z');
    await put('sub/zz.txt', 'z');
    await emu.putLegacyObject(provider, bucket, 'site/legacy.txt', 'x');
    file('legacy.txt', 'x');
    // Into the next second: files changed in the second their hashing begins are never remembered (racy).
    await new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
    const { results, summary } = await run({ bucket, prefix: 'site', localDir: dir });
    expect(results.map((r) => combinedLine(r, 'site/'))).toEqual([
      '* changed.txt',
      '? legacy.txt',
      '+ local-only.txt',
      '- remote-only.txt',
      '= same.txt',
      '* sized.txt',
      '= sub/zz.txt',
    ]);
    expect(results.find((r) => r.key === 'site/sized.txt')?.detail).toMatch(/sizes differ/);
    expect(summary.counts).toMatchObject({ total: 7, match: 2, differ: 2, 'only-local': 1, 'only-remote': 1, 'no-crc': 1 });
    // The second time the local files come from the record's local-files store: none is read again.
    let hashed = 0;
    await run({ bucket, prefix: 'site', localDir: dir, hashFiles: async (paths) => ((hashed += paths.length), []) });
    expect(hashed).toBe(0);
  });

  it('never reports more objects done than expected when local files outnumber the recorded objects', async () => {
    const bucket = await newBucket();
    const dir = join(tmp.dir, `outnumber-${provider}`);
    mkdirSync(dir, { recursive: true });
    for (const k of ['a', 'b', 'c', 'd']) {
      await store.put(bucket, `p/${k}`, Buffer.from(k));
      writeFileSync(join(dir, k), k);
    }
    await run({ bucket, prefix: 'p', localDir: dir, restart: true });
    // The record now knows 4 objects; 2 more files exist only locally.
    writeFileSync(join(dir, 'e'), 'e');
    writeFileSync(join(dir, 'f'), 'f');
    const seen: Array<{ done: number; total?: number }> = [];
    const { summary } = await run({
      bucket,
      prefix: 'p',
      localDir: dir,
      restart: true,
      onProgress: (p) => seen.push({ done: p.done, total: p.total }),
    });
    expect(summary.counts.total).toBe(6);
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) if (p.total !== undefined) expect(p.done).toBeLessThanOrEqual(p.total);
    expect(seen.at(-1)).toEqual({ done: 6, total: 6 });
  });

  it('continues a stopped run where it stopped', async () => {
    const bucket = await newBucket();
    const keys = Array.from({ length: 12 }, (_, i) => `r/${String(i).padStart(2, '0')}`);
    for (const k of keys) await store.put(bucket, k, Buffer.from(k));
    const controller = new AbortController();
    const seen: string[] = [];
    const err = await verifyPrefix({
      store,
      record,
      profile,
      bucket,
      prefix: 'r/',
      pageSize: 5,
      signal: controller.signal,
      onResult: (r) => {
        seen.push(r.key);
        if (seen.length === 5) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(isCancelled(err)).toBe(true);
    emu.clearRequests();
    const { results, summary } = await run({ bucket, prefix: 'r/', pageSize: 5 });
    expect(summary.resumed).toBe(true);
    expect(results.map((r) => r.key)).toEqual(keys.slice(5));
    expect(heads()).toBe(7);
    expect(summary.counts).toMatchObject({ total: 12, match: 12 });
    const again = await run({ bucket, prefix: 'r/', pageSize: 5 });
    expect(again.summary.resumed).toBe(false);
    expect(again.results).toHaveLength(12);
  });
});
