import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInventory as importInline, InventoryError, type ImportOptions, type InventoryLocation } from '../../../src/inventory';
import { CrcRecord } from '../../../src/record';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { gzipBomb, writeReport, type FixtureRow } from './reportFixture';

const rows = (n: number, from = 0, crc = (i: number) => String(1000 + i)): FixtureRow[] =>
  Array.from({ length: n }, (_, j) => ({
    key: `data/f${String(from + j).padStart(5, '0')}.bin`,
    size: from + j,
    etag: `e${from + j}`,
    crc64: crc(from + j),
  }));

// Each case twice: files parsed in this thread, and in the parser thread of the bundle (the shipped path).
const modes = (['cos', 'oss'] as const).flatMap((provider) => (['inline', 'thread'] as const).map((mode) => [provider, mode] as const));

describe.each(modes)('inventory import (%s, parsed %s)', (provider: ProviderKind, mode) => {
  let parserPath: string | false = false;
  const importInventory = (o: ImportOptions) => importInline({ ...o, parserPath });
  let emu: Emulator;
  let store: ObjectStore;
  let source: string;
  let dest: string;
  let tmp: ReturnType<typeof makeTempDir>;
  let record: CrcRecord;
  const profile = 'local';
  const run = (d: number) => (provider === 'cos' ? `2024010${d}` : `2024-01-0${d}T03-04Z`);
  const location = (inventoryId: string): InventoryLocation => ({
    provider,
    sourceBucket: source,
    inventoryId,
    destinationBucket: dest,
    destinationPrefix: 'reports',
  });

  beforeAll(async () => {
    if (mode === 'thread') parserPath = join(await bundleForTest(['src/inventory/worker.ts']), 'inventory-worker.js');
    emu = await startTestEmulator();
    store = await emulatorStore(emu, provider);
    source = provider === 'cos' ? await makeCosBucket(emu, 'src') : await makeOssBucket(emu, 'src');
    dest = provider === 'cos' ? await makeCosBucket(emu, 'dst') : await makeOssBucket(emu, 'dst');
    tmp = makeTempDir('bi-inv-');
    record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
  });
  afterAll(async () => {
    record.close();
    tmp.cleanup();
    await emu.close();
  });

  it('imports the newest report: every row, URL-encoded keys decoded, CSV quoting honoured', async () => {
    await writeReport(store, dest, {
      provider,
      sourceBucket: source,
      inventoryId: 'crc',
      prefix: 'reports',
      run: run(1),
      files: [rows(3, 0, () => '1')],
    });
    const special: FixtureRow[] = [
      { key: 'docs/a b+c,"d".txt', size: 9, etag: 'x1', crc64: '18446744073709551615' },
      { key: 'docs/数据/ü.bin', size: 10, etag: 'x2', crc64: '7' },
      { key: 'docs/legacy.bin', size: 11, etag: 'x3' },
    ];
    await writeReport(store, dest, {
      provider,
      sourceBucket: source,
      inventoryId: 'crc',
      prefix: 'reports',
      run: run(2),
      files: [rows(1200), special],
    });
    const progress: number[] = [];
    const result = await importInventory({
      store,
      record,
      profile,
      location: location('crc'),
      onProgress: (p) => progress.push(p.filesDone),
    });
    expect(result.failed).toEqual([]);
    expect(result.run).toBe(run(2));
    expect(result.rows).toBe(1203);
    expect(progress.at(-1)).toBe(2);
    const scope = { profile, bucket: source };
    expect(record.objects.get(scope, 'data/f00002.bin')).toMatchObject({ size: 2, etag: 'e2', crc64: '1002', source: 'inventory' });
    expect(record.objects.get(scope, 'docs/a b+c,"d".txt')).toMatchObject({ size: 9, crc64: '18446744073709551615' });
    expect(record.objects.get(scope, 'docs/数据/ü.bin')?.crc64).toBe('7');
    expect(record.objects.get(scope, 'docs/legacy.bin')).toMatchObject({ size: 11 });
    expect(record.objects.get(scope, 'docs/legacy.bin')?.crc64).toBeUndefined();
    expect(record.objects.count(scope, 'data/')).toBe(1200);
  });

  it('reports a truncated and a replaced data file, rolls them back, and imports the others', async () => {
    const keys = await writeReport(store, dest, {
      provider,
      sourceBucket: source,
      inventoryId: 'damaged',
      prefix: 'reports',
      run: run(3),
      files: [rows(50, 5000), rows(50, 6000), rows(50, 7000)],
      damage: (i, gz) => (i === 0 ? gz.subarray(0, gz.length - 30) : i === 2 ? Buffer.from(gz).fill(7, 20, 40) : gz),
    });
    const result = await importInventory({ store, record, profile, location: location('damaged') });
    expect(result.failed.map((f) => f.key)).toEqual([keys[0], keys[2]]);
    expect(result.rows).toBe(50);
    const scope = { profile, bucket: source };
    expect(record.objects.get(scope, 'data/f06000.bin')?.crc64).toBe('7000');
    expect(record.objects.get(scope, 'data/f05000.bin')).toBeUndefined();
    expect(record.objects.get(scope, 'data/f07049.bin')).toBeUndefined();
  });

  it('skips, as damaged, a data file that unpacks far past its size or holds a row past the bound', async () => {
    // 40 MiB of empty lines in about 40 KB (many short records, caught by the size ratio) and 2 MiB of one cell.
    const lines = await gzipBomb(40 * 1024 * 1024, 0x0a);
    const cell = await gzipBomb(2 * 1024 * 1024);
    const keys = await writeReport(store, dest, {
      provider,
      sourceBucket: source,
      inventoryId: 'bombs',
      prefix: 'reports',
      run: run(4),
      files: [[], rows(5, 9000), []],
      rawFiles: { 0: lines, 2: cell },
    });
    const result = await importInventory({ store, record, profile, location: location('bombs') });
    expect(result.failed.map((f) => f.key)).toEqual([keys[0], keys[2]]);
    expect(result.failed[0].message).toMatch(/damaged: it unpacks to over 200 times its stated size/);
    expect(result.failed[1].message).toMatch(/damaged: a row is longer than 64 KiB/);
    expect(result.rows).toBe(5);
    expect(record.objects.get({ profile, bucket: source }, 'data/f09004.bin')?.crc64).toBe('10004');
  });

  it('imports only the prefix asked for', async () => {
    await writeReport(store, dest, {
      provider,
      sourceBucket: source,
      inventoryId: 'mixed',
      prefix: 'reports',
      run: run(1),
      files: [[...rows(2, 8000), { key: 'other/x', size: 1, etag: 'o', crc64: '5' }]],
    });
    const result = await importInventory({ store, record, profile, location: location('mixed'), prefix: 'other/' });
    expect(result.rows).toBe(1);
    expect(record.objects.get({ profile, bucket: source }, 'data/f08000.bin')).toBeUndefined();
  });

  it('says an inventory without the Crc64 field has no CRC-64, with the object count for a HEAD estimate', async () => {
    await writeReport(store, dest, {
      provider,
      sourceBucket: source,
      inventoryId: 'nocrc',
      prefix: 'reports',
      run: run(1),
      files: [rows(4)],
      withCrc: false,
    });
    const err = (await importInventory({ store, record, profile, location: location('nocrc') }).catch((e: unknown) => e)) as InventoryError;
    expect(err).toBeInstanceOf(InventoryError);
    expect(err.kind).toBe('no-crc64-field');
    expect(err.message).toMatch(/without the Crc64 field/);
    if (provider === 'cos') expect(err.objectCount).toBe(4);
  });

  it('says when an inventory has written no report', async () => {
    const err = (await importInventory({ store, record, profile, location: location('never') }).catch((e: unknown) => e)) as InventoryError;
    expect(err.kind).toBe('not-found');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(importInventory({ store, record, profile, location: location('crc'), signal: controller.signal })).rejects.toThrow();
  });

  it('stops a file while it is read when cancelled: none of it is recorded', async () => {
    await writeReport(store, dest, {
      provider,
      sourceBucket: source,
      inventoryId: 'slow',
      prefix: 'reports',
      run: run(1),
      files: [rows(3000, 20000)],
    });
    const controller = new AbortController();
    // The data file's body stops half way until the import is cancelled.
    const slow: Pick<ObjectStore, 'list' | 'get'> = {
      list: (b, o) => store.list(b, o),
      get: async (b, k, o) => {
        const got = await store.get(b, k, o);
        if (!k.endsWith('.csv.gz')) return got;
        const bytes: Buffer[] = [];
        for await (const c of got.body) bytes.push(c as Buffer);
        const all = Buffer.concat(bytes);
        const body = new PassThrough();
        body.write(all.subarray(0, all.length >> 1));
        setTimeout(() => controller.abort(), 200);
        return { ...got, body };
      },
    };
    await expect(importInventory({ store: slow, record, profile, location: location('slow'), signal: controller.signal })).rejects.toThrow(
      /cancel/i,
    );
    expect(record.objects.get({ profile, bucket: source }, 'data/f20000.bin')).toBeUndefined();
  });
});
