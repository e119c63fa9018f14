import { isCancelled } from '../../util/errors';
import { covers } from '../shared/mappingModel';
import { remotePathOf } from '../shared/remoteUri';
import type { ProfileConfig } from '../shared/profileModel';
import { PagedChildren } from './pagedChildren';
import { attachRecorded } from './recordBadges';
import { versionChildren } from './versionNodes';
import { deletedNodes } from './deletedKeys';
import {
  prefixOf,
  nodeId,
  infoNode,
  errorNode,
  type TreeSource,
  type ProfileNode,
  type BucketNode,
  type FolderNode,
  type ObjectNode,
  type LoadMoreNode,
  type ContainerNode,
  type TreeNode,
} from './treeNodes';
import * as l10n from '@vscode/l10n';

/**
 * The bucket tree without the editor: Profiles → buckets → folders (common prefixes) → objects, listed
 * lazily a page at a time, with a "Load more…" node, per-node refresh and a prefix filter per bucket or
 * folder. Node objects are stable (the same object is returned until its parent is refreshed), which is
 * what a tree view needs to refresh one node. Failures become an error node, never an exception.
 */

export * from './treeNodes';

type Entry = FolderNode | ObjectNode;

interface ContainerState {
  paged: PagedChildren<Entry>;
}

interface ProfileState {
  node: ProfileNode;
  buckets?: Promise<BucketNode[]>;
  controller: AbortController;
}

export class BucketTreeModel {
  private profileStates = new Map<string, ProfileState>();
  private containers = new Map<string, ContainerState>();
  private filters = new Map<string, string>();
  private rootCache: ProfileNode[] | undefined;
  /** Every node handed out, by id, so commands given a plain `{ profile, bucket, key }` find the tree's node. */
  private readonly known = new Map<string, TreeNode>();

  constructor(private readonly source: TreeSource) {}

  /** One node per configured profile; empty when there is none (the view shows its welcome content). */
  roots(): ProfileNode[] {
    if (this.rootCache) return this.rootCache;
    const next = new Map<string, ProfileState>();
    for (const profile of this.source.profiles()) {
      const old = this.profileStates.get(profile.name);
      if (old && sameProfile(old.node.profile, profile)) {
        next.set(profile.name, old);
        continue;
      }
      old?.controller.abort();
      next.set(profile.name, {
        node: { kind: 'profile', id: nodeId('profile', { profile: profile.name }), profile, location: { profile: profile.name } },
        controller: new AbortController(),
      });
    }
    for (const [name, state] of this.profileStates) {
      if (!next.has(name)) {
        state.controller.abort();
        this.forgetUnder(name);
      }
    }
    this.profileStates = next;
    this.rootCache = [...next.values()].map((s) => s.node);
    for (const node of this.rootCache) this.known.set(node.id, node);
    return this.rootCache;
  }

  /** Children of a node; errors (bad keys, no network, …) come back as one error node with the message. */
  async children(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'profile':
        return this.bucketsOf(node);
      case 'bucket':
      case 'folder':
        return this.entriesOf(node);
      case 'object':
        return node.versioned && this.source.versionsOf
          ? versionChildren(node, this.source.versionsOf, (n) => this.known.set(n.id, n))
          : [];
      default:
        return [];
    }
  }

  /** Fetch the next page of the container a "Load more…" node belongs to. */
  async loadMore(node: LoadMoreNode | ContainerNode): Promise<void> {
    const container = node.kind === 'loadMore' ? node.parent : node;
    const state = this.containers.get(container.id);
    if (!state) return;
    try {
      await state.paged.loadMore();
    } catch (err) {
      if (!isCancelled(err)) this.lastErrors.set(container.id, err);
    }
  }

  /**
   * Forget what was listed below a node (or everything), so the next `children` lists again. Returns the
   * node whose subtree changed (undefined: the whole tree).
   */
  refresh(node?: TreeNode): TreeNode | undefined {
    if (!node) {
      for (const s of this.profileStates.values()) s.controller.abort();
      this.profileStates.clear();
      this.containers.clear();
      this.lastErrors.clear();
      this.known.clear();
      this.versioning.clear();
      this.rootCache = undefined;
      return undefined;
    }
    switch (node.kind) {
      case 'profile': {
        const state = this.profileStates.get(node.profile.name);
        if (state) {
          state.controller.abort();
          state.controller = new AbortController();
          state.buckets = undefined;
        }
        this.forgetUnder(node.profile.name);
        return node;
      }
      case 'bucket':
      case 'folder':
        this.containers.get(node.id)?.paged.reset();
        this.lastErrors.delete(node.id);
        this.forgetUnder(node.location.profile, node.location.bucket, prefixOf(node), node.id);
        return node;
      case 'loadMore':
      case 'error':
        return this.refresh(node.parent);
      default:
        return undefined;
    }
  }

  /** Drop cached profile nodes so changed settings show (profiles added, removed or edited). */
  profilesChanged(): void {
    this.rootCache = undefined;
  }

  /** Show only keys that start with `text` below the container (a prefix filter, listed by the service). */
  setFilter(node: ContainerNode, text: string | undefined): void {
    const value = (text ?? '').replace(/^\/+/, '');
    if (value) this.filters.set(node.id, value);
    else this.filters.delete(node.id);
    this.refresh(node);
  }

  filterOf(node: ContainerNode): string | undefined {
    return this.filters.get(node.id);
  }

  /** True when a mapping covers this bucket, folder or object. */
  isMapped(location: { profile: string; bucket?: string; key?: string }): boolean {
    if (location.bucket === undefined) return false;
    return covers(this.source.mappings(), { profile: location.profile, bucket: location.bucket, key: location.key ?? '' });
  }

  /** The loaded nodes (objects and folders) below a container, for commands that act on what is shown. */
  loadedEntries(node: ContainerNode): readonly (FolderNode | ObjectNode)[] {
    return this.containers.get(node.id)?.paged.items ?? [];
  }

  private lastErrors = new Map<string, unknown>();

  /**
   * The node the tree shows for a place, if it was listed: an object for a key, a folder for a prefix
   * ending with '/', a bucket for key '' and a profile without a bucket.
   */
  find(location: { profile: string; bucket?: string; key?: string }): TreeNode | undefined {
    if (location.bucket === undefined) {
      this.roots();
      return this.known.get(nodeId('profile', { profile: location.profile }));
    }
    const key = location.key ?? '';
    if (key === '') return this.known.get(nodeId('bucket', location));
    if (key.endsWith('/')) return this.known.get(nodeId('folder', location));
    return this.known.get(nodeId('object', location)) ?? this.known.get(nodeId('folder', { ...location, key: key + '/' }));
  }

  /** The node a tree view shows this one under (what `TreeDataProvider.getParent` answers, for reveal). */
  parentOf(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'profile':
      case 'info':
        return undefined;
      case 'bucket':
        return this.known.get(nodeId('profile', { profile: node.location.profile }));
      case 'folder':
      case 'object': {
        const { profile, bucket } = node.location;
        return node.parentPrefix === ''
          ? this.known.get(nodeId('bucket', { profile, bucket }))
          : this.known.get(nodeId('folder', { profile, bucket, key: node.parentPrefix }));
      }
      case 'loadMore':
      case 'error':
      case 'version':
        return node.parent;
    }
  }

  /**
   * The node of a place, listing the way down to it (bucket, each folder, then more pages of the last one,
   * up to `maxPages` per container): what "Reveal in Buckets" selects. When the place itself is not found
   * (deleted meanwhile, hidden by a filter, beyond `maxPages`), the deepest container on its way.
   */
  async locate(location: { profile: string; bucket?: string; key?: string }, maxPages = 20): Promise<TreeNode | undefined> {
    const profile = this.roots().find((p) => p.profile.name === location.profile);
    if (!profile || location.bucket === undefined) return profile;
    const bucket = (await this.children(profile)).find((n) => n.kind === 'bucket' && n.location.bucket === location.bucket);
    if (!bucket || bucket.kind !== 'bucket') return profile;
    const key = location.key ?? '';
    let container: ContainerNode = bucket;
    const segments = key.split('/');
    // Each folder on the way ('a/', 'a/b/'), then the place itself (an object, or a folder when key ends with '/').
    for (let i = 1; i <= segments.length; i++) {
      const last = i === segments.length;
      const target = last ? key : segments.slice(0, i).join('/') + '/';
      if (target === '' || target === prefixOf(container)) continue;
      const found = await this.findChild(container, target, maxPages);
      if (!found) return container;
      if (found.kind === 'object') return found;
      container = found;
    }
    return container;
  }

  private async findChild(container: ContainerNode, key: string, maxPages: number): Promise<FolderNode | ObjectNode | undefined> {
    await this.children(container);
    const state = this.containers.get(container.id);
    for (let page = 1; state; page++) {
      const hit = state.paged.items.find((n) => n.location.key === key);
      if (hit || !state.paged.hasMore || page >= maxPages) return hit;
      await state.paged.loadMore();
    }
    return undefined;
  }

  private async bucketsOf(node: ProfileNode): Promise<TreeNode[]> {
    const state = this.profileStates.get(node.profile.name);
    if (!state) return [];
    const name = node.profile.name;
    if (!state.buckets) {
      const signal = state.controller.signal;
      state.buckets = this.source.listBuckets(name, signal).then((list) =>
        [...list]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((info) => ({
            kind: 'bucket' as const,
            id: nodeId('bucket', { profile: name, bucket: info.name }),
            location: { profile: name, bucket: info.name, key: '' as const },
            info,
          })),
      );
    }
    const pending = state.buckets;
    try {
      const buckets = await pending;
      for (const b of buckets) this.known.set(b.id, b);
      if (buckets.length === 0) return [infoNode(`${node.id}#empty`, l10n.t('No buckets'))];
      return buckets;
    } catch (err) {
      // Listing again on the next expand: the user may have fixed the keys meanwhile.
      if (state.buckets === pending) state.buckets = undefined;
      if (isCancelled(err)) return [];
      return [errorNode(node, err)];
    }
  }

  private async entriesOf(node: ContainerNode): Promise<TreeNode[]> {
    const state = this.containerState(node);
    const earlier = this.lastErrors.get(node.id);
    let failure: unknown = earlier;
    this.lastErrors.delete(node.id);
    try {
      await state.paged.ensureFirstPage();
    } catch (err) {
      if (isCancelled(err)) return [];
      failure = err;
    }
    const items: TreeNode[] = [...state.paged.items];
    const filter = this.filterOf(node);
    if (failure !== undefined && items.length === 0) return [errorNode(node, failure)];
    if (items.length === 0) {
      items.push(
        infoNode(`${node.id}#empty`, filter ? l10n.t('No keys start with "{0}{1}"', prefixOf(node), filter) : l10n.t('No objects')),
      );
    }
    if (state.paged.hasMore) {
      items.push({ kind: 'loadMore', id: `${node.id}#more@${state.paged.items.length}`, parent: node, loaded: state.paged.items.length });
    }
    if (failure !== undefined) items.push(errorNode(node, failure, `#error@${state.paged.items.length}`));
    return items;
  }

  private containerState(node: ContainerNode): ContainerState {
    let state = this.containers.get(node.id);
    if (state) return state;
    const { profile, bucket } = node.location;
    const parentPrefix = prefixOf(node);
    state = {
      paged: new PagedChildren<Entry>(async (token, signal) => {
        const listPrefix = parentPrefix + (this.filters.get(node.id) ?? '');
        const page = await this.source.list(profile, bucket, listPrefix, token, this.source.pageSize(), signal);
        const items: Entry[] = [];
        for (const prefix of page.prefixes) {
          if (prefix === parentPrefix) continue;
          const location = { profile, bucket, key: prefix };
          items.push({ kind: 'folder', id: nodeId('folder', location), location, parentPrefix });
        }
        const versioned = await this.versionedBucket(profile, bucket, signal);
        for (const info of page.objects) {
          // A zero-byte "folder marker" object named like the prefix itself is not shown as a child.
          if (info.key === parentPrefix) continue;
          const location = { profile, bucket, key: info.key };
          items.push({ kind: 'object', id: nodeId('object', location), location, parentPrefix, info, ...(versioned ? { versioned } : {}) });
        }
        // After the last page: the keys whose newest entry is a delete marker (the listing leaves them out).
        const listed = state!.paged.items.concat(items);
        if (versioned && !page.nextPageToken)
          items.push(...(await deletedNodes(this.source, { profile, bucket, parentPrefix, listPrefix }, listed, signal)));
        for (const item of items) this.known.set(item.id, item);
        await this.annotateFromRecord(profile, bucket, items);
        return { items, nextPageToken: page.nextPageToken };
      }),
    };
    this.containers.set(node.id, state);
    return state;
  }

  private readonly versioning = new Map<string, Promise<boolean>>();

  /** Asked once per bucket (until a refresh of the whole tree); a bucket that cannot say is taken as unversioned. */
  private versionedBucket(profile: string, bucket: string, signal: AbortSignal): Promise<boolean> {
    if (!this.source.isVersioned) return Promise.resolve(false);
    const id = nodeId('bucket', { profile, bucket });
    let known = this.versioning.get(id);
    if (!known) {
      known = this.source.isVersioned(profile, bucket, signal).catch(() => false);
      this.versioning.set(id, known);
    }
    return known;
  }

  /** One record read per page; a record that cannot be read (another window holds it) only costs the badges. */
  private async annotateFromRecord(profile: string, bucket: string, items: readonly Entry[]): Promise<void> {
    const objects = items.filter((i): i is ObjectNode => i.kind === 'object' && !i.deleted);
    if (objects.length === 0) return;
    if (this.source.recorded)
      attachRecorded(
        objects,
        await this.source
          .recorded(
            profile,
            bucket,
            objects.map((o) => o.info.key),
          )
          .catch(() => undefined),
      );
    this.source.objectsListed?.(objects);
  }

  /** Forget container states at and below a place (a refreshed profile, bucket or folder). */
  private forgetUnder(profile: string, bucket?: string, prefix = '', keepId?: string): void {
    const base = remotePathOf({ profile, bucket, key: prefix });
    for (const [id, state] of this.containers) {
      if (id === keepId) continue;
      const path = id.slice(id.indexOf(':') + 1);
      const inside = bucket === undefined ? path === base || path.startsWith(base + '/') : path.startsWith(base + '/') || path === base;
      if (inside) {
        state.paged.reset();
        this.containers.delete(id);
        this.lastErrors.delete(id);
      }
    }
  }
}

function sameProfile(a: ProfileConfig, b: ProfileConfig): boolean {
  return a.name === b.name && a.provider === b.provider && a.region === b.region && (a.endpoint ?? '') === (b.endpoint ?? '');
}
