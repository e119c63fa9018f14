import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { downloadObject, downloadPrefix } from '../../../src/transfer/downloader';
import { UnsafeKeyError } from '../../../src/util/keySafety';
import { IntegrityError } from '../../../src/util/errors';
import { data, setup, type Env } from './fixture';

let env: Env;
beforeAll(async () => {
  env = await setup();
});
afterAll(async () => {
  await env?.close();
});
beforeEach(() => {
  env.emu.faults.clear();
});

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
    await expect(downloadObject(store, { bucket, key, targetPath: path, retries: 0, transientRetries: 1, retryBaseDelayMs: 1 })).rejects.toThrow();
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
    expect(asked).toEqual([{ compared: false, differs: undefined }, { compared: true, differs: true }]);
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
});
