import type { RestoreOutcome, RestoreRequest } from './objectState';
import type { AppendResult, InventoryConfig, ObjectInfo, ObjectStore, RequestOptions } from './types';
import type { ObjectVersion, VersioningStatus, VersionPage, VersionPageOptions } from './versions';

/**
 * What only some clouds can do, as optional capabilities of an `ObjectStore`. Callers ask with a type
 * guard (`isAppendable(store)`), never by the store's provider, so a third cloud says what it can by the
 * methods it has. What a caller must know before a store exists (a CLI argument, an inventory's report
 * layout) is in the cloud's traits (`providerTraits`, ./traits.ts).
 */

/** OSS AppendObject. */
export interface Appendable {
  /**
   * Append at `position`, which must be the object's current length (0 creates an appendable object). A
   * different length is a `PositionConflictError` carrying the current one.
   */
  appendObject(bucket: string, key: string, position: number, body: Buffer, options?: RequestOptions): Promise<AppendResult>;
}

/** A call lighter than HEAD for size, ETag and date (OSS GetObjectMeta: no CRC-64, no storage class). */
export interface ObjectMetaReader {
  getObjectMeta(bucket: string, key: string, options?: RequestOptions): Promise<ObjectInfo>;
}

/** A one-time inventory report on request (COS POST Bucket inventory). */
export interface InventoryRunner {
  /** One report now, from `config` (its schedule and `enabled` are ignored). Returns the service's job id. */
  runInventoryOnce(bucket: string, config: InventoryConfig, options?: RequestOptions): Promise<{ jobId?: string }>;
}

/** Bucket versioning (COS and OSS both have it): the bucket's status and every version of its objects. */
export interface VersionLister {
  /** `Off` for a bucket whose versioning was never set. */
  getVersioning(bucket: string, options?: RequestOptions): Promise<VersioningStatus>;
  setVersioning(bucket: string, status: Exclude<VersioningStatus, 'Off'>, options?: RequestOptions): Promise<void>;
  /** One page of versions and delete markers: keys in order, each key's newest first. */
  listVersions(bucket: string, options?: VersionPageOptions): Promise<VersionPage>;
}

/** OSS symlink objects (`x-oss-object-type: Symlink`): GetSymlink names the target. */
export interface SymlinkReader {
  readSymlink(bucket: string, key: string, options?: RequestOptions): Promise<string>;
}

export type { ObjectVersion };

/** Restore of an archived object (COS POST Object restore, OSS RestoreObject). */
export interface Restorable {
  /**
   * Ask for a readable copy of an archived object for `request.days` days. A restore already running is
   * `in-progress`, an object already restored is kept readable longer (`extended`); an object whose class
   * needs no restore fails with `not-archived`.
   */
  restoreObject(bucket: string, key: string, request: RestoreRequest, options?: RequestOptions): Promise<RestoreOutcome>;
}

const has = (store: object, method: string): boolean => typeof (store as Record<string, unknown>)[method] === 'function';

export function isAppendable<S extends object = ObjectStore>(store: S): store is S & Appendable {
  return has(store, 'appendObject');
}

export function isObjectMetaReader<S extends object = ObjectStore>(store: S): store is S & ObjectMetaReader {
  return has(store, 'getObjectMeta');
}

export function isInventoryRunner<S extends object = ObjectStore>(store: S): store is S & InventoryRunner {
  return has(store, 'runInventoryOnce');
}

export function isVersionLister<S extends object = ObjectStore>(store: S): store is S & VersionLister {
  return has(store, 'listVersions');
}

export function isSymlinkReader<S extends object = ObjectStore>(store: S): store is S & SymlinkReader {
  return has(store, 'readSymlink');
}

export function isRestorable<S extends object = ObjectStore>(store: S): store is S & Restorable {
  return has(store, 'restoreObject');
}
