import { isObjectMetaReader, isSymlinkReader } from '../../storage/capabilities';
import { isArchiveClass } from '../../storage/objectState';
import type { ObjectInfo, ObjectStore } from '../../storage/types';

/**
 * What an object's hover and badges need beyond its listing: the CRC-64 (listings carry none), with
 * size, ETag and date as they are now. OSS answers that with GetObjectMeta, lighter than a HEAD (no
 * user metadata, no content headers); it carries no storage class or object type, so the listing's are
 * kept. COS has no such call: a HEAD. A symlink is HEADed (which follows it to its target) and its target
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
  // An archived object's restore state comes only with a HEAD.
  if (!isObjectMetaReader(store) || isArchiveClass(listed.storageClass)) return store.head(bucket, listed.key, { signal });
  const meta = await store.getObjectMeta(bucket, listed.key, { signal });
  const objectType = meta.objectType ?? listed.objectType;
  return {
    ...meta,
    storageClass: meta.storageClass ?? listed.storageClass,
    ...(objectType ? { objectType } : {}),
    // An append must start at the object's length.
    ...(objectType === 'Appendable' ? { nextAppendPosition: meta.nextAppendPosition ?? meta.size } : {}),
  };
}
