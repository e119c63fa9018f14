import type { ListOptions, ObjectInfo, ObjectStore } from './types';

/**
 * Every object under a prefix, page after page, as they arrive: the one "list everything" of the core.
 * A caller that stops early (or throws) stops the paging; memory holds one page at a time.
 */
export async function* listObjects(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  options: Pick<ListOptions, 'pageSize' | 'signal'> = {},
): AsyncGenerator<ObjectInfo> {
  let pageToken: string | undefined;
  do {
    const page = await store.list(bucket, { prefix, pageToken, pageSize: options.pageSize, signal: options.signal });
    yield* page.objects;
    pageToken = page.nextPageToken;
  } while (pageToken);
}

/** Every object under a prefix, collected (for folder-sized prefixes; stream with `listObjects` otherwise). */
export async function listAllObjects(store: ObjectStore, bucket: string, prefix: string, signal?: AbortSignal): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const o of listObjects(store, bucket, prefix, { signal })) out.push(o);
  return out;
}
