import type { ListOptions, ListPage, ObjectInfo, ObjectStore } from './types';

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

/**
 * A listing's pages from `pageToken` on (undefined: the first page), each with the token that listed it.
 * The next page is asked for as soon as this one has arrived, while the caller works on it; a failure of
 * that request surfaces when the caller comes to its page.
 */
export async function* pagesFrom(
  store: Pick<ObjectStore, 'list'>,
  bucket: string,
  options: Pick<ListOptions, 'prefix' | 'pageToken' | 'pageSize' | 'signal'> & { onRequest?(): void },
): AsyncGenerator<{ page: ListPage; token: string | undefined }> {
  const list = (pageToken: string | undefined) => {
    options.onRequest?.();
    const p = store.list(bucket, { prefix: options.prefix, pageToken, pageSize: options.pageSize, signal: options.signal });
    p.catch(() => undefined); // awaited below; a failure while the caller works on the page before is not unhandled
    return p;
  };
  let token = options.pageToken;
  let pending = list(token);
  for (;;) {
    const page = await pending;
    const next = page.nextPageToken;
    if (next) pending = list(next);
    yield { page, token };
    if (!next) return;
    token = next;
  }
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
