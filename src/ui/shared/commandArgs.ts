import { parseRemotePath, REMOTE_SCHEME } from './remoteUri';

/**
 * The one reader of command arguments that name a remote place, shared by every feature. Editor-free so
 * it is unit-tested: URIs are recognised by shape (`scheme` + `path`). It accepts
 * - a profile name (`'prod'`) or a profile from the settings (`{ name, provider, … }`);
 * - plain `{ profile, bucket, key }` / `{ profile, bucket, prefix }` objects (palette, tests, other
 *   commands), also spelt `profileName` / `bucketName`;
 * - Buckets tree nodes (`{ kind, location: { profile, bucket, key } }`; error and info nodes name their
 *   parent's profile);
 * - `bucket-integrity:/<profile>/<bucket>/<key>` URIs, and anything carrying one as `resourceUri`
 *   (containers' URIs end with '/').
 */

/** A place a command argument names: a profile, a bucket, a prefix or an object. */
export interface RemoteArg {
  profile: string;
  bucket?: string;
  /** Object key, or a prefix ending with '/' ('' for the bucket root); absent when the argument gave none. */
  key?: string;
  /** True for profiles, buckets and prefixes. */
  isPrefix: boolean;
}

/** Where in a bucket a command points: an object (`isPrefix: false`) or a prefix / the bucket root. */
export interface RemoteTarget {
  profile: string;
  bucket: string;
  /** Object key, or a prefix ending with '/' ('' for the bucket root). */
  key: string;
  isPrefix: boolean;
}

const CONTAINER_KINDS = new Set(['profile', 'bucket', 'folder', 'prefix']);

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The place a command argument names, or undefined when it names none. */
export function remoteArgOf(arg: unknown): RemoteArg | undefined {
  if (typeof arg === 'string') {
    const profile = text(arg);
    return profile ? { profile, isPrefix: true } : undefined;
  }
  const a = record(arg);
  if (!a) return undefined;
  if (typeof a.scheme === 'string' && typeof a.path === 'string') return a.scheme === REMOTE_SCHEME ? fromUriPath(a.path) : undefined;
  const loc = record(a.location);
  if (loc) return remoteArgOf({ ...loc, kind: str(a.kind) ?? loc.kind }) ?? profileOnly(a);
  return fromFields(a) ?? profileOnly(a) ?? (a.resourceUri ? remoteArgOf(a.resourceUri) : undefined);
}

/** `{ profile, bucket, key | prefix, kind }` (or the `profileName` / `bucketName` spellings). */
function fromFields(a: Record<string, unknown>): RemoteArg | undefined {
  const profile = text(a.profile) ?? text(a.profileName);
  if (!profile) return undefined;
  const bucket = str(a.bucket) ?? str(a.bucketName);
  if (!bucket) return { profile, isPrefix: true };
  const prefix = str(a.prefix);
  const key = str(a.key);
  if (prefix !== undefined && key === undefined) return { profile, bucket, key: prefix, isPrefix: true };
  const kind = str(a.kind);
  const k = key ?? '';
  const isPrefix = k === '' || k.endsWith('/') || (kind !== undefined && CONTAINER_KINDS.has(kind));
  const named = isPrefix && k !== '' && !k.endsWith('/') ? `${k}/` : k;
  return key === undefined ? { profile, bucket, isPrefix } : { profile, bucket, key: named, isPrefix };
}

/** Only a profile: a profile from the settings, a profile node's `profile`, or the parent node's profile. */
function profileOnly(a: Record<string, unknown>): RemoteArg | undefined {
  if (typeof a.provider === 'string') {
    const name = text(a.name);
    return name ? { profile: name, isPrefix: true } : undefined;
  }
  for (const nested of [record(a.profile), record(a.parent)]) {
    const profile = nested && remoteArgOf(nested)?.profile;
    if (profile) return { profile, isPrefix: true };
  }
  return undefined;
}

/** `/<profile>[/<bucket>[/<key>]]`; a trailing '/' marks a container. */
function fromUriPath(path: string): RemoteArg | undefined {
  const container = path.endsWith('/');
  const loc = parseRemotePath(path.replace(/\/+$/, ''));
  if (!loc) return undefined;
  // Plain `{ scheme, path }` objects may carry an encoded profile segment; names never contain '%' otherwise.
  const profile = safeDecode(loc.profile);
  if (loc.bucket === undefined) return { profile, isPrefix: true };
  return fromFields({ profile, bucket: loc.bucket, key: loc.key ?? '', kind: container ? 'folder' : 'object' });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A place inside a bucket (an object, a prefix or the bucket root), or undefined. */
export function remoteTargetOf(arg: unknown): RemoteTarget | undefined {
  const place = remoteArgOf(arg);
  if (!place?.bucket) return undefined;
  return { profile: place.profile, bucket: place.bucket, key: place.key ?? '', isPrefix: place.isPrefix };
}

/** The profile a command argument names (see `remoteArgOf`). */
export function profileNameOf(arg: unknown): string | undefined {
  return remoteArgOf(arg)?.profile;
}
