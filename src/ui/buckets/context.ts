import type * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import type { ObjectStore } from '../../storage/types';
import type { Logger } from '../logger';
import type { KeySource, ProfileConfig } from '../profiles/profileModel';
import { remoteTargetOf } from '../transfer/targets';
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
 * The tree node a command argument stands for: the node itself (tree menus), or a plain
 * `{ profile, bucket, key }` / `{ profile, bucket, prefix }` / `bucket-integrity:` URI (palette, tests,
 * other commands) when the tree has listed that place. Falls back to the view's selection.
 */
export function nodeOf(feature: BucketsFeature, arg: unknown): TreeNode | undefined {
  if (typeof arg === 'object' && arg !== null) {
    const a = arg as { kind?: unknown; id?: unknown };
    if (typeof a.kind === 'string' && KINDS.has(a.kind) && typeof a.id === 'string') return arg as TreeNode;
    const target = remoteTargetOf(arg);
    if (target) return feature.tree.model.find(target);
    const profile = (arg as { profile?: unknown }).profile;
    if (typeof profile === 'string') return feature.tree.model.find({ profile });
  }
  if (typeof arg === 'string') return feature.tree.model.find({ profile: arg });
  return arg === undefined ? feature.view?.selection[0] : undefined;
}
