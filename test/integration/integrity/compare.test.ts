import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { compareFile, compareFolder, compareFolderWithNotes, summarize, type FileResult } from '../../../src/integrity/compare';
import { computeRemoteCrc64 } from '../../../src/transfer/read/remoteCrc';
import type { CheckProgress } from '../../../src/integrity/check/progress';
import { createObjectStore } from '../../../src/storage';
import { StorageError } from '../../../src/storage/errors';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../../src/storage/types';
import {
  connectionOptions,
  cosCall,
  cosClient,
  makeCosBucket,
  makeOssBucket,
  ossClient,
  startTestEmulator,
  type Emulator,
} from '../../support/emulator';
import { makeTempDir } from '../../support/tempDir';

const crcOf = (b: Buffer | string): string => formatCrc64(crc64(Buffer.from(b)));

describe.each(['cos', 'oss'] as const)('compare a folder with a %s prefix', (provider: ProviderKind) => {
  let emu: Emulator;
  let bucket: string;
  let store: ObjectStore;
  let tmp: { dir: string; cleanup(): void };
  let results: FileResult[];

  const connection = (extra: Partial<ConnectionOptions> = {}): ConnectionOptions =>
    connectionOptions(emu, provider, {
      maxRetries: 1,
      retryBaseDelayMs: 1,
      ...extra,
    });
  const local = (rel: string, text: string): void => {
    const path = join(tmp.dir, ...rel.split('/'));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  /** A server-side copy: keeps the source's CRC, so a copy of a legacy object has none. */
  const copy = async (from: string, to: string): Promise<void> => {
    if (provider === 'cos') {
      const cos = cosClient(emu);
      await cosCall(cos.putObjectCopy.bind(cos), {
        Bucket: bucket,
        Region: emu.cos.region,
        Key: to,
        CopySource: `${bucket}.cos.${emu.cos.region}.myqcloud.com/${from}`,
      });
    } else {
      await ossClient(emu, bucket).copy(to, from);
    }
  };
  const row = (rel: string): FileResult | undefined => results.find((r) => r.relativePath === rel);

  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'cmp') : await makeOssBucket(emu, 'cmp');
    store = await createObjectStore(connection());
    tmp = makeTempDir('bi-compare-');

    local('same.txt', 'the same bytes');
    await store.put(bucket, 'site/same.txt', Buffer.from('the same bytes'));
    local('deep/nested/same.bin', 'nested and equal');
    await store.put(bucket, 'site/deep/nested/same.bin', Buffer.from('nested and equal'));
    local('changed.txt', 'AAAA-local');
    await store.put(bucket, 'site/changed.txt', Buffer.from('BBBB-cloud'));
    local('longer.txt', 'short');
    await store.put(bucket, 'site/longer.txt', Buffer.from('a longer remote body'));
    local('legacy.txt', 'old object');
    await emu.putLegacyObject(provider, bucket, 'site/legacy.txt', 'old object');
    local('copied.txt', 'old object');
    await copy('site/legacy.txt', 'site/copied.txt');
    local('only-local.txt', 'not uploaded');
    await store.put(bucket, 'site/only-remote.txt', Buffer.from('not downloaded'));
    await store.put(bucket, 'site/folder-marker/', Buffer.alloc(0));
    await store.put(bucket, 'site-other/same.txt', Buffer.from('outside the prefix'));

    const events: CheckProgress[] = [];
    results = await compareFolder(
      { store, concurrency: 3, onProgress: (p) => events.push(p) },
      { localDir: tmp.dir, bucket, prefix: 'site' },
    );
    // Numbers, phase by phase, never sentences; a count never passes its total.
    expect(events[0]).toEqual({ phase: 'list', done: 0 });
    const lastHead = events.filter((p) => p.phase === 'head').at(-1);
    expect(lastHead?.done).toBeGreaterThan(0);
    expect(lastHead?.done).toBe(lastHead?.total);
    expect(events.some((p) => p.phase === 'hash' && p.bytesTotal !== undefined && p.bytesDone === p.bytesTotal)).toBe(true);
    for (const p of events) if (p.total !== undefined) expect(p.done).toBeLessThanOrEqual(p.total);
  });

  afterAll(async () => {
    tmp?.cleanup();
    await emu?.close();
  });

  it('gives every status, sorted by path, with CRCs where they are known', () => {
    expect(results.map((r) => [r.relativePath, r.status])).toEqual([
      ['changed.txt', 'differ'],
      ['copied.txt', 'no-crc'],
      ['deep/nested/same.bin', 'match'],
      ['legacy.txt', 'no-crc'],
      ['longer.txt', 'differ'],
      ['only-local.txt', 'only-local'],
      ['only-remote.txt', 'only-remote'],
      ['same.txt', 'match'],
    ]);
    expect(row('same.txt')).toMatchObject({
      key: 'site/same.txt',
      localCrc64: crcOf('the same bytes'),
      remoteCrc64: crcOf('the same bytes'),
      remoteCrcSource: 'service',
    });
    expect(row('changed.txt')).toMatchObject({
      localCrc64: crcOf('AAAA-local'),
      remoteCrc64: crcOf('BBBB-cloud'),
      detail: 'CRC-64 differs',
    });
    expect(row('longer.txt')?.detail).toMatch(/sizes differ/);
    expect(row('legacy.txt')?.remoteCrc64).toBeUndefined();
    expect(row('only-remote.txt')?.localPath).toBe(join(tmp.dir, 'only-remote.txt'));
  });

  it('summarizes the counts', () => {
    expect(summarize(results)).toEqual({ total: 8, match: 2, differ: 2, 'no-crc': 2, 'only-local': 1, 'only-remote': 1, error: 0 });
  });

  it('computes the CRC of an object without one by streaming it, and the comparison can then use it', async () => {
    const progress: number[] = [];
    const computed = await computeRemoteCrc64(store, bucket, 'site/legacy.txt', undefined, (done) => progress.push(done));
    expect(computed.crc64).toBe(crcOf('old object'));
    expect(computed.serviceCrc64).toBeUndefined();
    expect(progress.at(-1)).toBe('old object'.length);
    const withDownloaded = await compareFile(
      { store, downloadedCrc: (key) => (key === 'site/legacy.txt' ? computed.crc64 : undefined) },
      { localPath: join(tmp.dir, 'legacy.txt'), bucket, key: 'site/legacy.txt' },
    );
    expect(withDownloaded).toMatchObject({ status: 'match', remoteCrcSource: 'download', localCrc64: crcOf('old object') });
  });

  it('compares one file at a time', async () => {
    const one = await compareFile({ store }, { localPath: join(tmp.dir, 'changed.txt'), bucket, key: 'site/changed.txt' });
    expect(one.status).toBe('differ');
    const missing = await compareFile({ store }, { localPath: join(tmp.dir, 'only-local.txt'), bucket, key: 'site/only-local.txt' });
    expect(missing.status).toBe('only-local');
    const gone = await compareFile({ store }, { localPath: join(tmp.dir, 'only-remote.txt'), bucket, key: 'site/only-remote.txt' });
    expect(gone.status).toBe('only-remote');
  });

  it('bad credentials stop the comparison with a typed error', async () => {
    const bad = await createObjectStore(connection({ credentials: { accessKeyId: 'AKIDnobody', secretAccessKey: 'nobody-secret-1234' } }));
    await expect(compareFolder({ store: bad }, { localDir: tmp.dir, bucket, prefix: 'site/' })).rejects.toMatchObject({
      kind: 'credentials',
    });
  });

  it('a HEAD that keeps failing marks the file as an error and the rest still compares', async () => {
    emu.faults.add({ op: 'HeadObject', key: 'site/same.txt', times: Infinity, action: { kind: 'status', status: 503 } });
    try {
      const again = await compareFolder({ store }, { localDir: tmp.dir, bucket, prefix: 'site/' });
      expect(again.find((r) => r.relativePath === 'same.txt')).toMatchObject({ status: 'error' });
      expect(again.find((r) => r.relativePath === 'deep/nested/same.bin')?.status).toBe('match');
    } finally {
      emu.faults.clear();
    }
  });

  it('notes what it leaves out: a local link to a folder and a folder marker that holds bytes', async () => {
    const notesTmp = makeTempDir('bi-compare-notes-');
    onTestFinished(() => notesTmp.cleanup());
    const dir = notesTmp.dir;
    mkdirSync(join(dir, 'real'), { recursive: true });
    writeFileSync(join(dir, 'real', 'a.txt'), 'in a real folder');
    symlinkSync(join(dir, 'real'), join(dir, 'linked'), 'dir');
    await store.put(bucket, 'notes/real/a.txt', Buffer.from('in a real folder'));
    await store.put(bucket, 'notes/empty-marker/', Buffer.alloc(0));
    await store.put(bucket, 'notes/full-marker/', Buffer.from('seven b'));
    const skipped: string[] = [];

    const { results, notes } = await compareFolderWithNotes(
      { store, onSkip: (path, reason) => skipped.push(`${path} ${reason}`) },
      { localDir: dir, bucket, prefix: 'notes' },
    );

    expect(results.map((r) => [r.relativePath, r.status])).toEqual([['real/a.txt', 'match']]);
    expect(skipped).toEqual([`${join(dir, 'linked')} folder-link`]);
    expect(notes).toHaveLength(2);
    expect(notes).toContain(`skipped ${join(dir, 'linked')}: a link to a folder (links to folders are not followed)`);
    expect(notes).toContain('passed over notes/full-marker/: a folder marker (key ending in "/") that holds 7 bytes');
    // The plain entry point gives the same results.
    expect(await compareFolder({ store }, { localDir: dir, bucket, prefix: 'notes' })).toEqual(results);
  });

  it('a missing bucket rejects with no-such-bucket', async () => {
    const name = provider === 'cos' ? `missing-${emu.cos.appId}` : 'missing-bucket';
    const err = await compareFolder({ store }, { localDir: tmp.dir, bucket: name, prefix: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('no-such-bucket');
  });
});
