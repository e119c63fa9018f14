import * as l10n from '@vscode/l10n';
import { StorageError } from './errors';
import type { ObjectStore, RequestOptions } from './types';

/**
 * Object versions, cloud-neutral. A versioned bucket keeps every version of a key; its listing, HEAD and
 * GET see the current one. `atVersion` gives a view of a store in which one key of one bucket is one of
 * its versions, so the verified downloader, reader and copier work on a version unchanged.
 */

/** `Off`: versioning was never set on the bucket. */
export type VersioningStatus = 'Enabled' | 'Suspended' | 'Off';

/** One version of an object, or a delete marker. */
export interface ObjectVersion {
  key: string;
  versionId: string;
  /** The key's newest entry: the current version, or the delete marker that hides the key. */
  isLatest: boolean;
  deleteMarker: boolean;
  /** 0 for a delete marker. */
  size: number;
  lastModified?: Date;
  etag?: string;
  storageClass?: string;
}

export interface VersionPageOptions extends RequestOptions {
  prefix?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  pageSize?: number;
}

export interface VersionPage {
  /** Versions and delete markers together, keys in order, each key's newest first. */
  versions: ObjectVersion[];
  /** Present when there are more: the markers of the next page. */
  next?: { keyMarker: string; versionIdMarker: string };
}

/** The latest first within a key, then newest first; keys in the order the service listed them. */
export function orderVersions(versions: ObjectVersion[]): ObjectVersion[] {
  const keyOrder = new Map<string, number>();
  for (const v of versions) if (!keyOrder.has(v.key)) keyOrder.set(v.key, keyOrder.size);
  return versions
    .map((v, i) => ({ v, i }))
    .sort(
      (a, b) =>
        keyOrder.get(a.v.key)! - keyOrder.get(b.v.key)! ||
        Number(b.v.isLatest) - Number(a.v.isLatest) ||
        (b.v.lastModified?.getTime() ?? 0) - (a.v.lastModified?.getTime() ?? 0) ||
        a.i - b.i,
    )
    .map(({ v }) => v);
}

/** Every version and delete marker of exactly `key` (all pages). */
export async function versionsOfKey(
  store: { listVersions(bucket: string, options?: VersionPageOptions): Promise<VersionPage> },
  bucket: string,
  key: string,
  options: RequestOptions = {},
): Promise<ObjectVersion[]> {
  const out: ObjectVersion[] = [];
  for await (const v of allVersions(store, bucket, key, options)) {
    if (v.key === key) out.push(v);
    else if (v.key > key) break;
  }
  return out;
}

/** Every version and delete marker under `prefix`, page after page. */
export async function* allVersions(
  store: { listVersions(bucket: string, options?: VersionPageOptions): Promise<VersionPage> },
  bucket: string,
  prefix: string,
  options: RequestOptions = {},
): AsyncGenerator<ObjectVersion> {
  let next: VersionPage['next'];
  do {
    const page: VersionPage = await store.listVersions(bucket, { ...options, prefix, ...(next ?? {}) });
    yield* page.versions;
    next = page.next;
  } while (next);
}

/** A version id the service does not know, named as such (HEAD answers a bare 404). */
function versionMissing(err: unknown, bucket: string, key: string, versionId: string): unknown {
  if (!(err instanceof StorageError)) return err;
  // A delete marker read by its id is 405 MethodNotAllowed on both services.
  const marker = err.status === 405;
  if (err.kind !== 'no-such-key' && !marker) return err;
  return new StorageError(
    'no-such-key',
    marker
      ? l10n.t('Version "{0}" of {1} in {2} is a delete marker: it has no bytes.', versionId, key, bucket)
      : l10n.t('{0} in {1} has no version "{2}".', key, bucket, versionId),
    l10n.t("List the object's versions and pick one that is there; nothing was written."),
    err.code,
    err.requestId,
    err.status,
  );
}

/**
 * A view of `store` in which `bucket/key` is its version `versionId`: HEAD and GET read that version, a
 * copy or part copy from it copies that version. Anything that would delete it is refused: a version is
 * read or copied, never moved.
 */
export function atVersion<S extends ObjectStore>(store: S, bucket: string, key: string, versionId: string): S {
  const pinned = (b: string, k: string) => b === bucket && k === key;
  const view = Object.create(store) as S;
  const refuse = (): Promise<never> =>
    Promise.reject(
      new StorageError(
        'not-supported',
        l10n.t('Version "{0}" of {1} is not deleted here: a version is copied, never moved.', versionId, key),
        l10n.t('Copy it instead; delete versions in the console.'),
      ),
    );
  Object.assign(view, {
    head: (b: string, k: string, o?: RequestOptions) =>
      pinned(b, k)
        ? store.head(b, k, { ...o, versionId }).catch((e) => Promise.reject(versionMissing(e, b, k, versionId)))
        : store.head(b, k, o),
    get: (b: string, k: string, o?: Parameters<ObjectStore['get']>[2]) =>
      pinned(b, k)
        ? store.get(b, k, { ...o, versionId }).catch((e) => Promise.reject(versionMissing(e, b, k, versionId)))
        : store.get(b, k, o),
    copyObject: (sb: string, sk: string, db: string, dk: string, o?: Parameters<ObjectStore['copyObject']>[4]) =>
      store.copyObject(sb, sk, db, dk, pinned(sb, sk) ? { ...o, sourceVersionId: versionId } : o),
    uploadPartCopy: (b: string, k: string, u: string, n: number, src: Parameters<ObjectStore['uploadPartCopy']>[4]) =>
      store.uploadPartCopy(b, k, u, n, pinned(src.srcBucket, src.srcKey) ? { ...src, sourceVersionId: versionId } : src),
    deleteObject: (b: string, k: string, o?: RequestOptions) => (pinned(b, k) ? refuse() : store.deleteObject(b, k, o)),
    deleteObjects: (b: string, keys: readonly string[], o?: RequestOptions) =>
      b === bucket && keys.includes(key) ? refuse() : store.deleteObjects(b, keys, o),
  });
  return view;
}
