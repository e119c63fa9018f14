import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { ObjectTooLargeError, readObjectVerified } from '../../../src/transfer/read/verifiedRead';
import { IntegrityError } from '../../../src/util/errors';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { loadVectors, vectorBytes } from '../../support/vectors';

/** Reading an object into memory for an editor, with its CRC-64 checked against the service's on the way. */
describe.each(['cos', 'oss'] as const)('verified read from %s', (provider: ProviderKind) => {
  let emu: Emulator;
  let bucket: string;
  let store: ObjectStore;
  const text = 'line one\nline two — with a non-ASCII dash\n'.repeat(500);

  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'read') : await makeOssBucket(emu, 'read');
    store = await emulatorStore(emu, provider, { maxRetries: 0, retryBaseDelayMs: 1 });
    await store.put(bucket, 'notes/a.txt', Buffer.from(text));
    await emu.putLegacyObject(provider, bucket, 'legacy.txt', 'stored by an old tool');
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('returns the bytes, verified, with the CRC-64 of the independent vectors', async () => {
    // A vector of some size from the independent oracle: the CRC-64 reported is the oracle's.
    const vector = loadVectors().vectors.find((v) => v.length > 1000)!;
    const bytes = Buffer.from(vectorBytes(vector.gen));
    await store.put(bucket, 'vector.bin', bytes);
    const read = await readObjectVerified(store, bucket, 'vector.bin');
    expect(read.verified).toBe(true);
    expect(read.crc64).toBe(vector.crc64);
    expect(read.bytes.equals(bytes)).toBe(true);

    const progress: number[] = [];
    const big = await readObjectVerified(store, bucket, 'notes/a.txt', { onProgress: (done) => progress.push(done) });
    expect(big.bytes.toString('utf8')).toBe(text);
    expect(big.verified).toBe(true);
    expect(big.notVerifiedReason).toBeUndefined();
    expect(progress.at(-1)).toBe(Buffer.byteLength(text));
  });

  it('refuses a body damaged on the way, naming both CRC-64 values', async () => {
    emu.faults.add({ op: 'GetObject', bucket, key: 'notes/a.txt', action: { kind: 'corrupt-download' } });
    const err = await readObjectVerified(store, bucket, 'notes/a.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    const integrity = err as IntegrityError;
    expect(integrity.message).toMatch(/do not match its stored CRC-64/);
    expect(integrity.expected).toBe((await store.head(bucket, 'notes/a.txt')).crc64);
    expect(integrity.actual).not.toBe(integrity.expected);
    expect(integrity.message).toContain(integrity.actual!);
    // The fault was consumed: the next read is clean again.
    expect((await readObjectVerified(store, bucket, 'notes/a.txt')).verified).toBe(true);
  });

  it('reads an object stored without a CRC-64 but flags it as not verified', async () => {
    const read = await readObjectVerified(store, bucket, 'legacy.txt');
    expect(read.bytes.toString()).toBe('stored by an old tool');
    expect(read.verified).toBe(false);
    expect(read.notVerifiedReason).toMatch(/without a CRC-64/);
    expect(read.info.crc64).toBeUndefined();
  });

  it('refuses an object above the size limit without reading it whole', async () => {
    const size = Buffer.byteLength(text);
    const err = await readObjectVerified(store, bucket, 'notes/a.txt', { maxBytes: size - 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectTooLargeError);
    expect((err as ObjectTooLargeError).size).toBe(size);
    expect((err as Error).message).toMatch(/allowed to open in an editor/);
    // Exactly at the limit is allowed.
    expect((await readObjectVerified(store, bucket, 'notes/a.txt', { maxBytes: size })).verified).toBe(true);
  });

  it('refuses a body cut short with a storage error, not as damaged bytes', async () => {
    // The whole length announced, half of it sent: a network failure, retried by a reader, not a mismatch.
    for (const kind of ['truncate-download', 'reset'] as const) {
      emu.faults.add({ op: 'GetObject', bucket, key: 'notes/a.txt', action: { kind } });
      const err = await readObjectVerified(store, bucket, 'notes/a.txt').catch((e: unknown) => e);
      expect(err, kind).toBeInstanceOf(StorageError);
      expect(err, kind).not.toBeInstanceOf(IntegrityError);
    }
  });

  it('names a missing key as such', async () => {
    const missing = await readObjectVerified(store, bucket, 'no/such.txt').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StorageError);
    expect((missing as StorageError).kind).toBe('no-such-key');
  });

  it('stops when cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(readObjectVerified(store, bucket, 'notes/a.txt', { signal: abort.signal })).rejects.toMatchObject({
      name: 'CancelledError',
    });
  });
});
