import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import { versionsSource } from './versionsSource';
import { remoteBadgeKey } from '../shared/badgeKeys';
import type { BucketsView } from '../shared/bucketsView';
import { mappingsFromSettings } from '../shared/mappingSettings';
import { parseRemotePath, REMOTE_SCHEME, type RemoteLocation } from '../shared/remoteUri';
import { copyCrc64, copyKey } from './commands/copy';
import { copyPresignedUrl } from './commands/copyPresignedUrl';
import { copyUrl } from './commands/copyUrl';
import { createBucket } from './commands/createBucket';
import { createFolder } from './commands/createFolder';
import { deleteObjects } from './commands/deleteObjects';
import { clearFilter, filterPrefix } from './commands/filter';
import { loadMore } from './commands/loadMore';
import { refreshAll, refreshNode } from './commands/refresh';
import { revealInBuckets } from './commands/reveal';
import type { BucketsFeature, BucketsServices } from './bucketsFeature';
import { locateNode } from './locate';
import { recordSource } from './recordSource';
import { BucketTreeProvider } from './tree';
import type { TreeNode, TreeSource } from './treeModel';
import { numberSettingOf } from '../shared/settings';
import type { CommandId } from '../commandIds';

export const VIEW_ID = 'bucketIntegrity.buckets';

/**
 * The Buckets view: Profiles → buckets → folders → objects, its refresh / filter / load-more / copy
 * commands. Returns what other features may use of it: the selection and the refreshed places.
 */
export function registerBuckets(
  context: vscode.ExtensionContext,
  services: BucketsServices,
  options: { dragAndDropController?: vscode.TreeDragAndDropController<TreeNode> } = {},
): BucketsView {
  const log = services.logger('buckets');
  const source = treeSourceOf(services, log);
  const tree = new BucketTreeProvider(
    source,
    (p) => services.profiles.keySource(p),
    (name) => services.storeFor(name),
    services.badges,
  );
  context.subscriptions.push(tree, repaintOnBadges(tree, services.badges));
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true, ...options });
  context.subscriptions.push(view);
  const refreshed = new vscode.EventEmitter<TreeNode | undefined>();
  context.subscriptions.push(refreshed);
  const feature: BucketsFeature = { services, tree, view, log, refreshed };

  context.subscriptions.push(...followChanges(services, tree));

  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, log, id, run);
  command('bucketIntegrity.refresh', () => refreshAll(feature));
  command('bucketIntegrity.refreshNode', (node) => refreshNode(feature, node));
  command('bucketIntegrity.loadMore', (node) => loadMore(feature, node));
  command('bucketIntegrity.filterPrefix', (node, text) => filterPrefix(feature, node, text));
  command('bucketIntegrity.clearFilter', (node) => clearFilter(feature, node));
  command('bucketIntegrity.copyKey', (node) => copyKey(feature, node));
  command('bucketIntegrity.copyCrc64', (node) => copyCrc64(feature, node));
  command('bucketIntegrity.revealInBuckets', (place) => revealInBuckets(feature, place));
  command('bucketIntegrity.deleteObjects', (node, selected, options) =>
    deleteObjects(feature, node, selected, options as { confirm?: boolean } | undefined),
  );
  command('bucketIntegrity.createFolder', (node, name) => createFolder(feature, node, name));
  command('bucketIntegrity.createBucket', (node, name) => createBucket(feature, node, name));
  command('bucketIntegrity.copyUrl', (node) => copyUrl(feature, node));
  command('bucketIntegrity.copyPresignedUrl', (node, lifetime) => copyPresignedUrl(feature, node, lifetime));
  return viewApi(tree, view, refreshed);
}

/** Keeps the tree current: profiles added or removed, the workspace trusted, mappings or page size changed. */
function followChanges(services: BucketsServices, tree: BucketTreeProvider): vscode.Disposable[] {
  return [
    services.profiles.onDidChange((e) => {
      // A removed profile's objects leave the badge store with it.
      const current = new Set(services.profiles.all().map((p) => p.name));
      for (const name of e.names) {
        if (!current.has(name)) services.badges.deleteUnder(remoteBadgeKey(name));
      }
      tree.model.profilesChanged();
      tree.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      tree.model.profilesChanged();
      tree.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Mappings change which items carry "+mapped"; a new page size applies to the next listings.
      if (e.affectsConfiguration('bucketIntegrity.mappings')) tree.fire();
      if (e.affectsConfiguration('bucketIntegrity.pageSize')) tree.refresh();
    }),
  ];
}

/** What other features may use of the view: the selection, tooltips and children of listed places, the refreshed places. */
function viewApi(
  tree: BucketTreeProvider,
  view: vscode.TreeView<TreeNode>,
  refreshed: vscode.EventEmitter<TreeNode | undefined>,
): BucketsView {
  return {
    selection: () => view.selection[0],
    tooltipOf: async (place) => {
      const node = await locateNode(tree.model, place);
      return node ? tree.tooltipOf(node) : undefined;
    },
    childrenOf: async (place) => {
      const node = await locateNode(tree.model, place);
      return node ? tree.childrenSnapshot(node) : undefined;
    },
    forgetFacts: (place) => {
      const node = place.key ? tree.model.find(place) : undefined;
      if (node?.kind !== 'object') return;
      node.head = undefined;
      tree.fire(node);
    },
    onDidRefresh: (listener, thisArg, disposables) =>
      refreshed.event(
        (node) => {
          const place = refreshedPlace(node);
          if (place !== null) listener.call(thisArg, place);
        },
        undefined,
        disposables,
      ),
  };
}

/** Where the tree's listings come from: the profiles' stores, and the CRC record for badges. */
function treeSourceOf(services: BucketsServices, log: ReturnType<BucketsServices['logger']>): TreeSource {
  return {
    // Restricted Mode: no profile shown (nothing below one could be listed); the view's welcome says why.
    profiles: () => (vscode.workspace.isTrusted ? services.profiles.all() : []),
    mappings: () => mappingsFromSettings(),
    pageSize: () => numberSettingOf('pageSize'),
    listBuckets: async (profile, signal) => {
      const store = await services.storeFor(profile);
      return store.listBuckets({ signal });
    },
    list: async (profile, bucket, prefix, pageToken, pageSize, signal) => {
      const store = await services.storeFor(profile);
      return store.list(bucket, { prefix, delimiter: '/', pageToken, pageSize, signal });
    },
    ...versionsSource(services),
    ...recordSource(services, log),
  };
}

/** An object's tooltip carries its status line: repaint the listed objects whose result changed. */
function repaintOnBadges(tree: BucketTreeProvider, badges: BucketsServices['badges']): vscode.Disposable {
  return badges.onDidChange((keys) => {
    for (const key of keys) {
      const uri = vscode.Uri.parse(key, true);
      const place = uri.scheme === REMOTE_SCHEME ? parseRemotePath(uri.path) : undefined;
      const node = place?.key ? tree.model.find(place) : undefined;
      if (node?.kind === 'object') tree.fire(node);
    }
  });
}

/** Where a refresh happened: undefined for the whole view, null for nodes that are no place (load more, errors). */
function refreshedPlace(node: TreeNode | undefined): RemoteLocation | undefined | null {
  if (!node) return undefined;
  if (node.kind === 'profile') return { profile: node.location.profile };
  if (node.kind === 'bucket' || node.kind === 'folder' || node.kind === 'object') return node.location;
  return null;
}
