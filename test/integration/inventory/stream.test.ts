import { join } from 'node:path';
import { Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnIndex, findLatestManifest, type InventoryLocation } from '../../../src/inventory';
import { ReportFileError, streamReport, type ReportStreamOptions } from '../../../src/inventory/stream';
import type { ObjectStore } from '../../../src/storage/types';
import { CancelledError } from '../../../src/util/errors';
import { bundleForTest } from '../../support/bundle';
import { makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { writeReport, type FixtureRow } from './reportFixture';

/**
 * A report read as it streams (`streamReport`), parsed in this thread and in the bundle's parser thread:
 * every row of every file in the manifest's order, the prefix kept to, a damaged file named, a reader that
 * stops early or is cancelled leaves nothing running, and a slow reader holds the body back.
 */

const rows = (n: number, from = 0): FixtureRow[] =>
  Array.from({ length: n }, (_, j) => ({
    key: `d/f${String(from + j).padStart(6, '0')}`,
    size: from + j,
    etag: 'e',
    crc64: String(from + j),
  }));

describe.each(['inline', 'thread'] as const)('a report streamed (parsed %s)', (mode) => {
  let parserPath: string | false = false;
  let emu: Emulator;
  let store: ObjectStore;
  let bucket: string;
  const location = (inventoryId: string): InventoryLocation => ({
    provider: 'oss',
    sourceBucket: bucket,
    inventoryId,
    destinationBucket: bucket,
    destinationPrefix: 'inv',
  });
  const open = async (id: string, extra: Partial<ReportStreamOptions> = {}): Promise<ReportStreamOptions> => {
    const found = await findLatestManifest(store, location(id));
    return { store, location: location(id), found, cols: columnIndex(found.manifest, id), prefix: 'd/', parserPath, ...extra };
  };
  const write = (id: string, files: FixtureRow[][], damage?: (i: number, gz: Buffer) => Buffer) =>
    writeReport(store, bucket, {
      provider: 'oss',
      sourceBucket: bucket,
      inventoryId: id,
      prefix: 'inv',
      run: '2024-01-02T03-04Z',
      files,
      ...(damage ? { damage } : {}),
    });

  beforeAll(async () => {
    if (mode === 'thread') parserPath = join(await bundleForTest(['src/inventory/worker.ts']), 'inventory-worker.js');
    emu = await startTestEmulator();
    store = await emulatorStore(emu, 'oss');
    bucket = await makeOssBucket(emu, 'streamed');
  });
  afterAll(async () => {
    await emu.close();
  });

  it('yields every row below the prefix, file after file, in batches', async () => {
    await write('all', [
      rows(12_000),
      [{ key: 'other/x', size: 1, etag: 'e', crc64: '1' }, ...rows(3, 12_000)],
      [{ key: 'd/legacy', size: 2, etag: 'e' }],
    ]);
    let requests = 0;
    const keys: string[] = [];
    const crcs: Array<string | null> = [];
    let batches = 0;
    for await (const c of streamReport(await open('all', { onRequest: () => requests++ }))) {
      batches++;
      keys.push(...c.keys);
      crcs.push(...c.crc64s);
    }
    expect(keys).toEqual([...rows(12_003).map((r) => r.key), 'd/legacy']);
    expect(crcs.slice(-2)).toEqual(['12002', null]);
    expect(batches).toBeGreaterThan(2);
    expect(requests).toBe(3);
  });

  it('names a damaged data file, after the rows of the files before it', async () => {
    await write('damaged', [rows(10), rows(10, 10)], (i, gz) => (i === 1 ? gz.subarray(0, gz.length - 9) : gz));
    const keys: string[] = [];
    const read = async () => {
      for await (const c of streamReport(await open('damaged'))) keys.push(...c.keys);
    };
    const err = await read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportFileError);
    expect((err as ReportFileError).file).toMatch(/-1\.csv\.gz$/);
    expect(keys.slice(0, 10)).toEqual(rows(10).map((r) => r.key));
  });

  it('holds the body back while the reader waits, and a reader that stops early leaves nothing open', async () => {
    // Rows that do not pack small: the report is a few megabytes compressed.
    const big = Array.from({ length: 600_000 }, (_, j) => ({
      key: `d/${(j * 2654435761).toString(36)}/f${String(j).padStart(6, '0')}`,
      size: j,
      etag: 'e',
      crc64: String((j * 40503) % 1e9),
    }));
    big.sort((x, y) => (x.key < y.key ? -1 : 1));
    await write('big', [big]);
    let read = 0;
    const counting: Pick<ObjectStore, 'get'> = {
      get: async (b, k, o) => {
        const got = await store.get(b, k, o);
        const counted = got.body.pipe(
          new Transform({
            transform(chunk: Buffer, _enc, cb) {
              read += chunk.length;
              cb(null, chunk);
            },
          }),
        );
        return { ...got, body: counted as unknown as typeof got.body };
      },
    };
    const options = await open('big', { store: counting });
    const total = options.found.manifest.files[0].size!;
    const stream = streamReport(options);
    expect((await stream.next()).done).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    // The reader waited: only a few batches were parsed ahead, not the whole file.
    expect(read).toBeLessThan(total / 2);
    await stream.return(undefined);
    // Every row is there when read to the end.
    let n = 0;
    for await (const c of streamReport(await open('big'))) n += c.keys.length;
    expect(n).toBe(600_000);
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    const read = async () => {
      for await (const c of streamReport(await open('big', { signal: controller.signal }))) {
        expect(c.keys.length).toBeGreaterThan(0);
        controller.abort();
      }
    };
    await expect(read()).rejects.toBeInstanceOf(CancelledError);
  });
});
