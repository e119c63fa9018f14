import * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import { DETAIL } from '../../integrity/verdict';
import { remoteBadgeKey } from '../shared/badgeKeys';
import { statusLine } from '../shared/badgeStyle';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import type { KeySource, ProfileConfig } from '../shared/profileModel';
import { Disposable } from '../lifecycle';
import { COMMAND_SET_PROFILE_KEYS, objectTooltip, presentNode } from './presentation';
import { signalFromToken } from '../shared/progress';
import type { TreeItemSnapshot } from '../shared/bucketsView';
import { REMOTE_SCHEME } from '../shared/remoteUri';
import { objectFacts } from './objectFacts';
import { BucketTreeModel, type ObjectNode, type TreeNode, type TreeSource } from './treeModel';

/** The bucket tree as a VS Code `TreeDataProvider`: presentation comes from `presentNode`, data from the model. */
export class BucketTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly model: BucketTreeModel;

  constructor(
    source: TreeSource,
    private readonly keySource: (profile: ProfileConfig) => Promise<KeySource>,
    private readonly storeFor: (profile: string) => Promise<ObjectStore>,
    /** The one store of results: an object's tooltip says what its badge says. */
    private readonly badges?: BadgeStore,
  ) {
    super();
    this.model = new BucketTreeModel(source);
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.model.children(node);
  }

  /** Needed by `TreeView.reveal` ("Reveal in Buckets"). */
  getParent(node: TreeNode): TreeNode | undefined {
    return this.model.parentOf(node);
  }

  async getTreeItem(node: TreeNode): Promise<vscode.TreeItem> {
    let keys: KeySource | undefined;
    if (node.kind === 'profile') keys = await this.keySource(node.profile).catch(() => undefined);
    const p = presentNode(node, this.model, keys);
    const item = new vscode.TreeItem(
      p.label,
      p.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = p.description;
    // The editor asks `resolveTreeItem` only for a tooltip left undefined: an object whose CRC-64 is not
    // known yet (not fetched, nothing in the CRC record) gets its tooltip there, after `head`.
    item.tooltip = node.kind === 'object' ? (!node.head && !node.recorded ? undefined : this.withStatus(node, p.tooltip)) : p.tooltip;
    item.contextValue = p.contextValue;
    if (p.icon) item.iconPath = new vscode.ThemeIcon(p.icon);
    if (p.resourcePath) item.resourceUri = vscode.Uri.from({ scheme: REMOTE_SCHEME, path: p.resourcePath });
    if (p.command) {
      // Setting keys is a profile command: give it the profile's name, the rest get the node itself.
      const args = p.command.id === COMMAND_SET_PROFILE_KEYS && node.kind === 'error' ? [node.parent.location.profile] : [node];
      item.command = { command: p.command.id, title: p.command.title, arguments: args };
    }
    return item;
  }

  /** On hover, an object's tooltip gets its CRC-64 from `head` (listings do not carry it). */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'object') return item;
    try {
      const info = node.head ?? (await this.head(node, token));
      item.tooltip = this.withStatus(node, objectTooltip(node.location.bucket, info));
    } catch (err) {
      // What the listing said; the error surfaces again when the user acts on the object.
      item.tooltip = this.withStatus(
        node,
        objectTooltip(node.location.bucket, node.info, false).replace(
          /CRC-64: .*$/,
          vscode.l10n.t('CRC-64: unknown ({0})', (err as Error).message),
        ),
      );
    }
    return item;
  }

  /** The items below a node as the editor gets them (labels, descriptions, tooltips, context values, clicks). */
  async childrenSnapshot(node: TreeNode): Promise<TreeItemSnapshot[]> {
    const items = await Promise.all((await this.getChildren(node)).map((child) => this.getTreeItem(child)));
    return items.map((i) => ({
      label: typeof i.label === 'string' ? i.label : (i.label?.label ?? ''),
      ...(typeof i.description === 'string' ? { description: i.description } : {}),
      ...(typeof i.tooltip === 'string' ? { tooltip: i.tooltip } : {}),
      ...(i.contextValue ? { contextValue: i.contextValue } : {}),
      ...(i.command ? { command: i.command } : {}),
    }));
  }

  /** The tooltip as hovering shows it (the item, resolved when its tooltip waits for a HEAD). */
  async tooltipOf(node: TreeNode): Promise<string | undefined> {
    let item = await this.getTreeItem(node);
    if (item.tooltip === undefined) item = await this.resolveTreeItem(item, node, new vscode.CancellationTokenSource().token);
    return typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
  }

  private withStatus(node: ObjectNode, tooltip: string | undefined): string | undefined {
    if (!this.badges || tooltip === undefined) return tooltip;
    const entry = this.badges.get(remoteBadgeKey(node.location.profile, node.location.bucket, node.location.key));
    return `${tooltip}\n${statusLine(entry?.status ?? 'not-compared', entry)}`;
  }

  /**
   * What a HEAD learnt goes to the one store: an object stored without a CRC-64 shows "no CRC-64" (a
   * remote-only result, which never replaces a comparison with the local file).
   */
  private learnt(node: ObjectNode, info: ObjectInfo): void {
    if (!this.badges) return;
    const key = remoteBadgeKey(node.location.profile, node.location.bucket, node.location.key);
    const current = this.badges.get(key);
    if (!info.crc64) {
      if (!current) this.badges.set(key, { status: 'no-crc', remoteOnly: true, detail: DETAIL.noCrc, checkedAt: Date.now() });
    } else if (current?.remoteOnly && current.status === 'no-crc' && current.remoteCrcSource === undefined) {
      // The object was replaced by one with a CRC-64: the HEAD's earlier word no longer holds.
      this.badges.delete(key);
    }
  }

  /** An object node's CRC-64 and current facts (a HEAD on both clouds), remembered on it. */
  async head(node: ObjectNode, token?: vscode.CancellationToken): Promise<ObjectInfo> {
    const bridge = token && signalFromToken(token);
    try {
      const store = await this.storeFor(node.location.profile);
      const info = await objectFacts(store, node.location.bucket, node.info, bridge?.signal);
      node.head = info;
      this.learnt(node, info);
      return info;
    } finally {
      bridge?.dispose();
    }
  }

  /** Repaint one node (its item) or, without an argument, the whole tree. */
  fire(node?: TreeNode): void {
    this.changed.fire(node);
  }

  /** Forget listings below a node (or all) and list again. */
  refresh(node?: TreeNode): void {
    this.changed.fire(this.model.refresh(node));
  }
}
