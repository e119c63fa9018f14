import { crc64Update } from '../../crc';
import { StorageError } from '../../storage/errors';
import type { MigrateOptions, MigrationSide, ObjectRef } from './types';

/** Bytes hashed between two turns of the event loop, so sockets keep moving while a part is hashed. */
const HASH_SLICE = 1024 * 1024;

/**
 * CRC-64 of a part, computed in slices while the same bytes are being sent; awaited only when the
 * destination's answer is compared.
 */
export function startHash(bytes: Uint8Array): Promise<bigint> {
  const run = async (): Promise<bigint> => {
    let crc = 0n;
    for (let offset = 0; offset < bytes.length; offset += HASH_SLICE) {
      if (offset > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      crc = crc64Update(crc, bytes.subarray(offset, offset + HASH_SLICE));
    }
    return crc;
  };
  const hashing = run();
  hashing.catch(() => undefined);
  return hashing;
}

export function refOf(side: MigrationSide): ObjectRef {
  return { provider: side.store.provider, bucket: side.bucket, key: side.key };
}

/** A destination object that failed its check is not left looking like a good copy. */
export async function removeCorruptDestination(options: MigrateOptions): Promise<string> {
  const { store, bucket, key } = options.destination;
  try {
    await store.deleteObject(bucket, key);
    return 'The corrupt copy was removed from the destination.';
  } catch (err) {
    options.log?.(`Could not remove the corrupt copy of ${key}: ${(err as Error).message}`);
    return `The corrupt copy at ${key} could not be removed; delete it or copy again.`;
  }
}

/** Abort a multipart upload at the destination, ignoring one that is already gone. */
export async function abortUploadQuietly(options: MigrateOptions, uploadId: string): Promise<void> {
  const { store, bucket, key } = options.destination;
  try {
    await store.abortMultipartUpload(bucket, key, uploadId);
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-upload') return;
    options.log?.(`Could not abort the multipart upload of ${key}: ${(err as Error).message}`);
  }
}
