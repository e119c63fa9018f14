import { isObjectMetaReader } from '../../storage/capabilities';
import { isArchiveClass } from '../../storage/objectState';
import type { ObjectInfo, ObjectStore } from '../../storage/types';

/**
 * What an object's hover and badges need beyond its listing: the CRC-64 (listings carry none), with
 * size, ETag and date as they are now. OSS answers that with GetObjectMeta, lighter than a HEAD (no
 * user metadata, no content headers); it carries no storage class, so the listing's is kept. COS has
 * no such call: a HEAD.
 */
export async function objectFacts(store: ObjectStore, bucket: string, listed: ObjectInfo, signal?: AbortSignal): Promise<ObjectInfo> {
  // An archived object's restore state comes only with a HEAD.
  if (!isObjectMetaReader(store) || isArchiveClass(listed.storageClass)) return store.head(bucket, listed.key, { signal });
  const meta = await store.getObjectMeta(bucket, listed.key, { signal });
  return { ...meta, storageClass: meta.storageClass ?? listed.storageClass };
}
