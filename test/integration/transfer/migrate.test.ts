import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import {
  DestinationExistsError,
  MigrationCheckpointStore,
  migrateObject,
  migratePrefix,
  type MigrateOptions,
} from '../../../src/transfer/migrate';
import { CancelledError, IntegrityError } from '../../../src/util/errors';
import { data, opsFor, PART, readAll, useTransferEnv } from './fixture';

const env = useTransferEnv();

let counter = 0;
const uniqueKey = (name: string): string => `mig/${++counter}-${name}`;

describe.each<[ProviderKind, ProviderKind]>([
  ['cos', 'oss'],
  ['oss', 'cos'],
])('migration %s → %s', (from, to) => {
  let src: ObjectStore;
  let dst: ObjectStore;
  beforeAll(async () => {
    src = await env.store(from);
    dst = await env.store(to);
  });

  const opts = (key: string, extra: Partial<MigrateOptions> = {}): MigrateOptions => ({
    source: { store: src, bucket: env.bucket[from], key, service: `${from}-emu` },
    destination: { store: dst, bucket: env.bucket[to], key: `copied/${key}`, service: `${to}-emu` },
    partSize: PART,
    minPartSize: PART,
    concurrency: 3,
    retryBaseDelayMs: 1,
    ...extra,
  });

  async function seed(key: string, bytes: Buffer): Promise<void> {
    await src.put(env.bucket[from], key, bytes);
  }

  async function expectCopy(key: string, bytes: Buffer): Promise<void> {
    const stored = await readAll(dst, env.bucket[to], `copied/${key}`);
    expect(stored.equals(bytes)).toBe(true);
    expect((await dst.head(env.bucket[to], `copied/${key}`)).crc64).toBe(formatCrc64(crc64(bytes)));
  }

  async function expectNoCopy(key: string): Promise<void> {
    await expect(dst.head(env.bucket[to], `copied/${key}`)).rejects.toMatchObject({ kind: 'no-such-key' });
  }

  it('copies a small object in one GET and one PUT, all three CRC-64 equal', async () => {
    const bytes = data(1000);
    const key = uniqueKey('small.bin');
    await seed(key, bytes);
    const result = await migrateObject(opts(key));
    const expected = formatCrc64(crc64(bytes));
    expect(result).toMatchObject({
      verified: true,
      parts: 0,
      size: 1000,
      outcome: 'copied',
      sourceCrc64: expected,
      streamCrc64: expected,
      destinationCrc64: expected,
    });
    expect(opsFor(env.emu, `copied/${key}`).filter((op) => op === 'PutObject')).toHaveLength(1);
    await expectCopy(key, bytes);
  });

  it('copies an empty object', async () => {
    const key = uniqueKey('empty');
    await seed(key, Buffer.alloc(0));
    const result = await migrateObject(opts(key));
    expect(result).toMatchObject({ verified: true, size: 0, streamCrc64: '0' });
    await expectCopy(key, Buffer.alloc(0));
  });

  it('streams a large object into a multipart upload: one GET, every part checked, Complete checked', async () => {
    const bytes = data(5 * PART + 123);
    const key = uniqueKey('large.bin');
    await seed(key, bytes);
    const progress: number[] = [];
    const result = await migrateObject(opts(key, { onProgress: (p) => progress.push(p.bytesDone) }));
    expect(result).toMatchObject({ verified: true, parts: 6, partSize: PART, streamCrc64: formatCrc64(crc64(bytes)), retriedParts: [] });
    expect(result.destinationCrc64).toBe(result.sourceCrc64);
    expect(opsFor(env.emu, key).filter((op) => op === 'GetObject')).toHaveLength(1);
    expect(opsFor(env.emu, `copied/${key}`).filter((op) => op === 'UploadPart')).toHaveLength(6);
    expect(progress.at(-1)).toBe(bytes.length);
    await expectCopy(key, bytes);
  });

  it('reads a small object again when the streamed bytes are not the source CRC-64', async () => {
    const bytes = data(5000);
    const key = uniqueKey('corrupt-get.bin');
    await seed(key, bytes);
    env.emu.faults.add({ op: 'GetObject', key, action: { kind: 'corrupt-download' } });
    const result = await migrateObject(opts(key));
    expect(result).toMatchObject({ verified: true, sourceRetries: 1 });
    expect(opsFor(env.emu, key).filter((op) => op === 'GetObject')).toHaveLength(2);
    await expectCopy(key, bytes);
  });

  it('streams a multipart object again, without completing the damaged one, when the stream is corrupt', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('corrupt-get-large.bin');
    await seed(key, bytes);
    env.emu.faults.add({ op: 'GetObject', key, action: { kind: 'corrupt-download' } });
    const result = await migrateObject(opts(key));
    expect(result).toMatchObject({ verified: true, sourceRetries: 1, parts: 4 });
    const ops = opsFor(env.emu, `copied/${key}`);
    expect(ops.filter((op) => op === 'AbortMultipartUpload')).toHaveLength(1);
    expect(ops.filter((op) => op === 'CompleteMultipartUpload')).toHaveLength(1);
    await expectCopy(key, bytes);
  });

  it('fails, writing nothing, when every read of the source is corrupt', async () => {
    const key = uniqueKey('always-corrupt.bin');
    await seed(key, data(3 * PART));
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'corrupt-download' } });
    await expect(migrateObject(opts(key))).rejects.toBeInstanceOf(IntegrityError);
    expect(opsFor(env.emu, `copied/${key}`)).not.toContain('CompleteMultipartUpload');
    await expectNoCopy(key);
  });

  it('re-reads from the byte it stopped at when the source connection is cut mid-body', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('truncated.bin');
    await seed(key, bytes);
    env.emu.faults.add({ op: 'GetObject', key, action: { kind: 'truncate-download' } });
    const result = await migrateObject(opts(key));
    expect(result).toMatchObject({ verified: true, sourceRetries: 0 });
    expect(opsFor(env.emu, key).filter((op) => op === 'GetObject')).toHaveLength(2);
    await expectCopy(key, bytes);
  });

  it('sends a part again when the destination stored it damaged', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('corrupt-part.bin');
    await seed(key, bytes);
    env.emu.faults.add({ op: 'UploadPart', key: `copied/${key}`, partNumber: 2, action: { kind: 'corrupt-upload' } });
    const result = await migrateObject(opts(key));
    expect(result).toMatchObject({ verified: true, retriedParts: [2] });
    const parts = env.emu.requests().filter((r) => r.key === `copied/${key}` && r.op === 'UploadPart');
    expect(parts.filter((r) => r.partNumber === 2)).toHaveLength(2);
    await expectCopy(key, bytes);
  });

  it('sends a small object again when the destination stored it damaged', async () => {
    const bytes = data(3000);
    const key = uniqueKey('corrupt-put.bin');
    await seed(key, bytes);
    env.emu.faults.add({ op: 'PutObject', key: `copied/${key}`, action: { kind: 'corrupt-upload' } });
    const result = await migrateObject(opts(key));
    expect(result).toMatchObject({ verified: true, retriedParts: [0] });
    await expectCopy(key, bytes);
  });

  it('removes a destination that stays damaged and says so', async () => {
    const key = uniqueKey('always-corrupt-put.bin');
    await seed(key, data(3000));
    env.emu.faults.add({ op: 'PutObject', key: `copied/${key}`, times: Infinity, action: { kind: 'corrupt-upload' } });
    await expect(migrateObject(opts(key))).rejects.toThrow(/removed/);
    await expectNoCopy(key);
  });

  it('settles a Complete whose answer was lost by looking at the destination', async () => {
    const bytes = data(3 * PART);
    const key = uniqueKey('lost-complete.bin');
    await seed(key, bytes);
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key: `copied/${key}`, action: { kind: 'drop-response' } });
    const result = await migrateObject(opts(key));
    expect(result).toMatchObject({ verified: true, parts: 3 });
    expect(opsFor(env.emu, `copied/${key}`).filter((op) => op === 'CompleteMultipartUpload')).toHaveLength(1);
    await expectCopy(key, bytes);
  });

  it('says "copied, not verified against the source" for a source without CRC-64 (stream and destination agree)', async () => {
    for (const size of [2000, 3 * PART + 7]) {
      const bytes = data(size);
      const key = uniqueKey(`legacy-${size}.bin`);
      await env.emu.putLegacyObject(from, env.bucket[from], key, bytes);
      const result = await migrateObject(opts(key));
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/not verified against the source/);
      expect(result.sourceCrc64).toBeUndefined();
      expect(result.streamCrc64).toBe(formatCrc64(crc64(bytes)));
      expect(result.destinationCrc64).toBe(result.streamCrc64);
      await expectCopy(key, bytes);
    }
  });

  it('resumes a cancelled migration sending only the missing parts, from a ranged GET', async () => {
    const bytes = data(6 * PART);
    const key = uniqueKey('resume.bin');
    await seed(key, bytes);
    const checkpoints = new MigrationCheckpointStore(mkdtempSync(join(env.dir, 'mig-cp-')));
    const controller = new AbortController();
    const first = opts(key, {
      checkpoints,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone >= 2 * PART) controller.abort();
      },
    });
    await expect(migrateObject(first)).rejects.toBeInstanceOf(CancelledError);
    await expectNoCopy(key);
    const sent = opsFor(env.emu, `copied/${key}`).filter((op) => op === 'UploadPart').length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThan(6);

    const since = Date.now();
    const result = await migrateObject(opts(key, { checkpoints }));
    expect(result).toMatchObject({ verified: true, parts: 6, streamCrc64: formatCrc64(crc64(bytes)) });
    expect(result.resumedParts).toBeGreaterThanOrEqual(2);
    const resumedOps = opsFor(env.emu, `copied/${key}`, since);
    expect(resumedOps.filter((op) => op === 'UploadPart')).toHaveLength(6 - result.resumedParts);
    expect(resumedOps).not.toContain('InitiateMultipartUpload');
    expect(opsFor(env.emu, key, since).filter((op) => op === 'GetObject')).toHaveLength(1);
    await expectCopy(key, bytes);
    expect(
      await checkpoints.load({
        source: { provider: from, service: `${from}-emu`, bucket: env.bucket[from], key },
        destination: { provider: to, service: `${to}-emu`, bucket: env.bucket[to], key: `copied/${key}` },
      }),
    ).toBeUndefined();
  });

  it('starts over, keeping nothing, when the source changed since the interrupted run', async () => {
    const key = uniqueKey('changed.bin');
    await seed(key, data(4 * PART));
    const checkpoints = new MigrationCheckpointStore(mkdtempSync(join(env.dir, 'mig-cp-')));
    const controller = new AbortController();
    const first = opts(key, {
      checkpoints,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => p.bytesDone >= PART && controller.abort(),
    });
    await expect(migrateObject(first)).rejects.toBeInstanceOf(CancelledError);
    const changed = data(4 * PART);
    await seed(key, changed);
    const result = await migrateObject(opts(key, { checkpoints }));
    expect(result).toMatchObject({ verified: true, resumedParts: 0, sourceRetries: 0 });
    await expectCopy(key, changed);
  });

  it('refuses an existing destination by default, and skips or overwrites it when asked', async () => {
    const bytes = data(1500);
    const key = uniqueKey('exists.bin');
    await seed(key, bytes);
    await dst.put(env.bucket[to], `copied/${key}`, Buffer.from('old'));
    await expect(migrateObject(opts(key))).rejects.toBeInstanceOf(DestinationExistsError);
    expect((await migrateObject(opts(key, { ifExists: 'skip' }))).outcome).toBe('skipped');
    expect((await readAll(dst, env.bucket[to], `copied/${key}`)).toString()).toBe('old');
    expect(await migrateObject(opts(key, { ifExists: 'overwrite' }))).toMatchObject({ verified: true, outcome: 'copied' });
    await expectCopy(key, bytes);
  });

  it('migrates every object under a prefix to another prefix, with one summary', async () => {
    const base = uniqueKey('tree/');
    const files: Record<string, Buffer> = {
      'a.txt': data(10),
      'sub/b.bin': data(3 * PART + 5),
      'sub/deeper/c': data(0),
      'd.bin': data(PART),
    };
    for (const [name, bytes] of Object.entries(files)) await seed(base + name, bytes);
    await src.put(env.bucket[from], `${base}folder/`, Buffer.alloc(0));
    const seen: string[] = [];
    const summary = await migratePrefix({
      source: { store: src, bucket: env.bucket[from], prefix: base },
      destination: { store: dst, bucket: env.bucket[to], prefix: `moved/${base}` },
      partSize: PART,
      minPartSize: PART,
      concurrency: 3,
      objectConcurrency: 2,
      onObject: (o) => seen.push(o.ok ? o.result.destination.key : o.key),
    });
    expect(summary).toMatchObject({ verified: 4, unverified: 0, failed: 0, skipped: 0 });
    expect(summary.bytes).toBe(Object.values(files).reduce((n, b) => n + b.length, 0));
    expect(seen.sort()).toEqual(
      Object.keys(files)
        .map((n) => `moved/${base}${n}`)
        .sort(),
    );
    for (const [name, bytes] of Object.entries(files)) {
      expect((await readAll(dst, env.bucket[to], `moved/${base}${name}`)).equals(bytes)).toBe(true);
    }
  });
});

describe('migration input', () => {
  it('refuses to copy an object onto itself and a prefix into itself', async () => {
    const store = await env.store('cos');
    const side = { store, bucket: env.bucket.cos, key: 'x', service: 's' };
    await expect(migrateObject({ source: side, destination: { ...side } })).rejects.toThrow(/onto itself/);
    await expect(
      migratePrefix({
        source: { store, bucket: env.bucket.cos, prefix: 'a/' },
        destination: { store, bucket: env.bucket.cos, prefix: 'a/b/' },
      }),
    ).rejects.toThrow(/overlaps/);
  });
});
