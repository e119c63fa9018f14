import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CrcRecord } from '../../../src/record';
import { makeTempDir } from '../../support/tempDir';

/** The record's three stores (objects, local files, run journal) share one transaction. */

const scope = { profile: 'p', bucket: 'b-1250000000' };
let tmp: ReturnType<typeof makeTempDir>;
let record: CrcRecord;

beforeEach(async () => {
  tmp = makeTempDir('bi-record-stores-');
  record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
});
afterEach(() => {
  record.close();
  tmp.cleanup();
});

const entry = { path: '/data/a.bin', size: 3, mtimeNs: 1n, ctimeNs: 2n, ino: 3n, dev: 4n, crc64: 5n, hashedAtNs: 6n };

function writeAll(): void {
  record.objects.upsertMany(scope, [{ key: 'a.bin', size: 3, etag: '"E"', crc64: '5', source: 'head' }]);
  record.localFiles.remember([entry]);
  record.journal<{ at: string }, { why: string }>().setState('run', { at: 'a.bin' });
  record.journal<{ at: string }, { why: string }>().addIssue('run', 'a.bin', { why: 'x' });
}

it('a failed transaction leaves none of the three stores written', () => {
  expect(() =>
    record.transaction(() => {
      writeAll();
      throw new Error('stop');
    }),
  ).toThrow('stop');
  expect(record.objects.get(scope, 'a.bin')).toBeUndefined();
  expect(record.localFiles.lookup([entry.path]).size).toBe(0);
  expect(record.journal().state('run')).toBeUndefined();
  expect([...record.journal().issues('run')]).toEqual([]);
});

it('a committed transaction keeps all three, each read through its own store', () => {
  record.transaction(writeAll);
  expect(record.objects.get(scope, 'a.bin')).toMatchObject({ key: 'a.bin', etag: 'e', crc64: '5', source: 'head' });
  expect(record.objects.count(scope)).toBe(1);
  expect(record.localFiles.lookup([entry.path]).get(entry.path)).toEqual(entry);
  expect(record.journal<{ at: string }, { why: string }>().state('run')).toEqual({ at: 'a.bin' });
  expect([...record.journal<{ at: string }, { why: string }>().issues('run')]).toEqual([{ why: 'x' }]);
});
