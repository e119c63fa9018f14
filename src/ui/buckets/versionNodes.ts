import * as l10n from '@vscode/l10n';
import type { ObjectVersion } from '../../storage/versions';
import { formatBytes } from '../../util/format';
import { contextValueOf } from './contextValue';
import type { ObjectNode, TreeNode, VersionNode } from './treeNodes';

/**
 * The versions of an object in a versioned bucket, as its children in the Buckets tree: each version
 * (the current one first) and each delete marker, newest first. A version opens read-only on click and
 * can be downloaded; a delete marker has no bytes and is only shown.
 */

/** Clicking a version: open it read-only, checked by its own CRC-64. */
export const COMMAND_OPEN_VERSION = 'bucketIntegrity.openVersion';

export async function versionChildren(
  node: ObjectNode,
  versionsOf: (profile: string, bucket: string, key: string, signal: AbortSignal) => Promise<ObjectVersion[]>,
  remember: (node: VersionNode) => void,
): Promise<TreeNode[]> {
  const { profile, bucket, key } = node.location;
  try {
    const versions = await versionsOf(profile, bucket, key, new AbortController().signal);
    const nodes = versions.map((version): VersionNode => ({
      kind: 'version',
      id: `${node.id}@${version.versionId}`,
      location: node.location,
      parent: node,
      version,
    }));
    for (const n of nodes) remember(n);
    return nodes.length ? nodes : [{ kind: 'info', id: `${node.id}#noversions`, message: l10n.t('No versions') }];
  } catch (err) {
    return [
      { kind: 'info', id: `${node.id}#versionsfailed`, message: l10n.t('Versions could not be listed: {0}', (err as Error).message) },
    ];
  }
}

function when(d: Date | undefined): string {
  return d && !Number.isNaN(d.getTime())
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, ' UTC')
    : l10n.t('unknown date');
}

/** Label, description, tooltip and context value of a version node (editor-free, unit-tested). */
export function presentVersion(node: VersionNode): {
  label: string;
  description: string;
  tooltip: string;
  contextValue: string;
  icon: string;
  command?: { id: string; title: string };
} {
  const v = node.version;
  const state = v.isLatest ? l10n.t('current') : l10n.t('older');
  const tooltip = [
    l10n.t('Key: {0}', v.key),
    v.isLatest ? l10n.t('Version: {0} (current)', v.versionId) : l10n.t('Version: {0}', v.versionId),
    l10n.t('Last modified: {0}', when(v.lastModified)),
    ...(v.deleteMarker
      ? [l10n.t('Delete marker: the object was deleted here; the versions below it remain')]
      : [l10n.t('Size: {0} bytes', v.size.toLocaleString('en-US')), l10n.t('ETag: {0}', v.etag ?? l10n.t('none'))]),
  ].join('\n');
  return {
    label: when(v.lastModified),
    description: v.deleteMarker
      ? v.isLatest
        ? l10n.t('delete marker (current)')
        : l10n.t('delete marker')
      : `${formatBytes(v.size)} · ${state} · ${v.versionId}`,
    tooltip,
    contextValue: contextValueOf('version', [v.deleteMarker ? 'marker' : undefined, v.isLatest ? 'current' : undefined]),
    icon: v.deleteMarker ? 'trash' : 'history',
    ...(v.deleteMarker ? {} : { command: { id: COMMAND_OPEN_VERSION, title: l10n.t('Open Version') } }),
  };
}
