import { beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { createObjectStore } from '../../../src/storage';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { copyObjectVerified } from '../../../src/transfer/copy/verifiedCopy';
import { uploadFile } from '../../../src/transfer/upload';
import { newCustomerKey } from '../../support/objectState';
import { data, PART, readAll, useTransferEnv } from './fixture';

/**
 * A profile with a customer key (SSE-C) writes with it: the verified upload sends the key on Initiate and on
 * every part (the emulator refuses a part of an SSE-C upload without the same key, as COS "Upload Part"
 * documents), a verified multipart copy sends the source's key on every part copy and writes with the key,
 * and the object stays unreadable without the key. Read without it, the object is "encrypted with a customer
 * key: set it to check"; with another key, a wrong key — never a bare 400 or 403.
 */

const env = useTransferEnv();

async function refused(p: Promise<unknown>): Promise<StorageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof StorageError)) throw new Error(`expected a StorageError, got ${String(err)}`);
  return err;
}

describe.each<ProviderKind>(['cos', 'oss'])('SSE-C writes (%s)', (provider) => {
  const key = newCustomerKey();
  let keyed: ObjectStore;
  let plain: ObjectStore;
  let wrong: ObjectStore;
  let bucket: string;
  beforeAll(async () => {
    keyed = await createObjectStore({ ...env.connection(provider), customerKey: key });
    plain = await env.store(provider);
    wrong = await createObjectStore({ ...env.connection(provider), customerKey: newCustomerKey() });
    bucket = env.bucket[provider];
  });

  it('a multipart upload with the key verifies; HEAD without the key says "set it to check", with another "wrong customer key"', async () => {
    const bytes = data(3 * PART + 123);
    const since = Date.now();
    const localPath = env.file(`${provider}-ssec.bin`, bytes);
    const result = await uploadFile(keyed, {
      bucket,
      key: 'ssec/big.bin',
      localPath,
      partSize: PART,
      minPartSize: PART,
      multipartThreshold: 2 * PART,
    });
    expect(result).toMatchObject({ verified: true, parts: 4, crc64: formatCrc64(crc64(bytes)) });
    const ops = env.emu.requests().filter((r) => r.key === 'ssec/big.bin' && r.time >= since);
    expect(ops.filter((r) => r.op === 'UploadPart' && r.status === 200)).toHaveLength(4);

    const head = await keyed.head(bucket, 'ssec/big.bin');
    expect(head).toMatchObject({ encryption: 'SSE-C', crc64: formatCrc64(crc64(bytes)) });
    expect((await readAll(keyed, bucket, 'ssec/big.bin')).equals(bytes)).toBe(true);

    const none = await refused(plain.head(bucket, 'ssec/big.bin'));
    expect(none.kind).toBe('customer-key-required');
    expect(none.message).toMatch(/encrypted with a customer key \(SSE-C\): set it to check/);
    expect(none.message).not.toMatch(/\b40[03]\b/);
    const other = await refused(wrong.head(bucket, 'ssec/big.bin'));
    expect(other.kind).toBe('customer-key-wrong');
    expect(other.message).toMatch(/^Wrong customer key/);
    for (const e of [none, other]) expect(`${e.message} ${e.hint}`).not.toContain(key);
  });

  it('a single PUT with the key is written with it too', async () => {
    const bytes = data(PART / 2);
    const result = await uploadFile(keyed, { bucket, key: 'ssec/small.bin', localPath: env.file(`${provider}-small.bin`, bytes) });
    expect(result.verified).toBe(true);
    expect((await keyed.head(bucket, 'ssec/small.bin')).encryption).toBe('SSE-C');
    expect((await refused(plain.get(bucket, 'ssec/small.bin'))).kind).toBe('customer-key-required');
  });

  it('a verified multipart copy sends the source key on each part copy and writes the copy with the key', async () => {
    const outcome = await copyObjectVerified(
      keyed,
      { bucket, key: 'ssec/big.bin' },
      { bucket, key: 'ssec/big-copy.bin' },
      { multipartThresholdBytes: 2 * PART, partSizeBytes: PART, minPartSize: PART, overwrite: true },
    );
    expect(outcome).toMatchObject({ method: 'multipart', parts: 4 });
    expect(outcome.verified, outcome.reason).toBe(true);
    expect((await keyed.head(bucket, 'ssec/big-copy.bin')).encryption).toBe('SSE-C');
    expect((await refused(plain.head(bucket, 'ssec/big-copy.bin'))).kind).toBe('customer-key-required');
  });
});
