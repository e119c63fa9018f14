import { isSymlinkReader } from '../../storage/capabilities';
import type { ObjectInfo, ObjectStore } from '../../storage/types';

/**
 * What an object's hover and badges need beyond its listing: the CRC-64 (listings carry none), with size,
 * ETag and date as they are now, and what the hover says of the object — encryption, storage class and
 * restore, type and next append position. One HEAD on both clouds: OSS's lighter GetObjectMeta answers
 * Content-Length, ETag and Last-Modified only (OSS API "GetObjectMeta", response headers), none of the
 * encryption, class, restore or type. A symlink is HEADed (which follows it to its target) and its target
 * named (GetSymlink).
 */
export async function objectFacts(store: ObjectStore, bucket: string, listed: ObjectInfo, signal?: AbortSignal): Promise<ObjectInfo> {
  if (listed.objectType === 'Symlink' && isSymlinkReader(store)) {
    const [head, target] = await Promise.all([
      store.head(bucket, listed.key, { signal }),
      store.readSymlink(bucket, listed.key, { signal }),
    ]);
    return { ...head, objectType: 'Symlink', symlinkTarget: target };
  }
  const head = await store.head(bucket, listed.key, { signal });
  return { ...head, storageClass: head.storageClass ?? listed.storageClass };
}
