import { beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../../src/storage/types';
import { caughtStorage as caught, emulatorSuite, readAll } from './helpers';

/**
 * COS may answer a copy 200 OK with an `<Error>` body (the copy failed after the answer began). The
 * adapter takes that for the server error it is and retries it within its own budget, never for a copy.
 */
describe('cos copy answered 200 with an <Error> body', () => {
  const maxRetries = 2;
  const suite = emulatorSuite('cos', ['e200'], { connection: { maxRetries } });
  let bucket: string;
  let store: ObjectStore;

  beforeAll(async () => {
    store = suite.store;
    [bucket] = suite.buckets;
    await store.put(bucket, 'src.txt', Buffer.from('copied bytes'));
  });

  it('every attempt failing: a server error after 1 + maxRetries requests, and no destination', async () => {
    suite.emu.faults.add({ op: 'CopyObject', times: Infinity, action: { kind: 'error-in-200' } });
    const err = await caught(store.copyObject(bucket, 'src.txt', bucket, 'dst.txt'));
    expect(err.kind).toBe('server');
    expect(suite.opsOf('CopyObject')).toBe(1 + maxRetries);
    expect((await caught(store.head(bucket, 'dst.txt'))).kind).toBe('no-such-key');
  });

  it('one such answer: the retry copies, in two requests', async () => {
    suite.emu.faults.add({ op: 'CopyObject', action: { kind: 'error-in-200' } });
    await store.copyObject(bucket, 'src.txt', bucket, 'once.txt');
    expect(suite.opsOf('CopyObject')).toBe(2);
    expect((await readAll((await store.get(bucket, 'once.txt')).body)).toString()).toBe('copied bytes');
  });

  it('a Complete answered so is retried the same way, and the upload is not completed', async () => {
    const { uploadId } = await store.createMultipartUpload(bucket, 'mp.bin');
    const part = await store.uploadPart(bucket, 'mp.bin', uploadId, 1, Buffer.from('one part'));
    suite.emu.faults.add({ op: 'CompleteMultipartUpload', times: Infinity, action: { kind: 'error-in-200' } });
    const err = await caught(store.completeMultipartUpload(bucket, 'mp.bin', uploadId, [{ partNumber: 1, etag: part.etag }]));
    expect(err.kind).toBe('server');
    expect(suite.opsOf('CompleteMultipartUpload')).toBe(1 + maxRetries);
    expect((await caught(store.head(bucket, 'mp.bin'))).kind).toBe('no-such-key');
    await store.abortMultipartUpload(bucket, 'mp.bin', uploadId);
  });
});
