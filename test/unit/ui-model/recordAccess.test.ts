import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrcRecord, RecordError } from '../../../src/record';
import { RecordAccess, recordProblem } from '../../../src/ui/shared/recordAccess';
import { makeTempDir } from '../../support/tempDir';

/** The extension's one record file: opened on first use, released when idle, clear messages when it cannot be. */

const scope = { profile: 'p', bucket: 'b' };
const quickOpen = (file: string) => CrcRecord.open(file, { busyTimeoutMs: 200 });

describe('record access', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  const owned: RecordAccess[] = [];
  const access = (idleMs = 60_000) => {
    const a = new RecordAccess(file, idleMs, quickOpen);
    owned.push(a);
    return a;
  };

  beforeEach(() => {
    tmp = makeTempDir('bi-record-access-');
    file = join(tmp.dir, 'globalStorage', 'record.sqlite');
  });
  afterEach(() => {
    for (const a of owned.splice(0)) a.dispose();
    tmp.cleanup();
  });

  it('creates nothing until first used, and releases the file when idle', async () => {
    const a = access(50);
    expect(a.exists()).toBe(false);
    expect(a.isOpen).toBe(false);
    await a.use((r) => r.objects.upsertMany(scope, [{ key: 'k', size: 1, crc64: '7', source: 'head' }]));
    expect(a.exists()).toBe(true);
    expect(a.isOpen).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(a.isOpen).toBe(false);
    // Released: another window opens it at once and finds what was recorded.
    const other = access();
    expect(await other.use((r) => r.objects.get(scope, 'k')?.crc64)).toBe('7');
  });

  it('says the record is in use by another window, loses nothing, and opens once the other lets go', async () => {
    const first = access();
    await first.use((r) => r.objects.upsertMany(scope, [{ key: 'k', size: 1, crc64: '7', source: 'head' }]));
    const second = access();
    const err = await second.use(() => 'never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordError);
    expect(recordProblem(err)).toMatch(/^The CRC record is in use by another window \(process \d+\)\. Close the other window/);
    expect(second.isOpen).toBe(false);
    first.dispose();
    expect(await second.use((r) => r.objects.get(scope, 'k')?.crc64)).toBe('7');
  });

  it('refuses a record from a newer version with what to do, and leaves the file as it was', async () => {
    const seed = access();
    await seed.use(() => undefined);
    seed.dispose();
    const db = new Database(file);
    // The record is kept in WAL mode with exclusive locking; a plain connection must lock the same way.
    db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA user_version = 99;');
    db.close();
    const before = readFileSync(file);
    const err = await access()
      .use(() => undefined)
      .catch((e: unknown) => e);
    expect((err as RecordError).kind).toBe('newer-version');
    expect(recordProblem(err)).toMatch(/newer version of Bucket Integrity .* Update Bucket Integrity; the record was left as it is\.$/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(recordProblem(new Error('other'))).toBeUndefined();
  });

  it('refuses use after dispose (deactivate) and closes the file', async () => {
    const a = access();
    await a.use(() => undefined);
    a.dispose();
    a.dispose();
    await expect(a.use(() => undefined)).rejects.toThrow(/shutting down/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
