import type { RecordedObject } from '../../record/record';
import type { StorageError } from '../../storage/errors';
import type { BucketInfo, ListPage, ObjectInfo } from '../../storage/types';
import type { ObjectVersion } from '../../storage/versions';
import type { FolderMapping } from '../shared/mappingModel';
import type { ProfileConfig } from '../shared/profileModel';
import { remotePathOf, type RemoteLocation } from '../shared/remoteUri';

// The Buckets tree's node shapes and ids, apart from the model that lists them (treeModel.ts).

/** Where the listings come from (an `ObjectStore` per profile in the extension; anything in tests). */
export interface TreeSource {
  profiles(): readonly ProfileConfig[];
  mappings(): readonly FolderMapping[];
  /** Objects and prefixes per page (`bucketIntegrity.pageSize`). */
  pageSize(): number;
  listBuckets(profile: string, signal: AbortSignal): Promise<BucketInfo[]>;
  list(
    profile: string,
    bucket: string,
    prefix: string,
    pageToken: string | undefined,
    pageSize: number,
    signal: AbortSignal,
  ): Promise<ListPage>;
  /**
   * What the CRC record knows of listed objects, read once per page, so a huge folder gets CRC-64s and
   * badges without a HEAD per row; entries whose ETag or size differ from the listing are ignored.
   */
  recorded?(profile: string, bucket: string, keys: readonly string[]): Promise<ReadonlyMap<string, RecordedObject>>;
  /** Told about each listed page of objects (with `recorded` set), e.g. to badge them. */
  objectsListed?(nodes: readonly ObjectNode[]): void;
  /** Whether the bucket keeps versions (its objects then show them as children); asked once per bucket. */
  isVersioned?(profile: string, bucket: string, signal: AbortSignal): Promise<boolean>;
  /** Every version and delete marker of one key, the current first. */
  versionsOf?(profile: string, bucket: string, key: string, signal: AbortSignal): Promise<ObjectVersion[]>;
  /** Every version and delete marker under a prefix (keys in order): finds the keys only versions hold. */
  versionsUnder?(profile: string, bucket: string, prefix: string, signal: AbortSignal): AsyncIterable<ObjectVersion>;
}

interface NodeBase {
  /** Stable, unique id (also the tree item id). */
  readonly id: string;
}

export interface ProfileNode extends NodeBase {
  readonly kind: 'profile';
  readonly profile: ProfileConfig;
  readonly location: RemoteLocation;
}

export interface BucketNode extends NodeBase {
  readonly kind: 'bucket';
  readonly location: { profile: string; bucket: string; key: '' };
  readonly info: BucketInfo;
}

export interface FolderNode extends NodeBase {
  readonly kind: 'folder';
  /** `key` is the prefix, ending with '/'. */
  readonly location: { profile: string; bucket: string; key: string };
  readonly parentPrefix: string;
}

export interface ObjectNode extends NodeBase {
  readonly kind: 'object';
  readonly location: { profile: string; bucket: string; key: string };
  readonly parentPrefix: string;
  /** From the listing (listings of COS and OSS carry no CRC-64). */
  readonly info: ObjectInfo;
  /** From a HEAD (tooltip, compare), once done: the CRC-64 is known (or known to be absent) only then. */
  head?: ObjectInfo;
  /** What the CRC record knows of this very content (same ETag and size as listed), when anything. */
  recorded?: RecordedObject;
  /** In a versioned bucket: the object expands to its versions. */
  versioned?: boolean;
  /** Its newest entry is a delete marker: not in the listing, only its versions remain (deletedKeys.ts). */
  deleted?: boolean;
}

/** One version of an object, or a delete marker, below its object in a versioned bucket. */
export interface VersionNode extends NodeBase {
  readonly kind: 'version';
  readonly location: { profile: string; bucket: string; key: string };
  readonly parent: ObjectNode;
  readonly version: ObjectVersion;
}

export interface LoadMoreNode extends NodeBase {
  readonly kind: 'loadMore';
  readonly parent: ContainerNode;
  readonly loaded: number;
}

export interface ErrorNode extends NodeBase {
  readonly kind: 'error';
  readonly parent: ProfileNode | ContainerNode;
  readonly message: string;
  readonly hint?: string;
  /** `StorageError` kind, when known. */
  readonly errorKind?: string;
}

export interface InfoNode extends NodeBase {
  readonly kind: 'info';
  readonly message: string;
}

export type ContainerNode = BucketNode | FolderNode;
export type TreeNode = ProfileNode | BucketNode | FolderNode | ObjectNode | VersionNode | LoadMoreNode | ErrorNode | InfoNode;

/** The prefix a container lists: its own prefix ('' for a bucket). */
export function prefixOf(node: ContainerNode): string {
  return node.kind === 'bucket' ? '' : node.location.key;
}

export function nodeId(kind: 'profile' | 'bucket' | 'folder' | 'object', location: RemoteLocation): string {
  return `${kind}:${remotePathOf(location)}${kind === 'folder' ? '/' : ''}`;
}

/** A node that says something (an empty listing, a filter that matched nothing). */
export function infoNode(id: string, message: string): InfoNode {
  return { kind: 'info', id, message };
}

/** A failed listing as a node: its message and hint, and the error's kind (for the action it offers). */
export function errorNode(parent: ProfileNode | ContainerNode, err: unknown, suffix = '#error'): ErrorNode {
  const e = err as Partial<StorageError> & { message?: string };
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  return {
    kind: 'error',
    id: parent.id + suffix,
    parent,
    message,
    ...(typeof e?.hint === 'string' && e.hint ? { hint: e.hint } : {}),
    ...(typeof e?.kind === 'string' ? { errorKind: e.kind } : {}),
  };
}
