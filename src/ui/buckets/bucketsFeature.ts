import type * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import type { ObjectStore } from '../../storage/types';
import type { Logger } from '../logger';
import type { RecordAccess } from '../shared/recordAccess';
import type { KeySource, ProfileConfig } from '../shared/profileModel';
import { remoteArgOf } from '../shared/commandArgs';
import type { BucketTreeProvider } from './tree';
import type { TreeNode } from './treeModel';

/** What the bucket tree needs from the extension's services. */
export interface BucketsServices {
  readonly badges: BadgeStore;
  readonly profiles: {
    all(): readonly ProfileConfig[];
    keySource(profile: ProfileConfig): Promise<KeySource>;
    readonly onDidChange: vscode.Event<{ readonly names: readonly string[] }>;
  };
  storeFor(profileName: string): Promise<ObjectStore>;
  logger(component: string): Logger;
  /** The CRC record, read for badges of listed objects (only when it exists: browsing never creates one). */
  readonly record?: RecordAccess;
}

/** The tree, its view and the services, handed to each tree command. */
export interface BucketsFeature {
  readonly services: BucketsServices;
  readonly tree: BucketTreeProvider;
  readonly view?: vscode.TreeView<TreeNode>;
  readonly log: Logger;
  /** Fired after the user refreshed a node (undefined: the whole view), so badges below it are re-checked. */
  readonly refreshed: vscode.EventEmitter<TreeNode | undefined>;
}

const KINDS = new Set(['profile', 'bucket', 'folder', 'object', 'loadMore', 'error', 'info']);

/**
 * The tree node a command argument stands for: the node itself (tree menus), or any other place the
 * shared command-argument reader understands (`{ profile, bucket, key }`, a `bucket-integrity:` URI, a
 * profile name…) when the tree has listed that place. Falls back to the view's selection.
 */
export function nodeOf(feature: BucketsFeature, arg: unknown): TreeNode | undefined {
  if (arg === undefined) return feature.view?.selection[0];
  const a = arg as { kind?: unknown; id?: unknown } | null;
  if (typeof a === 'object' && a !== null && typeof a.kind === 'string' && KINDS.has(a.kind) && typeof a.id === 'string')
    return arg as TreeNode;
  const place = remoteArgOf(arg);
  return place ? feature.tree.model.find(place) : undefined;
}

/**
 * Like `nodeOf`, for commands that act on a place the tree may not have listed yet (another command, the
 * palette, a test naming `{ profile, bucket, key }`): the tree lists its way down to it.
 */
export async function nodeAt(feature: BucketsFeature, arg: unknown): Promise<TreeNode | undefined> {
  const known = nodeOf(feature, arg);
  if (known || arg === undefined) return known;
  const place = remoteArgOf(arg);
  if (!place) return undefined;
  const found = await feature.tree.model.locate(place);
  // Only the place itself: a container found on the way to a missing key is not what was named.
  const key = place.key ?? '';
  const same =
    found &&
    (found.kind === 'profile'
      ? place.bucket === undefined
      : 'location' in found && found.location.bucket === place.bucket && found.location.key === key);
  return same ? found : undefined;
}
