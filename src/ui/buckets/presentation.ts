import type { ObjectInfo } from '../../storage/types';
import { formatBytes } from '../../util/format';
import { PROVIDER_LABELS, type KeySource } from '../shared/profileModel';
import { contextValueOf, type ContextToken } from './contextValue';
import { remotePathOf } from '../shared/remoteUri';
import { isArchiveClass } from '../../storage/objectState';
import { objectStateDescription, objectStateLines } from './objectStateLines';
import type { BucketNode, BucketTreeModel, ErrorNode, FolderNode, ObjectNode, ProfileNode, TreeNode } from './treeModel';

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
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

const KEY_SOURCE_TEXT: Record<KeySource, string> = {
  'secret-storage': 'keys in the secret storage',
  environment: 'keys from environment variables',
  none: 'no keys',
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
      return presentObject(node, model);
    case 'loadMore':
      return {
        label: 'Load more…',
        description: `${node.loaded} shown`,
        tooltip: `List the next ${node.parent.kind === 'bucket' ? 'page of the bucket' : 'page of this folder'}`,
        contextValue: contextValueOf('loadMore'),
        collapsible: false,
        icon: 'ellipsis',
        command: { id: COMMAND_LOAD_MORE, title: 'Load More' },
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
      `Profile: ${p.name}`,
      `Provider: ${PROVIDER_LABELS[p.provider]}`,
      `Region: ${p.region}`,
      ...(p.endpoint ? [`Endpoint: ${p.endpoint}`] : []),
      ...(keySource ? [`Keys: ${KEY_SOURCE_TEXT[keySource]}`] : []),
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
  const mappedLine = mapped ? ['Mapped to a workspace folder'] : [];
  const common = {
    contextValue: contextValueOf(node.kind, [filter ? 'filtered' : undefined, mapped ? 'mapped' : undefined, providerToken(model, node.location.profile)]),
    collapsible: true,
    resourcePath: remotePathOf(node.location) + '/',
  };
  if (node.kind === 'bucket') {
    const created = formatDate(node.info.creationDate);
    return {
      label: node.location.bucket,
      description: filter ? `filter: ${filter}*` : node.info.region,
      tooltip: [
        `Bucket: ${node.location.bucket}`,
        ...(node.info.region ? [`Region: ${node.info.region}`] : []),
        ...(created ? [`Created: ${created}`] : []),
        ...(filter ? [`Showing keys that start with "${filter}"`] : []),
        ...mappedLine,
      ].join('\n'),
      icon: 'database',
      ...common,
    };
  }
  return {
    label: displayName(node.location.key, node.parentPrefix),
    ...(filter ? { description: `filter: ${filter}*` } : {}),
    tooltip: [
      `Prefix: ${node.location.key}`,
      `Bucket: ${node.location.bucket}`,
      ...(filter ? [`Showing keys that start with "${node.location.key}${filter}"`] : []),
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
    tooltip: recorded ? `${tooltip}\nCRC-64 from the CRC record (${recorded.source}, ${formatDate(new Date(recorded.checkedAt))})` : tooltip,
    contextValue: contextValueOf('object', [crcToken, mapped ? 'mapped' : undefined, providerToken(model, node.location.profile), isArchiveClass(i.storageClass) ? 'archived' : undefined]),
    collapsible: false,
    icon: isArchiveClass(i.storageClass) ? 'archive' : 'file',
    resourcePath: remotePathOf(node.location),
    command: { id: COMMAND_OPEN_OBJECT, title: 'Open' },
  };
}

function presentError(node: ErrorNode): NodePresentation {
  const keys = node.errorKind === 'credentials';
  const retry = !keys && node.errorKind !== 'access-denied';
  const action = keys
    ? { id: COMMAND_SET_PROFILE_KEYS, title: 'Set Profile Keys' }
    : retry
      ? { id: COMMAND_REFRESH_NODE, title: 'Retry' }
      : { id: COMMAND_EDIT_PROFILE, title: 'Edit Profile' };
  return {
    label: node.message,
    ...(node.hint ? { description: node.hint } : {}),
    tooltip: [node.message, ...(node.hint ? [node.hint] : []), `Click: ${action.title}`].join('\n'),
    contextValue: contextValueOf('error', [keys ? 'keys' : undefined, retry ? 'retry' : undefined]),
    collapsible: false,
    icon: 'error',
    command: action,
  };
}

/** Key, size, last modified, storage class (with restore state and encryption), ETag and CRC-64 of an object, one per line. */
export function objectTooltip(
  bucket: string,
  i: { key: string; size: number; lastModified?: Date; storageClass?: string; etag?: string; crc64?: string; restore?: ObjectInfo['restore']; encryption?: string },
  crcKnown = true,
): string {
  return [
    `Key: ${i.key}`,
    `Bucket: ${bucket}`,
    `Size: ${i.size.toLocaleString('en-US')} bytes${i.size >= 1024 ? ` (${formatBytes(i.size)})` : ''}`,
    `Last modified: ${formatDate(i.lastModified) ?? 'unknown'}`,
    `Storage class: ${i.storageClass ?? 'unknown'}`,
    ...objectStateLines(i, crcKnown),
    `ETag: ${i.etag ?? 'none'}`,
    `CRC-64: ${i.crc64 ?? (crcKnown ? 'none (stored without one; use "Compute Remote CRC-64 (download)")' : '…')}`,
  ].join('\n');
}

/** The last segment of a key or prefix, for a tree label ('logs/2024/' → '2024'). */
export function displayName(keyOrPrefix: string, parentPrefix: string): string {
  const rest = keyOrPrefix.startsWith(parentPrefix) ? keyOrPrefix.slice(parentPrefix.length) : keyOrPrefix;
  return rest.replace(/\/$/, '') || keyOrPrefix;
}
