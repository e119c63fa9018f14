import { abortQuietly, removeCorruptObject } from '../upload/cleanup';
import type { MigrateOptions, MigrationSide, ObjectRef } from './types';

export { startHash } from '../upload/localFile';

export function refOf(side: MigrationSide): ObjectRef {
  return { provider: side.store.provider, bucket: side.bucket, key: side.key };
}

/** A destination object that failed its check is not left looking like a good copy. */
export function removeCorruptDestination(options: MigrateOptions): Promise<string> {
  const { store, bucket, key } = options.destination;
  return removeCorruptObject(store, bucket, key, options.log);
}

/** Abort a multipart upload at the destination, ignoring one that is already gone. */
export async function abortUploadQuietly(options: MigrateOptions, uploadId: string): Promise<void> {
  const { store, bucket, key } = options.destination;
  await abortQuietly(store, { bucket, key, uploadId }, options.log);
}
