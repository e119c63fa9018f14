import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { CopyRequestError, DestinationExistsError } from '../../../src/transfer/copy/types';
import { combinePartCrcs, copyObjectVerified, moveObjectVerified, verifyCopyByStreaming } from '../../../src/transfer/copy/verifiedCopy';
import { IntegrityError } from '../../../src/util/errors';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { lcgBytes, loadVectors } from '../../support/vectors';

const KiB = 1024;
/** The emulator's and the planner's smallest part, lowered so a multipart copy needs little data. */
const MIN_PART = 64 * KiB;

describe.each(['cos', 'oss'] as const)('verified server-side copy on %s', (provider: ProviderKind) => {
  let emu: Emulator;
  let bucket: string;
  let other: string;
  let store: ObjectStore;
  const big = Buffer.from(lcgBytes(7, 5 * MIN_PART + 123));
  const multipart = { multipartThresholdBytes: MIN_PART, partSizeBytes: MIN_PART, minPartSize: MIN_PART, concurrency: 3 };

  const exists = async (b: string, key: string): Promise<boolean> =>
    store.head(b, key).then(
      () => true,
      (err: unknown) => {
        if (err instanceof StorageError && err.kind === 'no-such-key') return false;
        throw err;
      },
    );
  const bytesOf = async (b: string, key: string): Promise<Buffer> => {
    const { body } = await store.get(b, key);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  beforeAll(async () => {
    emu = await startTestEmulator({ minPartSize: MIN_PART });
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'copy') : await makeOssBucket(emu, 'copy');
    other = provider === 'cos' ? await makeCosBucket(emu, 'dest') : await makeOssBucket(emu, 'dest');
    store = await emulatorStore(emu, provider, { maxRetries: 0, retryBaseDelayMs: 1 });
    await store.put(bucket, 'small.txt', Buffer.from('a small object\n'));
    await store.put(bucket, 'big.bin', big);
    await emu.putLegacyObject(provider, bucket, 'legacy.txt', 'stored by an old tool');
  });
  beforeEach(() => emu.faults.clear());
  afterAll(async () => {
    await emu?.close();
  });

  it('copies a small object in one request, verified by the CRC-64 the service returned', async () => {
    const outcome = await copyObjectVerified(store, { bucket, key: 'small.txt' }, { bucket: other, key: 'copies/small.txt' });
    const source = await store.head(bucket, 'small.txt');
    expect(outcome).toMatchObject({ method: 'copy', parts: 1, verified: true, sourceCrc64: source.crc64, targetCrc64: source.crc64 });
    expect((await bytesOf(other, 'copies/small.txt')).toString()).toBe('a small object\n');
  });

  it('copies a large object part by part, without a byte through the client, and checks the combined part CRCs', async () => {
    emu.clearRequests();
    const progress: number[] = [];
    const outcome = await copyObjectVerified(
      store,
      { bucket, key: 'big.bin' },
      { bucket: other, key: 'big-copy.bin' },
      { ...multipart, onProgress: (d) => progress.push(d) },
    );
    const source = await store.head(bucket, 'big.bin');
    expect(outcome).toMatchObject({
      method: 'multipart',
      parts: 6,
      verified: true,
      size: big.length,
      sourceCrc64: source.crc64,
      targetCrc64: source.crc64,
    });
    expect(progress.at(-1)).toBe(big.length);
    const ops = emu.requests().map((r) => r.op);
    expect(ops.filter((op) => op === 'UploadPartCopy')).toHaveLength(6);
    expect(ops).not.toContain('GetObject');
    expect(ops).not.toContain('UploadPart');
    expect((await bytesOf(other, 'big-copy.bin')).equals(big)).toBe(true);
  });

  it('says "not verified" for a copy of an object stored without a CRC-64, and streaming then verifies it', async () => {
    const outcome = await copyObjectVerified(store, { bucket, key: 'legacy.txt' }, { bucket, key: 'legacy-copy.txt' });
    expect(outcome.verified).toBe(false);
    expect(outcome.reason).toMatch(/without a CRC-64/);
    const check = await verifyCopyByStreaming(store, { bucket, key: 'legacy.txt' }, { bucket, key: 'legacy-copy.txt' });
    expect(check.verified).toBe(true);
    expect(check.targetCrc64).toBe(check.sourceCrc64);
  });

  it('falls back to a HEAD when the copy answer has no CRC-64, and says "not verified" when nothing gives one', async () => {
    emu.faults.add({ op: 'CopyObject', action: { kind: 'omit-crc-header' } });
    const viaHead = await copyObjectVerified(store, { bucket, key: 'small.txt' }, { bucket, key: 'no-crc-answer.txt' });
    expect(viaHead.verified).toBe(true);

    emu.faults.add({ op: 'CopyObject', action: { kind: 'omit-crc-header' } });
    emu.faults.add({ op: 'HeadObject', key: 'no-crc-at-all.txt', times: Infinity, action: { kind: 'omit-crc-header' } });
    const none = await copyObjectVerified(store, { bucket, key: 'small.txt' }, { bucket, key: 'no-crc-at-all.txt' });
    expect(none.verified).toBe(false);
    expect(none.reason).toMatch(/no CRC-64 for the copy/);
  });

  it('removes a copy whose CRC-64 differs from the source, and aborts a multipart copy whose part CRC is wrong', async () => {
    emu.faults.add({ op: 'CopyObject', action: { kind: 'wrong-crc-header' } });
    await expect(copyObjectVerified(store, { bucket, key: 'small.txt' }, { bucket, key: 'damaged.txt' })).rejects.toBeInstanceOf(
      IntegrityError,
    );
    expect(await exists(bucket, 'damaged.txt')).toBe(false);

    emu.faults.add({ op: 'UploadPartCopy', partNumber: 2, action: { kind: 'wrong-crc-header' } });
    const err = await copyObjectVerified(store, { bucket, key: 'big.bin' }, { bucket, key: 'damaged-big.bin' }, multipart).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as Error).message).toMatch(/combine to CRC-64 .* not completed/);
    expect(await exists(bucket, 'damaged-big.bin')).toBe(false);
    expect(emu.requests().some((r) => r.op === 'AbortMultipartUpload' && r.key === 'damaged-big.bin')).toBe(true);
  });

  it('refuses a copy onto itself and an existing destination unless told to overwrite', async () => {
    await expect(copyObjectVerified(store, { bucket, key: 'small.txt' }, { bucket, key: 'small.txt' })).rejects.toBeInstanceOf(
      CopyRequestError,
    );
    await store.put(bucket, 'taken.txt', Buffer.from('already here'));
    const err = await copyObjectVerified(store, { bucket, key: 'small.txt' }, { bucket, key: 'taken.txt' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DestinationExistsError);
    expect((await bytesOf(bucket, 'taken.txt')).toString()).toBe('already here');
    const replaced = await copyObjectVerified(store, { bucket, key: 'small.txt' }, { bucket, key: 'taken.txt' }, { overwrite: true });
    expect(replaced.verified).toBe(true);
    expect((await bytesOf(bucket, 'taken.txt')).toString()).toBe('a small object\n');
  });

  it('removes the copy when the source changes while its parts are copied', async () => {
    await store.put(bucket, 'moving-target.bin', big);
    emu.faults.add({ op: 'UploadPartCopy', partNumber: 3, action: { kind: 'delay', ms: 400 } });
    const copying = copyObjectVerified(
      store,
      { bucket, key: 'moving-target.bin' },
      { bucket, key: 'mixed.bin' },
      { ...multipart, concurrency: 1 },
    ).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 150));
    await store.put(bucket, 'moving-target.bin', Buffer.from(lcgBytes(8, big.length)));
    const err = await copying;
    expect(err).toBeInstanceOf(CopyRequestError);
    expect((err as Error).message).toMatch(/changed while it was copied, so the copy was not kept/);
    expect(await exists(bucket, 'mixed.bin')).toBe(false);
  });

  it('moves = verified copy, then delete; an unverified copy keeps its source', async () => {
    await store.put(bucket, 'to-move.txt', Buffer.from('move me'));
    const moved = await moveObjectVerified(store, { bucket, key: 'to-move.txt' }, { bucket: other, key: 'moved.txt' });
    expect(moved).toMatchObject({ verified: true, sourceDeleted: true });
    expect(await exists(bucket, 'to-move.txt')).toBe(false);
    expect((await bytesOf(other, 'moved.txt')).toString()).toBe('move me');

    const kept = await moveObjectVerified(store, { bucket, key: 'legacy.txt' }, { bucket: other, key: 'legacy-moved.txt' });
    expect(kept).toMatchObject({ verified: false, sourceDeleted: false });
    expect(await exists(bucket, 'legacy.txt')).toBe(true);
  });
});

describe('combining part CRC-64s', () => {
  it('gives the whole CRC-64 of the independent vectors, and nothing when a part has none', () => {
    for (const v of loadVectors().combine) {
      expect(
        combinePartCrcs([
          { crc64: v.crc1, size: v.len1 },
          { crc64: v.crc2, size: v.len2 },
        ]),
      ).toBe(v.crc);
    }
    expect(combinePartCrcs([{ crc64: '1', size: 1 }, { size: 1 }])).toBeUndefined();
  });
});
