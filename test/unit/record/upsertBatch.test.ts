import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrcRecord } from '../../../src/record';
import { splitKeys } from '../../../src/record/keySplits';
import { makeTempDir } from '../../support/tempDir';

/**
 * A batch (multi-row statements) records exactly what the same rows recorded one statement each do: same
 * columns, same flags for a CRC-64 that changed under the same ETag and size; and the key ranges a listing
 * is cut into.
 */

let tmp: ReturnType<typeof makeTempDir>;
let record: CrcRecord;
beforeAll(async () => {
  tmp = makeTempDir('bi-upsert-');
  record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
});
afterAll(() => {
  record.close();
  tmp.cleanup();
});

const update = fc.record(
  {
    key: fc.constantFrom('k/a', 'k/b', 'k/ü', 'k/😀', 'k/"q"', 'k/\\', 'k/\n', 'k/c'),
    etag: fc.constantFrom('"E1"', 'e1', 'W/"E2"', ''),
    size: fc.constantFrom(0, 1, 2 ** 40),
    lastModified: fc.constantFrom(0, 1_700_000_000_000),
    crc64: fc.constantFrom('18446744073709551615', '0', '7'),
    source: fc.constantFrom('inventory' as const, 'head' as const, 'upload' as const),
    checkedAt: fc.constantFrom(1, 2),
  },
  { requiredKeys: ['key', 'size', 'source', 'checkedAt'] },
);

describe('record batches', () => {
  let run = 0;
  it('record the same as one row at a time, through every CRC-64 change rule', () => {
    fc.assert(
      fc.property(fc.array(fc.array(update, { minLength: 100, maxLength: 230 }), { minLength: 1, maxLength: 3 }), (batches) => {
        run++;
        const batched = { profile: 'p', bucket: `batched-${run}` };
        const single = { profile: 'p', bucket: `single-${run}` };
        for (const batch of batches) {
          record.objects.upsertMany(batched, batch);
          for (const row of batch) record.objects.upsertMany(single, [row]);
        }
        const strip = (s: typeof batched) => [...record.objects.iterate(s, '')];
        expect(strip(batched)).toEqual(strip(single));
      }),
      { numRuns: 60 },
    );
  });

  it('record columns (an import) the same as the same rows one at a time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(update, { minLength: 1, maxLength: 230 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('inventory' as const, 'head' as const),
        (batches, source) => {
          run++;
          const columns = { profile: 'p', bucket: `columns-${run}` };
          const single = { profile: 'p', bucket: `single-${run}` };
          for (const [n, batch] of batches.entries()) {
            const rows = batch.map((r) => ({ ...r, source, checkedAt: n + 1 }));
            record.objects.upsertColumns(columns, {
              source,
              checkedAt: n + 1,
              keys: rows.map((r) => r.key),
              etags: rows.map((r) => r.etag ?? null),
              sizes: rows.map((r) => r.size),
              lastModified: rows.map((r) => r.lastModified ?? null),
              crc64s: rows.map((r) => r.crc64 ?? null),
            });
            for (const row of rows) record.objects.upsertMany(single, [row]);
          }
          const strip = (s: typeof columns) => [...record.objects.iterate(s, '')];
          expect(strip(columns)).toEqual(strip(single));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('cuts a prefix into ranges at recorded keys, after a resumed key, and not at all when there are few', async () => {
    const scope = { profile: 'p', bucket: 'splits' };
    const keys = Array.from({ length: 1000 }, (_, i) => `d/${String(i).padStart(4, '0')}`);
    record.objects.upsertMany(
      scope,
      [...keys, 'c', 'e'].map((key) => ({ key, size: 1, source: 'head' as const })),
    );
    expect(await splitKeys(record, scope, 'd/', undefined, 4)).toEqual(['d/0249', 'd/0499', 'd/0749']);
    expect(await splitKeys(record, scope, 'd/', 'd/0499', 4)).toEqual(['d/0624', 'd/0749', 'd/0874']);
    expect(await splitKeys(record, scope, 'd/', undefined, 1)).toEqual([]);
    expect(await splitKeys(record, scope, 'x/', undefined, 4)).toEqual([]);
    // Parts of at most 300 keys: 4 of 250 for the whole prefix; after a resumed key, only what is left.
    expect(await splitKeys(record, scope, 'd/', undefined, 100, 300)).toEqual(['d/0249', 'd/0499', 'd/0749']);
    expect(await splitKeys(record, scope, 'd/', 'd/0499', 100, 300)).toEqual(['d/0749']);
    expect(await splitKeys(record, scope, 'd/', 'd/0799', 100, 300)).toEqual([]);
  });

  it('gives the event loop a turn while it cuts many ranges, and cuts them as in one go', async () => {
    const scope = { profile: 'p', bucket: 'many-splits' };
    const keys = Array.from({ length: 1000 }, (_, i) => `d/${String(i).padStart(4, '0')}`);
    record.objects.upsertMany(
      scope,
      keys.map((key) => ({ key, size: 1, source: 'head' as const })),
    );
    let turned = false;
    setImmediate(() => (turned = true));
    // 250 parts of 4 keys: 249 cuts, every fourth key.
    const cuts = await splitKeys(record, scope, 'd/', undefined, 250);
    expect(turned).toBe(true);
    expect(cuts).toEqual(keys.filter((_, i) => i % 4 === 3).slice(0, 249));
  });

  it('read back brief exactly as read in full, whatever the ETag holds', () => {
    const brief = fc.record(
      {
        key: fc.string({ minLength: 1, maxLength: 8 }).map((k) => `brief/${k}`),
        etag: fc.oneof(fc.constantFrom('', ' ', 'a b', 'e 1 2 3', '"x"'), fc.string({ maxLength: 12 })),
        size: fc.oneof(fc.constantFrom(0, 2 ** 40), fc.nat()),
        lastModified: fc.constantFrom(0, 1_700_000_000_123),
        crc64: fc.constantFrom('18446744073709551615', '0', '12345'),
        source: fc.constantFrom('inventory' as const, 'head' as const),
      },
      { requiredKeys: ['key', 'size', 'source'] },
    );
    fc.assert(
      fc.property(fc.uniqueArray(brief, { selector: (o) => o.key, maxLength: 30 }), (rows) => {
        const scope = { profile: 'brief', bucket: `b${run++}` };
        record.objects.upsertMany(scope, rows);
        // A CRC-64 that changed under the same ETag and size: previous_crc64 is read back too.
        if (rows.length > 0 && rows[0].crc64 !== undefined) record.objects.upsertMany(scope, [{ ...rows[0], crc64: '99' }]);
        const full = [...record.objects.iterate(scope, 'brief/')].map(({ key, etag, size, lastModified, crc64, previousCrc64 }) => ({
          key,
          ...(etag !== undefined ? { etag } : {}),
          size,
          ...(lastModified !== undefined ? { lastModified } : {}),
          ...(crc64 !== undefined ? { crc64 } : {}),
          ...(previousCrc64 !== undefined ? { previousCrc64 } : {}),
        }));
        expect([...record.objects.iterateBrief(scope, 'brief/')]).toEqual(full);
        expect(full).toHaveLength(rows.length);
      }),
      { numRuns: 60 },
    );
  });
});
