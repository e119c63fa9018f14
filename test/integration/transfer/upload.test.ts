import {
  appendFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { createObjectStore } from '../../../src/storage';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { CheckpointStore } from '../../../src/transfer/checkpoint';
import { uploadFolder } from '../../../src/transfer/batch';
import { planParts } from '../../../src/transfer/planner';
import { uploadFile, type UploadOptions } from '../../../src/transfer/upload';
import { CancelledError, IntegrityError } from '../../../src/util/errors';
import { data, opsFor, PART, readAll, useTransferEnv } from './fixture';

const env = useTransferEnv();

let counter = 0;
const uniqueKey = (name: string): string => `up/${++counter}-${name}`;

const ROUND_TIME = new Date('2026-01-01T00:00:00Z');

/** Overwrite bytes in place at `offset`, then put the file's access and modification times back. */
function rewriteKeepingTimes(path: string, offset: number, bytes: Buffer): void {
  const before = statSync(path);
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
  utimesSync(path, before.atime, before.mtime);
  expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
}

/** The adapters retry as they do for users (the one retry layer); backoff kept short for the tests. */
const ADAPTER_RETRIES = 3;

describe.each<ProviderKind>(['cos', 'oss'])('verified upload (%s)', (provider) => {
  let store: ObjectStore;
  let bucket: string;
  beforeAll(async () => {
    store = await createObjectStore({ ...env.connection(provider), maxRetries: ADAPTER_RETRIES, retryBaseDelayMs: 1 });
    bucket = env.bucket[provider];
  });

  const opts = (key: string, localPath: string, extra: Partial<UploadOptions> = {}): UploadOptions => ({
    bucket,
    key,
    localPath,
    partSize: PART,
    minPartSize: PART,
    multipartThreshold: 2 * PART,
    concurrency: 3,
    ...extra,
  });

  async function expectObject(key: string, bytes: Buffer): Promise<void> {
    const stored = await readAll(store, bucket, key);
    expect(stored.length).toBe(bytes.length);
    expect(stored.equals(bytes)).toBe(true);
  }

  async function expectNoObject(key: string): Promise<void> {
    await expect(store.head(bucket, key)).rejects.toMatchObject({ kind: 'no-such-key' });
  }

  it('uploads a small file in one PUT and checks its CRC-64', async () => {
    const bytes = data(1000);
    const key = uniqueKey('small.bin');
    const result = await uploadFile(store, opts(key, env.file(`${provider}-small.bin`, bytes)));
    expect(result).toMatchObject({ verified: true, parts: 0, size: 1000, crc64: formatCrc64(crc64(bytes)), retriedParts: [] });
    expect(result.remoteCrc64).toBe(result.crc64);
    await expectObject(key, bytes);
  });

  it('uploads a 0-byte file', async () => {
    const key = uniqueKey('empty');
    const result = await uploadFile(store, opts(key, env.file(`${provider}-empty`, Buffer.alloc(0))));
    expect(result).toMatchObject({ verified: true, size: 0, crc64: '0' });
    await expectObject(key, Buffer.alloc(0));
  });

  it('uploads a size exactly on a part boundary in whole parts, verified by the combined CRC', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('boundary.bin');
    const result = await uploadFile(store, opts(key, env.file(`${provider}-boundary.bin`, bytes)));
    expect(result).toMatchObject({ verified: true, parts: 4, partSize: PART, crc64: formatCrc64(crc64(bytes)) });
    expect(opsFor(env.emu, key).filter((op) => op === 'UploadPart')).toHaveLength(4);
    await expectObject(key, bytes);
  });

  it('raises the part size so the file fits in the part limit, as the planner says', async () => {
    const bytes = data(10 * PART + 17);
    const key = uniqueKey('raised.bin');
    const result = await uploadFile(store, opts(key, env.file(`${provider}-raised.bin`, bytes), { maxParts: 4 }));
    const plan = planParts(bytes.length, { partSize: PART, minPartSize: PART, maxParts: 4 });
    expect(plan.raised).toBe(true);
    expect(result).toMatchObject({ verified: true, parts: plan.partCount, partSize: plan.partSize });
    expect(result.parts).toBeLessThanOrEqual(4);
    await expectObject(key, bytes);
  });

  it('re-sends a part corrupted in transit and completes a correct object', async () => {
    const bytes = data(5 * PART + 100);
    const key = uniqueKey('corrupt-once.bin');
    env.emu.faults.add({ op: 'UploadPart', key, partNumber: 2, action: { kind: 'corrupt-upload' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-corrupt-once.bin`, bytes)));
    expect(result).toMatchObject({ verified: true, parts: 6, retriedParts: [2] });
    const part2 = env.emu.requests().filter((r) => r.key === key && r.op === 'UploadPart' && r.partNumber === 2);
    expect(part2).toHaveLength(2);
    expect(part2[0].faults).toEqual(['corrupt-upload']);
    await expectObject(key, bytes);
  });

  it('fails, without ever calling Complete, when a part stays corrupt, and aborts the upload', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('corrupt-always.bin');
    env.emu.faults.add({ op: 'UploadPart', key, partNumber: 3, times: Infinity, action: { kind: 'corrupt-upload' } });
    const err = await uploadFile(store, opts(key, env.file(`${provider}-corrupt-always.bin`, bytes), { partRetries: 2 })).catch((e) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.partNumber).toBe(3);
    expect(err.message).toMatch(/Part 3 .* 3 times.*not completed/);
    const ops = opsFor(env.emu, key);
    expect(ops).not.toContain('CompleteMultipartUpload');
    expect(ops).toContain('AbortMultipartUpload');
    expect(ops.filter((op) => op === 'UploadPart').length).toBeGreaterThanOrEqual(3);
    await expectNoObject(key);
  });

  it('re-sends a part whose CRC header came back wrong', async () => {
    const bytes = data(3 * PART + 5);
    const key = uniqueKey('wrong-part-crc.bin');
    env.emu.faults.add({ op: 'UploadPart', key, partNumber: 1, action: { kind: 'wrong-crc-header' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-wrong-part-crc.bin`, bytes)));
    expect(result).toMatchObject({ verified: true, retriedParts: [1] });
    await expectObject(key, bytes);
  });

  it('fails without Complete when a part CRC header is always wrong', async () => {
    const bytes = data(3 * PART);
    const key = uniqueKey('wrong-part-crc-always.bin');
    env.emu.faults.add({ op: 'UploadPart', key, partNumber: 2, times: Infinity, action: { kind: 'wrong-crc-header' } });
    await expect(uploadFile(store, opts(key, env.file(`${provider}-wpca.bin`, bytes), { partRetries: 1 }))).rejects.toBeInstanceOf(
      IntegrityError,
    );
    expect(opsFor(env.emu, key)).not.toContain('CompleteMultipartUpload');
    await expectNoObject(key);
  });

  it('is verified by the whole-object CRC when one part answer lacked its CRC, and names that part', async () => {
    const bytes = data(3 * PART + 1);
    const key = uniqueKey('omit-part-crc.bin');
    env.emu.faults.add({ op: 'UploadPart', key, partNumber: 2, action: { kind: 'omit-crc-header' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-omit-part-crc.bin`, bytes)));
    expect(result).toMatchObject({ verified: true, crc64: formatCrc64(crc64(bytes)), remoteCrc64: formatCrc64(crc64(bytes)) });
    expect(result.reason).toBeUndefined();
    expect(result.notes?.join('\n')).toMatch(/no CRC-64 for part 2\b/);
    await expectObject(key, bytes);
  });

  it('reports "not verified", naming the part, when a part and Complete come back without a CRC', async () => {
    const bytes = data(3 * PART + 1);
    const key = uniqueKey('omit-part-and-complete-crc.bin');
    env.emu.faults.add({ op: 'UploadPart', key, partNumber: 2, action: { kind: 'omit-crc-header' } });
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key, action: { kind: 'omit-crc-header' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-omit-pc.bin`, bytes)));
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/no CRC-64 for part.* 2/);
    await expectObject(key, bytes);
  });

  it('fails and removes the object when the Complete CRC header disagrees with the combined part CRCs', async () => {
    const bytes = data(3 * PART);
    const key = uniqueKey('wrong-complete-crc.bin');
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key, action: { kind: 'wrong-crc-header' } });
    const err = await uploadFile(store, opts(key, env.file(`${provider}-wcc.bin`, bytes))).catch((e) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.expected).toBe(formatCrc64(crc64(bytes)));
    await expectNoObject(key);
  });

  it('reports "not verified" when Complete returns no CRC', async () => {
    const bytes = data(3 * PART);
    const key = uniqueKey('omit-complete-crc.bin');
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key, action: { kind: 'omit-crc-header' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-occ.bin`, bytes)));
    expect(result).toMatchObject({ verified: false, crc64: formatCrc64(crc64(bytes)) });
    expect(result.reason).toMatch(/no whole-object CRC-64/);
    await expectObject(key, bytes);
  });

  it('recognises a Complete whose answer was lost after it succeeded, by the stored object', async () => {
    const bytes = data(3 * PART + 9);
    const key = uniqueKey('complete-lost.bin');
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-complete-lost`));
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key, action: { kind: 'drop-response' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-cl.bin`, bytes), { checkpoints }));
    expect(result).toMatchObject({ verified: true, crc64: formatCrc64(crc64(bytes)), remoteCrc64: formatCrc64(crc64(bytes)) });
    // The adapter's retry found the upload gone (NoSuchUpload): HEAD settled it.
    const requests = env.emu.requests().filter((r) => r.key === key);
    expect(requests.filter((r) => r.op === 'CompleteMultipartUpload').map((r) => r.code ?? '')).toEqual(['', 'NoSuchUpload']);
    expect(requests.map((r) => r.op)).toContain('HeadObject');
    expect(await checkpoints.all()).toEqual([]);
    await expectObject(key, bytes);
  });

  it('fails a lost Complete when the stored object is not the file, and says so', async () => {
    const bytes = data(3 * PART + 9);
    const key = uniqueKey('complete-lost-other.bin');
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key, action: { kind: 'drop-response' } });
    // Whatever HEAD then reports is not what Complete assembled.
    env.emu.faults.add({ op: 'HeadObject', key, times: Infinity, action: { kind: 'wrong-crc-header' } });
    const err = await uploadFile(store, opts(key, env.file(`${provider}-clo.bin`, bytes))).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/Complete/);
    expect(opsFor(env.emu, key)).toContain('HeadObject');
  });

  it('settles a Complete that landed in an earlier run by HEAD, without sending the parts again', async () => {
    const bytes = data(3 * PART + 9);
    const key = uniqueKey('complete-lost-resume.bin');
    const path = env.file(`${provider}-clr.bin`, bytes);
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-complete-lost-resume`));
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key, action: { kind: 'drop-response' } });
    // HEAD is unreachable in the first run: it cannot tell whether Complete landed.
    env.emu.faults.add({ op: 'HeadObject', key, times: Infinity, action: { kind: 'status', status: 503 } });
    await expect(uploadFile(store, opts(key, path, { checkpoints }))).rejects.toThrow();
    expect(await checkpoints.all()).toHaveLength(1);
    env.emu.faults.clear();

    const since = Date.now();
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result).toMatchObject({ verified: true, crc64: formatCrc64(crc64(bytes)), remoteCrc64: formatCrc64(crc64(bytes)) });
    const ops = opsFor(env.emu, key, since);
    expect(ops).not.toContain('UploadPart');
    expect(ops).not.toContain('InitiateMultipartUpload');
    expect(ops).toContain('HeadObject');
    expect(await checkpoints.all()).toEqual([]);
    await expectObject(key, bytes);
  });

  it('starts over when a Complete of an earlier run cannot be confirmed: the stored object is not the file', async () => {
    const bytes = data(3 * PART + 9);
    const key = uniqueKey('complete-lost-replaced.bin');
    const path = env.file(`${provider}-clx.bin`, bytes);
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-complete-lost-replaced`));
    env.emu.faults.add({ op: 'CompleteMultipartUpload', key, action: { kind: 'drop-response' } });
    env.emu.faults.add({ op: 'HeadObject', key, times: Infinity, action: { kind: 'status', status: 503 } });
    await expect(uploadFile(store, opts(key, path, { checkpoints }))).rejects.toThrow(/Run the upload again/);
    env.emu.faults.clear();
    // Someone else writes the key before the next run.
    await store.put(bucket, key, data(100));

    const since = Date.now();
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result).toMatchObject({ verified: true, resumedParts: 0, crc64: formatCrc64(crc64(bytes)) });
    const ops = opsFor(env.emu, key, since);
    expect(ops).toContain('HeadObject');
    expect(ops).toContain('InitiateMultipartUpload');
    expect(ops.filter((op) => op === 'UploadPart')).toHaveLength(4);
    expect(await checkpoints.all()).toEqual([]);
    await expectObject(key, bytes);
  });

  it('re-sends a part whose answer was lost after it was stored', async () => {
    const bytes = data(3 * PART);
    const key = uniqueKey('part-lost.bin');
    env.emu.faults.add({ op: 'UploadPart', key, partNumber: 2, action: { kind: 'drop-response' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-pl.bin`, bytes)));
    expect(result.verified).toBe(true);
    await expectObject(key, bytes);
  });

  it('re-sends a single PUT corrupted in transit; fails and removes it when it stays corrupt', async () => {
    const bytes = data(PART);
    const key = uniqueKey('put-corrupt.bin');
    const path = env.file(`${provider}-put-corrupt.bin`, bytes);
    env.emu.faults.add({ op: 'PutObject', key, action: { kind: 'corrupt-upload' } });
    expect(await uploadFile(store, opts(key, path))).toMatchObject({ verified: true, retriedParts: [0] });
    await expectObject(key, bytes);

    env.emu.faults.add({ op: 'PutObject', key, times: Infinity, action: { kind: 'corrupt-upload' } });
    await expect(uploadFile(store, opts(key, path, { partRetries: 1 }))).rejects.toBeInstanceOf(IntegrityError);
    env.emu.faults.clear();
    await expectNoObject(key);
  });

  it('reports "not verified" for a PUT answered without a CRC, and fails on a wrong one', async () => {
    const bytes = data(100);
    const key = uniqueKey('put-omit.bin');
    const path = env.file(`${provider}-put-omit.bin`, bytes);
    env.emu.faults.add({ op: 'PutObject', key, action: { kind: 'omit-crc-header' } });
    const result = await uploadFile(store, opts(key, path));
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/no CRC-64/);
    await expectObject(key, bytes);
    env.emu.faults.add({ op: 'PutObject', key, times: Infinity, action: { kind: 'wrong-crc-header' } });
    await expect(uploadFile(store, opts(key, path, { partRetries: 0 }))).rejects.toBeInstanceOf(IntegrityError);
  });

  it("rides out a storm of 503s on parts, Initiate and Complete within the adapter's retries", async () => {
    const bytes = data(4 * PART + 3);
    const key = uniqueKey('storm.bin');
    env.emu.faults.add({ key, op: 'InitiateMultipartUpload', times: 2, action: { kind: 'status', status: 503, code: 'SlowDown' } });
    env.emu.faults.add({
      key,
      op: 'UploadPart',
      partNumber: 2,
      times: ADAPTER_RETRIES,
      action: { kind: 'status', status: 503, code: 'SlowDown' },
    });
    env.emu.faults.add({ key, op: 'UploadPart', partNumber: 4, times: 2, action: { kind: 'status', status: 503, code: 'SlowDown' } });
    env.emu.faults.add({ key, op: 'CompleteMultipartUpload', times: 2, action: { kind: 'status', status: 503 } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-storm.bin`, bytes)));
    expect(result).toMatchObject({ verified: true, retriedParts: [] });
    expect(env.emu.requests().filter((r) => r.key === key && r.status === 503)).toHaveLength(2 + ADAPTER_RETRIES + 2 + 2);
    await expectObject(key, bytes);
  });

  it("one retry layer: a PUT against an endless 503 storm is sent 1 + the adapter's retries times", async () => {
    const key = uniqueKey('put-storm.bin');
    env.emu.faults.add({ key, op: 'PutObject', times: Infinity, action: { kind: 'status', status: 503, code: 'SlowDown' } });
    const err = await uploadFile(store, opts(key, env.file(`${provider}-put-storm.bin`, data(100)))).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.kind).toBe('server');
    expect(opsFor(env.emu, key).filter((op) => op === 'PutObject')).toHaveLength(1 + ADAPTER_RETRIES);
  });

  it("one retry layer: Initiate against an endless 503 storm is sent 1 + the adapter's retries times", async () => {
    const key = uniqueKey('initiate-storm.bin');
    env.emu.faults.add({ key, op: 'InitiateMultipartUpload', times: Infinity, action: { kind: 'status', status: 503 } });
    await expect(uploadFile(store, opts(key, env.file(`${provider}-initiate-storm.bin`, data(3 * PART))))).rejects.toBeInstanceOf(
      StorageError,
    );
    expect(opsFor(env.emu, key).filter((op) => op === 'InitiateMultipartUpload')).toHaveLength(1 + ADAPTER_RETRIES);
  });

  it("gives up on a part after the adapter's retries and leaves a resumable upload", async () => {
    const bytes = data(3 * PART);
    const key = uniqueKey('storm-forever.bin');
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-storm`));
    env.emu.faults.add({ key, op: 'UploadPart', partNumber: 3, times: Infinity, action: { kind: 'status', status: 503 } });
    const err = await uploadFile(store, opts(key, env.file(`${provider}-sf.bin`, bytes), { checkpoints, concurrency: 1 })).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    const ops = env.emu.requests().filter((r) => r.key === key);
    expect(ops.map((r) => r.op)).not.toContain('CompleteMultipartUpload');
    expect(ops.filter((r) => r.op === 'UploadPart' && r.partNumber === 3)).toHaveLength(1 + ADAPTER_RETRIES);
    env.emu.faults.clear();
    const result = await uploadFile(store, opts(key, join(env.dir, `${provider}-sf.bin`), { checkpoints }));
    expect(result.verified).toBe(true);
    expect(result.resumedParts).toBe(2);
    await expectObject(key, bytes);
  });

  it('survives connections reset mid-part', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('reset.bin');
    env.emu.faults.add({ key, op: 'UploadPart', partNumber: 3, times: 2, action: { kind: 'reset' } });
    const result = await uploadFile(store, opts(key, env.file(`${provider}-reset.bin`, bytes)));
    expect(result.verified).toBe(true);
    expect(env.emu.requests().filter((r) => r.key === key && r.op === 'UploadPart' && r.partNumber === 3).length).toBeGreaterThanOrEqual(2);
    await expectObject(key, bytes);
  });

  it('cancels with "keep" and resumes from the checkpoint, sending only the missing parts', async () => {
    const bytes = data(8 * PART);
    const key = uniqueKey('resume.bin');
    const path = env.file(`${provider}-resume.bin`, bytes);
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-resume`));
    env.emu.faults.add({ key, op: 'UploadPart', times: Infinity, action: { kind: 'delay', ms: 100 } });
    const controller = new AbortController();
    let done = 0;
    const first = uploadFile(store, {
      ...opts(key, path, { checkpoints, concurrency: 1, signal: controller.signal }),
      onProgress: (p) => {
        done = p.bytesDone;
        if (done >= 3 * PART) controller.abort();
      },
    });
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    env.emu.faults.clear();
    const saved = (await checkpoints.all())[0];
    expect(saved.parts.length).toBeGreaterThanOrEqual(3);
    expect(saved.parts.length).toBeLessThan(8);

    // The cancelled request may still be logged when the server finishes it; count from here on.
    const since = Date.now();
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result).toMatchObject({ verified: true, parts: 8, uploadId: saved.uploadId });
    expect(result.resumedParts).toBe(saved.parts.length);
    const ops = opsFor(env.emu, key, since);
    expect(ops).toContain('ListParts');
    expect(ops).not.toContain('InitiateMultipartUpload');
    expect(ops.filter((op) => op === 'UploadPart')).toHaveLength(8 - saved.parts.length);
    expect(await checkpoints.all()).toEqual([]);
    await expectObject(key, bytes);
  });

  /** Start an upload of `bytes`, cancel it after `partsBeforeCancel` parts, keep the checkpoint. */
  async function interrupted(name: string, bytes: Buffer, partsBeforeCancel: number) {
    const key = uniqueKey(name);
    const path = env.file(`${provider}-${name}`, bytes);
    // Whole-second times, so a test can put them back exactly after changing the bytes.
    utimesSync(path, ROUND_TIME, ROUND_TIME);
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-${name}`));
    const rule = env.emu.faults.add({ key, op: 'UploadPart', times: Infinity, action: { kind: 'delay', ms: 50 } });
    const controller = new AbortController();
    const run = uploadFile(store, {
      ...opts(key, path, { checkpoints, concurrency: 1, signal: controller.signal }),
      onProgress: (p) => {
        if (p.bytesDone >= partsBeforeCancel * PART) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    env.emu.faults.remove(rule);
    const saved = (await checkpoints.all())[0];
    return { key, path, checkpoints, saved };
  }

  it('checks the kept parts with List Parts: a part replaced in the meantime is sent again', async () => {
    const bytes = data(5 * PART);
    const { key, path, checkpoints, saved } = await interrupted('replaced.bin', bytes, 3);
    expect(saved.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    // Someone else writes different bytes as part 2 of the same upload.
    await store.uploadPart(env.bucket[provider], key, saved.uploadId, 2, data(PART));
    const since = Date.now();
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result).toMatchObject({ verified: true, resumedParts: 2, uploadId: saved.uploadId });
    const parts = env.emu
      .requests()
      .filter((r) => r.key === key && r.op === 'UploadPart' && r.time >= since)
      .map((r) => r.partNumber);
    expect(parts.sort()).toEqual([2, 4, 5]);
    await expectObject(key, bytes);
  });

  it('resume proves the kept parts: bytes changed inside a sent part, mtime restored, are not trusted', async () => {
    const bytes = data(5 * PART);
    const { key, path, checkpoints, saved } = await interrupted('rehash.bin', bytes, 3);
    expect(saved.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    rewriteKeepingTimes(path, PART + 10, data(100));
    const changed = readFileSync(path);
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result).toMatchObject({ verified: true, crc64: formatCrc64(crc64(changed)) });
    expect(await checkpoints.all()).toEqual([]);
    await expectObject(key, changed);
  });

  it('resume from a checkpoint without inode/ctime re-hashes the kept parts and re-sends the one that changed', async () => {
    const bytes = data(5 * PART);
    const { key, path, checkpoints, saved } = await interrupted('rehash-old.bin', bytes, 3);
    // A checkpoint written before the file's inode and ctime were recorded.
    const {
      localIno: _ino,
      localCtimeMs: _ctime,
      localStamp: _stamp,
      ...older
    } = saved as typeof saved & { localIno?: unknown; localCtimeMs?: unknown; localStamp?: unknown };
    await checkpoints.save(older);
    rewriteKeepingTimes(path, PART + 10, data(100));
    const changed = readFileSync(path);
    const since = Date.now();
    const seen: number[] = [];
    const result = await uploadFile(store, { ...opts(key, path, { checkpoints }), onProgress: (p) => seen.push(p.bytesDone) });
    expect(result).toMatchObject({ verified: true, crc64: formatCrc64(crc64(changed)), resumedParts: 2, uploadId: saved.uploadId });
    // Kept parts count once proved: progress never goes back, and ends at the whole file.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(changed.length);
    const parts = env.emu
      .requests()
      .filter((r) => r.key === key && r.op === 'UploadPart' && r.time >= since)
      .map((r) => r.partNumber);
    expect(parts.sort()).toEqual([2, 4, 5]);
    await expectObject(key, changed);
  });

  it('resume with every part kept proves them all and re-sends only the one that changed', async () => {
    const bytes = data(5 * PART);
    // Cancelled after the last part, before Complete.
    const { key, path, checkpoints, saved } = await interrupted('rehash-all.bin', bytes, 5);
    expect(saved.parts).toHaveLength(5);
    const { localIno: _ino, localCtimeMs: _ctime, localStamp: _stamp, ...older } = saved;
    await checkpoints.save(older);
    rewriteKeepingTimes(path, 2 * PART + 1, data(10));
    const changed = readFileSync(path);
    const since = Date.now();
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result).toMatchObject({ verified: true, resumedParts: 4, crc64: formatCrc64(crc64(changed)), uploadId: saved.uploadId });
    const parts = env.emu
      .requests()
      .filter((r) => r.key === key && r.op === 'UploadPart' && r.time >= since)
      .map((r) => r.partNumber);
    expect(parts).toEqual([3]);
    await expectObject(key, changed);
  });

  it('resume re-hashes the kept parts through hashPart', async () => {
    const bytes = data(5 * PART);
    const { key, path, checkpoints, saved } = await interrupted('rehash-pool.bin', bytes, 2);
    const hashed: number[] = [];
    const result = await uploadFile(store, opts(key, path, { checkpoints, hashPart: (b) => (hashed.push(b.length), crc64(b)) }));
    expect(result).toMatchObject({ verified: true, resumedParts: saved.parts.length, crc64: formatCrc64(crc64(bytes)) });
    // Every part's bytes were hashed in this run: the kept ones to prove them, the others to send them.
    expect(hashed).toHaveLength(5);
  });

  it('starts over when the kept upload no longer exists', async () => {
    const bytes = data(4 * PART);
    const { key, path, checkpoints, saved } = await interrupted('gone.bin', bytes, 2);
    await store.abortMultipartUpload(env.bucket[provider], key, saved.uploadId);
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result.resumedParts).toBe(0);
    expect(result.uploadId).not.toBe(saved.uploadId);
    expect(result.verified).toBe(true);
    await expectObject(key, bytes);
  });

  it('cancels with "abort": the multipart upload is aborted, no checkpoint stays', async () => {
    const bytes = data(6 * PART);
    const key = uniqueKey('abort.bin');
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-abort`));
    env.emu.faults.add({ key, op: 'UploadPart', times: Infinity, action: { kind: 'delay', ms: 100 } });
    const controller = new AbortController();
    const run = uploadFile(store, {
      ...opts(key, env.file(`${provider}-abort.bin`, bytes), { checkpoints, concurrency: 1, signal: controller.signal, onCancel: 'abort' }),
      onProgress: (p) => {
        if (p.bytesDone >= PART) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    const ops = opsFor(env.emu, key);
    expect(ops).toContain('AbortMultipartUpload');
    expect(ops).not.toContain('CompleteMultipartUpload');
    expect(await checkpoints.all()).toEqual([]);
    await expectNoObject(key);
  });

  it('starts over when the local file changed before the resume', async () => {
    const bytes = data(6 * PART);
    const key = uniqueKey('changed.bin');
    const path = env.file(`${provider}-changed.bin`, bytes);
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-changed`));
    env.emu.faults.add({ key, op: 'UploadPart', times: Infinity, action: { kind: 'delay', ms: 100 } });
    const controller = new AbortController();
    const first = uploadFile(store, {
      ...opts(key, path, { checkpoints, concurrency: 1, signal: controller.signal }),
      onProgress: (p) => {
        if (p.bytesDone >= 2 * PART) controller.abort();
      },
    });
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    env.emu.faults.clear();
    const old = (await checkpoints.all())[0];
    expect(old.parts.length).toBeGreaterThan(0);

    // Same size, new content, new mtime: nothing already sent may be reused.
    const changed = data(6 * PART);
    env.file(`${provider}-changed.bin`, changed);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const result = await uploadFile(store, opts(key, path, { checkpoints }));
    expect(result.resumedParts).toBe(0);
    expect(result.uploadId).not.toBe(old.uploadId);
    expect(env.emu.requests().some((r) => r.op === 'AbortMultipartUpload' && r.uploadId === old.uploadId)).toBe(true);
    await expectObject(key, changed);
  });

  it('aborts the upload and forgets its checkpoint when the file is truncated mid-upload', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('truncated.bin');
    const path = env.file(`${provider}-truncated.bin`, bytes);
    const checkpoints = new CheckpointStore(join(env.dir, `${provider}-cp-truncated`));
    env.emu.faults.add({ key, op: 'UploadPart', partNumber: 1, action: { kind: 'delay', ms: 300 } });
    const run = uploadFile(store, opts(key, path, { checkpoints, concurrency: 1 }));
    setTimeout(() => truncateSync(path, PART + PART / 2), 100);
    const err = await run.catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/shorter/);
    expect(err.message).toMatch(/aborted/);
    const ops = opsFor(env.emu, key);
    expect(ops).toContain('AbortMultipartUpload');
    expect(ops).not.toContain('CompleteMultipartUpload');
    expect(await checkpoints.all()).toEqual([]);
    await expectNoObject(key);
  });

  it('refuses to complete when the file changes during the upload', async () => {
    const bytes = data(4 * PART);
    const key = uniqueKey('changing.bin');
    const path = env.file(`${provider}-changing.bin`, bytes);
    env.emu.faults.add({ key, op: 'UploadPart', partNumber: 4, action: { kind: 'delay', ms: 200 } });
    const run = uploadFile(store, opts(key, path, { concurrency: 1 }));
    setTimeout(() => appendFileSync(path, 'more'), 50);
    await expect(run).rejects.toThrow(/changed while it was being uploaded.*aborted/);
    expect(opsFor(env.emu, key)).not.toContain('CompleteMultipartUpload');
    expect(opsFor(env.emu, key)).toContain('AbortMultipartUpload');
  });

  it('keeps parts in flight across all files of a folder within the concurrency', async () => {
    const folder = join(env.dir, `${provider}-pooled`);
    mkdirSync(folder, { recursive: true });
    const files = [0, 1, 2, 3].map((i) => ({ name: `f${i}.bin`, bytes: data(3 * PART + i) }));
    for (const f of files) writeFileSync(join(folder, f.name), f.bytes);
    // The real store, watched: how many part requests are open at once.
    let open = 0;
    let peak = 0;
    const watched: ObjectStore = Object.create(store);
    watched.uploadPart = async (...args) => {
      peak = Math.max(peak, ++open);
      try {
        return await store.uploadPart(...args);
      } finally {
        open--;
      }
    };
    env.emu.faults.add({ op: 'UploadPart', times: Infinity, action: { kind: 'delay', ms: 20 } });
    const prefix = uniqueKey('pooled/');
    const summary = await uploadFolder(watched, { ...opts('', ''), concurrency: 2, filesAtOnce: 4, folder, prefix });
    expect(summary).toMatchObject({ verified: 4, failed: 0 });
    expect(peak).toBe(2);
    for (const f of files) await expectObject(prefix + f.name, f.bytes);
  });

  it('uploads a folder to a prefix with a summary', async () => {
    const folder = join(env.dir, `${provider}-folder`);
    const files = { 'a.txt': data(10), 'sub/b.bin': data(3 * PART + 7), 'sub/deeper/c': Buffer.alloc(0) };
    for (const [rel, bytes] of Object.entries(files)) {
      const full = join(folder, rel);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, bytes);
    }
    const prefix = uniqueKey('folder/');
    const summary = await uploadFolder(store, { ...opts('', ''), folder, prefix });
    expect(summary).toMatchObject({ verified: 3, unverified: 0, failed: 0 });
    for (const [rel, bytes] of Object.entries(files)) await expectObject(prefix + rel, bytes);
    expect(existsSync(folder) && readdirSync(folder).length).toBe(2);
  });
});
