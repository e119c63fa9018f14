import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { downloadPrefix } from '../../../src/transfer/batch';
import { downloadObject } from '../../../src/transfer/downloader';
import { UnsafeKeyError } from '../../../src/util/keySafety';
import { IntegrityError } from '../../../src/util/errors';
import { createObjectStore } from '../../../src/storage';
import { StorageError } from '../../../src/storage/errors';
import { data, opsFor, useTransferEnv } from './fixture';

const env = useTransferEnv();

let counter = 0;

describe.each<ProviderKind>(['cos', 'oss'])('verified download (%s)', (provider) => {
  let store: ObjectStore;
  let bucket: string;
  let root: string;
  beforeAll(async () => {
    store = await env.store(provider);
    bucket = env.bucket[provider];
    root = join(env.dir, `${provider}-downloads`);
    mkdirSync(root, { recursive: true });
  });

  async function object(name: string, bytes: Buffer): Promise<string> {
    const key = `down/${++counter}-${name}`;
    await store.put(bucket, key, bytes);
    return key;
  }
  const target = (name: string): string => join(root, `${++counter}`, name);
  /** Nothing at the target and no temporary file beside it. */
  function expectNothingAt(path: string): void {
    expect(existsSync(path)).toBe(false);
    if (existsSync(dirname(path))) expect(readdirSync(dirname(path))).toEqual([]);
  }

  it('streams, checks and renames into place', async () => {
    const bytes = data(300_000);
    const key = await object('a.bin', bytes);
    const path = target('a.bin');
    const result = await downloadObject(store, { bucket, key, targetPath: path });
    expect(result).toMatchObject({ verified: true, outcome: 'downloaded', size: bytes.length, crc64: formatCrc64(crc64(bytes)) });
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readdirSync(dirname(path))).toEqual(['a.bin']);
  });

  it('downloads a 0-byte object', async () => {
    const key = await object('empty', Buffer.alloc(0));
    const path = target('empty');
    expect(await downloadObject(store, { bucket, key, targetPath: path })).toMatchObject({ verified: true, size: 0 });
    expect(readFileSync(path).length).toBe(0);
  });

  it('fetches again after a body corrupted once in transit', async () => {
    const bytes = data(100_000);
    const key = await object('flip-once.bin', bytes);
    const path = target('flip-once.bin');
    env.emu.faults.add({ op: 'GetObject', key, action: { kind: 'corrupt-download' } });
    const result = await downloadObject(store, { bucket, key, targetPath: path });
    expect(result).toMatchObject({ verified: true, retried: 1 });
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('leaves no file at the target when the body stays corrupt', async () => {
    const key = await object('flip.bin', data(100_000));
    const path = target('flip.bin');
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'corrupt-download' } });
    await expect(downloadObject(store, { bucket, key, targetPath: path, retries: 1 })).rejects.toBeInstanceOf(IntegrityError);
    expectNothingAt(path);
  });

  it('keeps the existing local file when a replacement arrives corrupt', async () => {
    const key = await object('keep.bin', data(5000));
    const path = target('keep.bin');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'precious');
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'corrupt-download' } });
    await expect(downloadObject(store, { bucket, key, targetPath: path, retries: 0, ifExists: () => 'overwrite' })).rejects.toBeInstanceOf(
      IntegrityError,
    );
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdirSync(dirname(path))).toEqual(['keep.bin']);
  });

  it('leaves no file when the body is cut short', async () => {
    const key = await object('short.bin', data(200_000));
    const path = target('short.bin');
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'truncate-download' } });
    await expect(downloadObject(store, { bucket, key, targetPath: path, retries: 0 })).rejects.toThrow();
    expectNothingAt(path);
  });

  it('refuses a wrong CRC header, and saves an object without one as "not verified"', async () => {
    const bytes = data(1000);
    const key = await object('hdr.bin', bytes);
    const wrong = target('hdr.bin');
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'wrong-crc-header' } });
    await expect(downloadObject(store, { bucket, key, targetPath: wrong, retries: 0 })).rejects.toBeInstanceOf(IntegrityError);
    expectNothingAt(wrong);
    env.emu.faults.clear();

    const legacyKey = `down/${++counter}-legacy.txt`;
    await env.emu.putLegacyObject(provider, bucket, legacyKey, 'stored before CRC-64');
    const path = target('legacy.txt');
    const result = await downloadObject(store, { bucket, key: legacyKey, targetPath: path });
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/no CRC-64/);
    expect(readFileSync(path, 'utf8')).toBe('stored before CRC-64');
  });

  it('asks about an existing file: identical after compare, skip, overwrite', async () => {
    const bytes = data(2000);
    const key = await object('exists.bin', bytes);
    const path = target('exists.bin');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    expect(await downloadObject(store, { bucket, key, targetPath: path })).toMatchObject({ outcome: 'identical', verified: true });
    writeFileSync(path, 'different');
    const asked: unknown[] = [];
    const skipped = await downloadObject(store, {
      bucket,
      key,
      targetPath: path,
      ifExists: (q) => {
        asked.push({ compared: q.compared ?? false, differs: q.differs });
        return q.compared ? 'skip' : 'compare';
      },
    });
    expect(skipped.outcome).toBe('skipped');
    expect(asked).toEqual([
      { compared: false, differs: undefined },
      { compared: true, differs: true },
    ]);
    expect(readFileSync(path, 'utf8')).toBe('different');
    const over = await downloadObject(store, { bucket, key, targetPath: path, ifExists: () => 'overwrite' });
    expect(over).toMatchObject({ outcome: 'downloaded', verified: true });
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('downloads a prefix and refuses keys that would escape the folder', async () => {
    const prefix = `tree${++counter}/`;
    const files = { 'x.txt': data(10), 'sub/y.bin': data(70_000) };
    for (const [rel, bytes] of Object.entries(files)) await store.put(bucket, prefix + rel, bytes);
    await env.emu.putLegacyObject(provider, bucket, `${prefix}../escaped.txt`, 'evil');
    await env.emu.putLegacyObject(provider, bucket, `${prefix}sub/../../escaped2.txt`, 'evil');
    const folder = join(root, `prefix-${counter}`, 'inner');
    const summary = await downloadPrefix(store, { bucket, prefix, targetFolder: folder });
    expect(summary).toMatchObject({ verified: 2, failed: 2 });
    const refused = summary.outcomes.filter((o) => !o.ok);
    for (const o of refused) expect(!o.ok && o.error).toBeInstanceOf(UnsafeKeyError);
    for (const [rel, bytes] of Object.entries(files)) expect(readFileSync(join(folder, rel)).equals(bytes)).toBe(true);
    expect(existsSync(join(folder, '..', 'escaped.txt'))).toBe(false);
    expect(existsSync(join(folder, '..', '..', 'escaped2.txt'))).toBe(false);
    expect(readdirSync(join(folder, '..'))).toEqual(['inner']);
  });
  it('checks a GET answer without a CRC header against HEAD, and refetches when the bytes are wrong', async () => {
    const bytes = data(40_000);
    const key = await object('no-hdr.bin', bytes);
    const path = target('no-hdr.bin');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'precious');
    // A proxy strips the header and the body arrives corrupt, every time: the file is never replaced.
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'omit-crc-header' } });
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'corrupt-download' } });
    await expect(downloadObject(store, { bucket, key, targetPath: path, retries: 1, ifExists: () => 'overwrite' })).rejects.toBeInstanceOf(
      IntegrityError,
    );
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdirSync(dirname(path))).toEqual(['no-hdr.bin']);
    env.emu.faults.clear();

    // Once: the second GET is good, and it is checked against HEAD's CRC too.
    env.emu.faults.add({ op: 'GetObject', key, times: 2, action: { kind: 'omit-crc-header' } });
    env.emu.faults.add({ op: 'GetObject', key, action: { kind: 'corrupt-download' } });
    const result = await downloadObject(store, { bucket, key, targetPath: path, ifExists: () => 'overwrite' });
    expect(result).toMatchObject({ verified: true, outcome: 'downloaded', retried: 1, remoteCrc64: formatCrc64(crc64(bytes)) });
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('replaces an existing file with an object stored without a CRC only when unverified data is allowed', async () => {
    const key = `down/${++counter}-legacy-over.txt`;
    await env.emu.putLegacyObject(provider, bucket, key, 'no crc for me');
    const path = target('legacy-over.txt');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'precious');
    const kept = await downloadObject(store, { bucket, key, targetPath: path, ifExists: () => 'overwrite' });
    expect(kept).toMatchObject({ outcome: 'skipped', verified: false });
    expect(kept.reason).toMatch(/no CRC-64.*unverified/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdirSync(dirname(path))).toEqual(['legacy-over.txt']);
    const replaced = await downloadObject(store, { bucket, key, targetPath: path, ifExists: () => 'overwrite', allowUnverified: true });
    expect(replaced).toMatchObject({ outcome: 'downloaded', verified: false });
    expect(readFileSync(path, 'utf8')).toBe('no crc for me');
  });

  it('skips a folder marker with a body instead of writing a file named after the folder', async () => {
    const prefix = `marker${++counter}/`;
    await store.put(bucket, `${prefix}sub/`, Buffer.from('a marker with a body'));
    await store.put(bucket, `${prefix}sub/x.txt`, Buffer.from('x'));
    const folder = join(root, `marker-${counter}`);
    const summary = await downloadPrefix(store, { bucket, prefix, targetFolder: folder });
    expect(summary).toMatchObject({ verified: 1, failed: 0 });
    expect(summary.notes.join('\n')).toMatch(/sub\/.*folder marker/);
    expect(readFileSync(join(folder, 'sub', 'x.txt'), 'utf8')).toBe('x');

    const single = join(root, `marker-single-${counter}`, 'sub');
    const one = await downloadObject(store, { bucket, key: `${prefix}sub/`, targetPath: single });
    expect(one).toMatchObject({ outcome: 'skipped', verified: false });
    expect(one.reason).toMatch(/folder marker/);
    expect(existsSync(single)).toBe(false);
  });

  it('downloads a key whose last segment is near the longest file name (temporary name within NAME_MAX)', async () => {
    const name = 'é'.repeat(120) + '.bin'; // 244 bytes in UTF-8
    const bytes = data(3000);
    const key = await object(name, bytes);
    const path = join(root, `long-${counter}`, key.slice(key.lastIndexOf('/') + 1));
    const result = await downloadObject(store, { bucket, key, targetPath: path });
    expect(result).toMatchObject({ verified: true, outcome: 'downloaded' });
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readdirSync(dirname(path))).toHaveLength(1);
  });
  it('fetches again a body cut off mid-way by a reset (calls are retried by the adapter, a flowing body here)', async () => {
    const bytes = data(200_000);
    const key = await object('reset.bin', bytes);
    const path = target('reset.bin');
    env.emu.faults.add({ op: 'GetObject', key, action: { kind: 'reset' } });
    const result = await downloadObject(store, { bucket, key, targetPath: path });
    expect(result).toMatchObject({ verified: true, retried: 1 });
    expect(readFileSync(path).equals(bytes)).toBe(true);

    const gone = target('reset-always.bin');
    await new Promise((r) => setTimeout(r, 5));
    const since = Date.now();
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'reset' } });
    const err = await downloadObject(store, { bucket, key, targetPath: gone, retries: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(opsFor(env.emu, key, since).filter((op) => op === 'GetObject').length).toBe(2);
    expectNothingAt(gone);
  });
  it('one retry layer: a GET failing with 503 is sent as often as the adapter retries, not that many times again', async () => {
    const key = await object('storm.bin', data(1000));
    const retrying = await createObjectStore({ ...env.connection(provider), maxRetries: 2, retryBaseDelayMs: 1 });
    const since = Date.now();
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'status', status: 503 } });
    const path = target('storm.bin');
    await expect(downloadObject(retrying, { bucket, key, targetPath: path })).rejects.toBeInstanceOf(StorageError);
    expect(opsFor(env.emu, key, since).filter((op) => op === 'GetObject')).toHaveLength(3);
    expectNothingAt(path);
  });
});
