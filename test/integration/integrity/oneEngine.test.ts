import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFolder } from '../../../src/integrity/compare';
import { resultLine } from '../../../src/integrity/check/format';
import { verifyPrefix, type VerifyResult } from '../../../src/integrity/verify';
import { CrcRecord } from '../../../src/record';
import { createObjectStore } from '../../../src/storage';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { makeTempDir } from '../../support/tempDir';

/**
 * Compare and Verify are two callers of one check engine: over the same folder and prefix they give the
 * same verdict, the same detail and so the same printed line for every pair.
 */
describe.each(['cos', 'oss'] as const)('compare and verify over the same %s pairs', (provider: ProviderKind) => {
  let emu: Emulator;
  let bucket: string;
  let store: ObjectStore;
  let tmp: { dir: string; cleanup(): void };
  let record: CrcRecord;

  const local = (rel: string, text: string): void => {
    const path = join(tmp.dir, 'site', ...rel.split('/'));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };

  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'one') : await makeOssBucket(emu, 'one');
    store = await createObjectStore(connectionOptions(emu, provider, { maxRetries: 1, retryBaseDelayMs: 1 }));
    tmp = makeTempDir('bi-one-engine-');
    record = await CrcRecord.open(join(tmp.dir, 'record.sqlite'));
    local('a-same.txt', 'the same bytes');
    await store.put(bucket, 'site/a-same.txt', Buffer.from('the same bytes'));
    local('b-changed.txt', 'AAAA-local');
    await store.put(bucket, 'site/b-changed.txt', Buffer.from('BBBB-cloud'));
    local('c-longer.txt', 'short');
    await store.put(bucket, 'site/c-longer.txt', Buffer.from('a longer remote body'));
    local('d-legacy.txt', 'old object');
    await emu.putLegacyObject(provider, bucket, 'site/d-legacy.txt', 'old object');
    local('e-only-local.txt', 'not uploaded');
    await store.put(bucket, 'site/f-only-remote.txt', Buffer.from('not downloaded'));
    local('g/nested.bin', 'nested and equal');
    await store.put(bucket, 'site/g/nested.bin', Buffer.from('nested and equal'));
  });

  afterAll(async () => {
    record?.close();
    tmp?.cleanup();
    await emu?.close();
  });

  it('prints identical lines through the one formatter', async () => {
    const localDir = join(tmp.dir, 'site');
    const compared = await compareFolder({ store }, { localDir, bucket, prefix: 'site' });
    const verified: VerifyResult[] = [];
    await verifyPrefix({ store, record, profile: 'p', bucket, prefix: 'site', localDir, onResult: (r) => verified.push(r) });

    const compareLines = compared.map((r) => resultLine(r, r.relativePath));
    const verifyLines = verified.map((r) => resultLine(r, r.key.slice('site/'.length)));
    expect(compareLines).toEqual([
      '= a-same.txt',
      '* b-changed.txt  (CRC-64 differs)',
      '* c-longer.txt  (sizes differ (local 5, remote 20 bytes))',
      '? d-legacy.txt  (the object was stored without a CRC-64)',
      '+ e-only-local.txt  (no such object in the bucket)',
      '- f-only-remote.txt  (no local file)',
      '= g/nested.bin',
    ]);
    expect(verifyLines).toEqual(compareLines);
    // The same numbers behind the lines, too. Verify asks about every listed object (what it learns keeps
    // the record current), so it also knows the CRC-64 of objects Compare settled by size or listing alone.
    expect(verified.map((r) => r.localCrc64)).toEqual(compared.map((r) => r.localCrc64));
    compared.forEach((r, i) => {
      if (r.remoteCrc64 !== undefined) expect(verified[i].remoteCrc64).toBe(r.remoteCrc64);
    });
    expect(verified.filter((r) => r.remoteCrc64 !== undefined).length).toBe(5);
  });
});
