import { beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { caughtStorage as caught, emulatorSuite } from './helpers';

/** A source that changed since its ETag was read is never copied: the copy-source If-Match condition fails. */
describe.each(['cos', 'oss'] as const)('%s copy with a stale source ETag', (provider: ProviderKind) => {
  const suite = emulatorSuite(provider, ['cond'], { minPartSize: 1024 });
  let bucket: string;
  let store: ObjectStore;

  beforeAll(() => {
    store = suite.store;
    [bucket] = suite.buckets;
  });

  it('copyObject: precondition-failed, and the destination is not written', async () => {
    const first = await store.put(bucket, 'src.txt', Buffer.from('first version'));
    await store.put(bucket, 'src.txt', Buffer.from('second version, changed'));
    const err = await caught(store.copyObject(bucket, 'src.txt', bucket, 'dst.txt', { ifMatch: first.etag }));
    expect(err.kind).toBe('precondition-failed');
    expect((await caught(store.head(bucket, 'dst.txt'))).kind).toBe('no-such-key');
  });

  it('uploadPartCopy: precondition-failed for a part whose source changed, and no part is stored', async () => {
    const first = await store.put(bucket, 'big.bin', Buffer.alloc(4096, 1));
    await store.put(bucket, 'big.bin', Buffer.alloc(4096, 2));
    const { uploadId } = await store.createMultipartUpload(bucket, 'big-copy.bin');
    const source = { srcBucket: bucket, srcKey: 'big.bin', range: { start: 0, end: 2047 }, ifMatch: first.etag };
    const err = await caught(store.uploadPartCopy(bucket, 'big-copy.bin', uploadId, 1, source));
    expect(err.kind).toBe('precondition-failed');
    expect(await store.listParts(bucket, 'big-copy.bin', uploadId)).toEqual([]);
    await store.abortMultipartUpload(bucket, 'big-copy.bin', uploadId);
  });
});
