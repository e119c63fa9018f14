import type { ListOptions, ObjectInfo, ObjectStore } from './types';

/**
 * Every object under a prefix, page after page, as they arrive: the one "list everything" of the core.
 * A caller that stops early (or throws) stops the paging; memory holds one page at a time.
 */
export async function* listObjects(
  store: Pick<ObjectStore, 'list'>,
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
export async function listAllObjects(
  store: Pick<ObjectStore, 'list'>,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
  pageSize?: number,
): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const o of listObjects(store, bucket, prefix, { signal, pageSize })) out.push(o);
  return out;
}

/** `prefix` as a folder: '' stays the bucket root, anything else ends with '/'. */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}
