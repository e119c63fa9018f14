import type { ObjectInfo } from '../../storage/types';
import type { ObjectVersion } from '../../storage/versions';
import * as l10n from '@vscode/l10n';
import { contextValueOf } from './contextValue';
import { nodeId, type FolderNode, type ObjectNode, type TreeSource } from './treeNodes';

/**
 * Keys of a versioned bucket whose newest entry is a delete marker: the object listing no longer shows
 * them, yet their older versions remain. The Buckets tree adds them, read from the versions listing of the
 * container's prefix, after the container's last page: each key directly below the prefix as a "deleted"
 * object whose versions are its children, and each folder holding only such keys (the listing shows no
 * folder for it). Editor-free, so it is unit-tested against the emulator's listing.
 */

export interface DeletedEntries {
  /** Folders (ending with '/') below the prefix with deleted keys in them, not in `listedFolders`. */
  folders: string[];
  /** Each deleted key directly below the prefix, described by its newest version (size 0 when it has none). */
  objects: ObjectInfo[];
}

export async function deletedEntries(
  versions: AsyncIterable<ObjectVersion>,
  parentPrefix: string,
  listedFolders: ReadonlySet<string>,
): Promise<DeletedEntries> {
  const folders = new Set<string>();
  const objects: ObjectInfo[] = [];
  // A key's entries come together (keys in order), so one key is followed at a time.
  let key: string | undefined;
  let deleted = false;
  let newest: ObjectVersion | undefined;
  const finish = (): void => {
    if (key === undefined || !deleted) return;
    const rest = key.slice(parentPrefix.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) {
      const folder = parentPrefix + rest.slice(0, slash + 1);
      if (!listedFolders.has(folder)) folders.add(folder);
    } else if (rest !== '') {
      objects.push({
        key,
        size: newest?.size ?? 0,
        ...(newest?.lastModified ? { lastModified: newest.lastModified } : {}),
        ...(newest?.etag ? { etag: newest.etag } : {}),
      });
    }
  };
  for await (const v of versions) {
    if (v.key !== key) {
      finish();
      key = v.key;
      deleted = false;
      newest = undefined;
    }
    if (v.isLatest && v.deleteMarker) deleted = true;
    if (!v.deleteMarker && (!newest || (v.lastModified?.getTime() ?? 0) > (newest.lastModified?.getTime() ?? 0))) newest = v;
  }
  finish();
  return { folders: [...folders], objects };
}

type Listed = FolderNode | ObjectNode;

/** The nodes `deletedEntries` adds to a container of a versioned bucket, after its last listed page. */
export async function deletedNodes(
  source: Pick<TreeSource, 'versionsUnder'>,
  at: { profile: string; bucket: string; parentPrefix: string; listPrefix: string },
  listed: readonly Listed[],
  signal: AbortSignal,
): Promise<Listed[]> {
  if (!source.versionsUnder) return [];
  const { profile, bucket, parentPrefix } = at;
  const listedFolders = new Set(listed.filter((n) => n.kind === 'folder').map((n) => n.location.key));
  const found = await deletedEntries(source.versionsUnder(profile, bucket, at.listPrefix, signal), parentPrefix, listedFolders);
  return [
    ...found.folders.map((key): FolderNode => {
      const location = { profile, bucket, key };
      return { kind: 'folder', id: nodeId('folder', location), location, parentPrefix };
    }),
    ...found.objects.map((info): ObjectNode => {
      const location = { profile, bucket, key: info.key };
      return { kind: 'object', id: nodeId('object', location), location, parentPrefix, info, versioned: true, deleted: true };
    }),
  ];
}

/** A deleted key: no click (there is nothing current to open), its versions below it. */
export function presentDeletedObject(node: ObjectNode): {
  label: string;
  description: string;
  tooltip: string;
  contextValue: string;
  collapsible: boolean;
  icon: string;
} {
  return {
    label: node.info.key.slice(node.parentPrefix.length),
    description: l10n.t('deleted'),
    tooltip: l10n.t(
      '{0}\nDeleted: its newest entry is a delete marker. Its older versions remain below it; open, download or copy one from there.',
      node.info.key,
    ),
    contextValue: contextValueOf('deletedObject', ['versioned']),
    collapsible: true,
    icon: 'trash',
  };
}
