import { beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import type { Emulator } from '../../support/emulator';
import { bytes, emulatorSuite, readAll } from './helpers';

const PART = 64 * 1024;

const crcOf = (b: Buffer): string => formatCrc64(crc64(b));

describe.each(['cos', 'oss'] as const)('%s server-side copy', (provider: ProviderKind) => {
  const suite = emulatorSuite(provider, ['copysrc', 'copydst'], { minPartSize: PART });
  const opsOf = suite.opsOf;
  let emu: Emulator;
  let src: string;
  let dst: string;
  let store: ObjectStore;

  beforeAll(() => {
    ({ emu, store } = suite);
    [src, dst] = suite.buckets;
  });

  it('copies an object to another bucket: same bytes, and the CRC-64 the service gave the source', async () => {
    const body = bytes(150_000, 1);
    const put = await store.put(src, 'dir/a b+c.bin', body);
    emu.clearRequests();
    const copied = await store.copyObject(src, 'dir/a b+c.bin', dst, 'copies/a.bin');
    expect(opsOf('CopyObject')).toBe(1);
    expect(opsOf('GetObject') + opsOf('PutObject')).toBe(0);
    expect(copied.etag).toBeTruthy();
    expect(copied.crc64).toBe(put.crc64);
    const head = await store.head(dst, 'copies/a.bin');
    expect(head).toMatchObject({ size: body.length, crc64: put.crc64 });
    expect((await readAll((await store.get(dst, 'copies/a.bin')).body)).equals(body)).toBe(true);
  });

  it('a copy with the source ETag as its condition goes through', async () => {
    const put = await store.put(src, 'cond/a.txt', Buffer.from('conditional'));
    const copied = await store.copyObject(src, 'cond/a.txt', dst, 'cond/a.txt', { ifMatch: put.etag });
    expect(copied.crc64).toBe(put.crc64);
  });

  it('a copy of an object stored without a CRC-64 reports none', async () => {
    await emu.putLegacyObject(provider, src, 'legacy/old.txt', 'no crc here');
    const copied = await store.copyObject(src, 'legacy/old.txt', dst, 'legacy/old.txt');
    expect(copied.crc64).toBeUndefined();
    expect((await store.head(dst, 'legacy/old.txt')).size).toBe('no crc here'.length);
  });

  it('copying a missing source is a no-such-key error; into a missing bucket a no-such-bucket error', async () => {
    const missing = await store.copyObject(src, 'nothing/here', dst, 'x').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StorageError);
    expect((missing as StorageError).kind).toBe('no-such-key');
    await store.put(src, 'exists.txt', Buffer.from('x'));
    const name = provider === 'cos' ? `nosuch-${emu.cos.appId}` : 'nosuch-bucket';
    const noBucket = await store.copyObject(src, 'exists.txt', name, 'x').catch((e: unknown) => e);
    expect((noBucket as StorageError).kind).toBe('no-such-bucket');
  });

  it('multipart copy: each part copied from a range carries that range’s CRC-64, Complete the whole one', async () => {
    const body = bytes(2 * PART + 5000, 2);
    const put = await store.put(src, 'big/source.bin', body);
    const etag = put.etag;
    const { uploadId } = await store.createMultipartUpload(dst, 'big/copy.bin');
    emu.clearRequests();
    const ranges = [
      { start: 0, end: PART - 1 },
      { start: PART, end: 2 * PART - 1 },
      { start: 2 * PART, end: body.length - 1 },
    ];
    const parts = [];
    for (let i = 0; i < ranges.length; i++) {
      const part = await store.uploadPartCopy(dst, 'big/copy.bin', uploadId, i + 1, {
        srcBucket: src,
        srcKey: 'big/source.bin',
        range: ranges[i],
        ifMatch: etag,
      });
      expect(part).toMatchObject({ partNumber: i + 1, size: ranges[i].end - ranges[i].start + 1 });
      expect(part.etag).toBeTruthy();
      expect(part.crc64).toBe(crcOf(body.subarray(ranges[i].start, ranges[i].end + 1)));
      parts.push(part);
    }
    expect(opsOf('UploadPartCopy')).toBe(3);
    expect(opsOf('UploadPart')).toBe(0);
    const done = await store.completeMultipartUpload(dst, 'big/copy.bin', uploadId, parts);
    expect(done.crc64).toBe(put.crc64);
    expect((await readAll((await store.get(dst, 'big/copy.bin')).body)).equals(body)).toBe(true);
  });

  it('a part copy of a range past the end of the source is refused', async () => {
    await store.put(src, 'small.bin', Buffer.alloc(100));
    const { uploadId } = await store.createMultipartUpload(dst, 'small-copy.bin');
    const err = await store
      .uploadPartCopy(dst, 'small-copy.bin', uploadId, 1, { srcBucket: src, srcKey: 'small.bin', range: { start: 200, end: 299 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('invalid-request');
    await store.abortMultipartUpload(dst, 'small-copy.bin', uploadId);
  });
});
