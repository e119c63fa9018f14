import type { ObjectInfo } from '../../storage/types';
import { formatBytes } from '../../util/format';
import { PROVIDER_LABELS, type KeySource } from '../shared/profileModel';
import { contextValueOf, type ContextToken } from './contextValue';
import { remotePathOf } from '../shared/remoteUri';
import { objectKindLines } from './objectKindLines';
import { presentVersion } from './versionNodes';
import { presentDeletedObject } from './deletedKeys';
import { isArchived } from '../../storage/objectState';
import { objectStateDescription, objectStateLines, storageClassText } from './objectStateLines';
import type { BucketNode, BucketTreeModel, ErrorNode, FolderNode, ObjectNode, ProfileNode, TreeNode } from './treeModel';
import * as l10n from '@vscode/l10n';

/**
 * How each tree node looks (label, description, tooltip, icon, context value, URI path, click command),
 * decided without the editor so it is unit-tested; `tree.ts` only copies these fields into a TreeItem.
 */

export const COMMAND_LOAD_MORE = 'bucketIntegrity.loadMore';
export const COMMAND_REFRESH_NODE = 'bucketIntegrity.refreshNode';
export const COMMAND_SET_PROFILE_KEYS = 'bucketIntegrity.setProfileKeys';
export const COMMAND_EDIT_PROFILE = 'bucketIntegrity.editProfile';
/** An object's click: open it read-only (as the AWS Toolkit and Azure Storage do), within the open-size limit. */
export const COMMAND_OPEN_OBJECT = 'bucketIntegrity.openObject';

export interface NodePresentation {
  label: string;
  description?: string;
  /** Plain text, one fact per line. */
  tooltip?: string;
  contextValue: string;
  collapsible: boolean;
  /** Codicon id. */
  icon?: string;
  /** Path of the `bucket-integrity:` resource URI (badges key on it); containers end with '/'. */
  resourcePath?: string;
  /** Runs on click; the node itself is the argument. */
  command?: { id: string; title: string };
}

function formatDate(d: Date | undefined): string | undefined {
  if (!d || Number.isNaN(d.getTime())) return undefined;
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

const KEY_SOURCE_TEXT: Record<KeySource, string> = {
  'secret-storage': l10n.t('keys in the secret storage'),
  environment: l10n.t('keys from environment variables'),
  none: l10n.t('no keys'),
};

type PresentationModel = Pick<BucketTreeModel, 'filterOf' | 'isMapped' | 'roots'>;

/** The cloud of the node's profile as a context token (the roots are cached, so this is a lookup). */
function providerToken(model: PresentationModel, profile: string): ContextToken | undefined {
  return model.roots().find((r) => r.profile.name === profile)?.profile.provider;
}

export function presentNode(node: TreeNode, model: PresentationModel, keySource?: KeySource): NodePresentation {
  switch (node.kind) {
    case 'profile':
      return presentProfile(node, keySource);
    case 'bucket':
    case 'folder':
      return presentContainer(node, model);
    case 'object':
      return node.deleted ? presentDeletedObject(node) : presentObject(node, model);
    case 'version':
      return { ...presentVersion(node), collapsible: false };
    case 'loadMore':
      return {
        label: l10n.t('Load more…'),
        description: l10n.t('{0} shown', node.loaded),
        tooltip: node.parent.kind === 'bucket' ? l10n.t('List the next page of the bucket') : l10n.t('List the next page of this folder'),
        contextValue: contextValueOf('loadMore'),
        collapsible: false,
        icon: 'ellipsis',
        command: { id: COMMAND_LOAD_MORE, title: l10n.t('Load More') },
      };
    case 'error':
      return presentError(node);
    case 'info':
      return { label: node.message, contextValue: contextValueOf('info'), collapsible: false, icon: 'info' };
  }
}

function presentProfile(node: ProfileNode, keySource: KeySource | undefined): NodePresentation {
  const p = node.profile;
  const tokens: ContextToken[] = [];
  if (keySource === 'environment') tokens.push('env');
  if (keySource === 'secret-storage') tokens.push('secret');
  if (keySource === 'none') tokens.push('nokeys');
  return {
    label: p.name,
    description: `${p.provider.toUpperCase()} · ${p.endpoint ?? p.region}`,
    tooltip: [
      l10n.t('Profile: {0}', p.name),
      l10n.t('Provider: {0}', PROVIDER_LABELS[p.provider]),
      l10n.t('Region: {0}', p.region),
      ...(p.endpoint ? [l10n.t('Endpoint: {0}', p.endpoint)] : []),
      ...(keySource ? [l10n.t('Keys: {0}', KEY_SOURCE_TEXT[keySource])] : []),
    ].join('\n'),
    contextValue: contextValueOf('profile', tokens),
    collapsible: true,
    icon: 'account',
    resourcePath: remotePathOf(node.location) + '/',
  };
}

/** Buckets and folders: both can be filtered and mapped. */
function presentContainer(node: BucketNode | FolderNode, model: PresentationModel): NodePresentation {
  const filter = model.filterOf(node);
  const mapped = model.isMapped(node.location);
  const mappedLine = mapped ? [l10n.t('Mapped to a workspace folder')] : [];
  const common = {
    contextValue: contextValueOf(node.kind, [
      filter ? 'filtered' : undefined,
      mapped ? 'mapped' : undefined,
      providerToken(model, node.location.profile),
    ]),
    collapsible: true,
    resourcePath: remotePathOf(node.location) + '/',
  };
  if (node.kind === 'bucket') {
    const created = formatDate(node.info.creationDate);
    return {
      label: node.location.bucket,
      description: filter ? l10n.t('filter: {0}*', filter) : node.info.region,
      tooltip: [
        l10n.t('Bucket: {0}', node.location.bucket),
        ...(node.info.region ? [l10n.t('Region: {0}', node.info.region)] : []),
        ...(created ? [l10n.t('Created: {0}', created)] : []),
        ...(filter ? [l10n.t('Showing keys that start with "{0}"', filter)] : []),
        ...mappedLine,
      ].join('\n'),
      icon: 'database',
      ...common,
    };
  }
  return {
    label: displayName(node.location.key, node.parentPrefix),
    ...(filter ? { description: l10n.t('filter: {0}*', filter) } : {}),
    tooltip: [
      l10n.t('Prefix: {0}', node.location.key),
      l10n.t('Bucket: {0}', node.location.bucket),
      ...(filter ? [l10n.t('Showing keys that start with "{0}{1}"', node.location.key, filter)] : []),
      ...mappedLine,
    ].join('\n'),
    icon: 'folder',
    ...common,
  };
}

function presentObject(node: ObjectNode, model: PresentationModel): NodePresentation {
  // A listing says nothing about CRCs: they come from a HEAD, or from the CRC record for unchanged content.
  const recorded = !node.head && node.recorded ? node.recorded : undefined;
  const i = node.head ?? (recorded ? { ...node.info, crc64: recorded.crc64 } : node.info);
  const mapped = model.isMapped(node.location);
  const crcKnown = !!node.head || !!recorded;
  const crcToken: ContextToken | undefined = i.crc64 ? 'crc' : crcKnown ? 'nocrc' : undefined;
  const tooltip = objectTooltip(node.location.bucket, i, crcKnown);
  const state = objectStateDescription(i);
  return {
    label: displayName(i.key, node.parentPrefix),
    description: state ? `${formatBytes(i.size)} · ${state}` : formatBytes(i.size),
    tooltip: recorded
      ? l10n.t('{0}\nCRC-64 from the CRC record ({1}, {2})', tooltip, recorded.source, formatDate(new Date(recorded.checkedAt)) ?? '')
      : tooltip,
    contextValue: contextValueOf('object', [
      crcToken,
      mapped ? 'mapped' : undefined,
      providerToken(model, node.location.profile),
      isArchived(i) ? 'archived' : undefined,
      node.versioned ? 'versioned' : undefined,
    ]),
    collapsible: node.versioned === true,
    icon: isArchived(i) ? 'archive' : 'file',
    resourcePath: remotePathOf(node.location),
    command: { id: COMMAND_OPEN_OBJECT, title: l10n.t('Open') },
  };
}

function presentError(node: ErrorNode): NodePresentation {
  const keys = node.errorKind === 'credentials';
  const retry = !keys && node.errorKind !== 'access-denied';
  const action = keys
    ? { id: COMMAND_SET_PROFILE_KEYS, title: l10n.t('Set Profile Keys') }
    : retry
      ? { id: COMMAND_REFRESH_NODE, title: l10n.t('Retry') }
      : { id: COMMAND_EDIT_PROFILE, title: l10n.t('Edit Profile') };
  return {
    label: node.message,
    ...(node.hint ? { description: node.hint } : {}),
    tooltip: [node.message, ...(node.hint ? [node.hint] : []), l10n.t('Click: {0}', action.title)].join('\n'),
    contextValue: contextValueOf('error', [keys ? 'keys' : undefined, retry ? 'retry' : undefined]),
    collapsible: false,
    icon: 'error',
    command: action,
  };
}

/** Key, size, last modified, storage class (with restore state and encryption), ETag and CRC-64 of an object, one per line. */
export function objectTooltip(
  bucket: string,
  i: {
    key: string;
    size: number;
    lastModified?: Date;
    storageClass?: string;
    storageTier?: string;
    etag?: string;
    crc64?: string;
    restore?: ObjectInfo['restore'];
    encryption?: string;
  },
  crcKnown = true,
): string {
  return [
    l10n.t('Key: {0}', i.key),
    l10n.t('Bucket: {0}', bucket),
    l10n.t('Size: {0} bytes{1}', i.size.toLocaleString('en-US'), i.size >= 1024 ? ` (${formatBytes(i.size)})` : ''),
    l10n.t('Last modified: {0}', formatDate(i.lastModified) ?? l10n.t('unknown')),
    l10n.t('Storage class: {0}', storageClassText(i) ?? l10n.t('unknown')),
    ...objectStateLines(i, crcKnown),
    `ETag: ${i.etag ?? 'none'}`,
    l10n.t('CRC-64: {0}', i.crc64 ?? (crcKnown ? l10n.t('none (stored without one; use "Compute Remote CRC-64 (download)")') : '…')),
    ...objectKindLines(i),
  ].join('\n');
}

/** The last segment of a key or prefix, for a tree label ('logs/2024/' → '2024'). */
export function displayName(keyOrPrefix: string, parentPrefix: string): string {
  const rest = keyOrPrefix.startsWith(parentPrefix) ? keyOrPrefix.slice(parentPrefix.length) : keyOrPrefix;
  return rest.replace(/\/$/, '') || keyOrPrefix;
}
