import { parseRemotePath } from '../buckets/remotePath';

/**
 * Command arguments as remote targets, without the editor so it is unit-tested: plain
 * `{ profile, bucket, key }` / `{ profile, bucket, prefix }` objects (palette, tests, other commands), and
 * Buckets tree nodes (`{ kind, location: { profile, bucket, key } }`).
 */

/** Where in a bucket a command points: an object (`isPrefix: false`) or a prefix / the bucket root. */
export interface RemoteTarget {
  profile: string;
  bucket: string;
  /** Object key, or a prefix ending with '/' ('' for the bucket root). */
  key: string;
  isPrefix: boolean;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const CONTAINER_KINDS = new Set(['bucket', 'folder', 'prefix']);

export function remoteTargetFromArg(arg: unknown): RemoteTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  const kind = str(a.kind);
  if (typeof a.location === 'object' && a.location !== null) {
    const loc = a.location as Record<string, unknown>;
    return remoteTargetFromArg({ ...loc, kind: kind ?? loc.kind });
  }
  const profile = str(a.profile);
  const bucket = str(a.bucket);
  if (!profile || !bucket) return undefined;
  const prefix = str(a.prefix);
  const key = str(a.key);
  if (prefix !== undefined && key === undefined) return { profile, bucket, key: prefix, isPrefix: true };
  const k = key ?? '';
  const isPrefix = k === '' || k.endsWith('/') || (kind !== undefined && CONTAINER_KINDS.has(kind));
  return { profile, bucket, key: isPrefix && k !== '' && !k.endsWith('/') ? `${k}/` : k, isPrefix };
}

/** A target from the path of a `bucket-integrity:` URI (`/<profile>/<bucket>/<key>`); `folder` when it names a container. */
export function remoteTargetFromPath(path: string, folder: boolean): RemoteTarget | undefined {
  const loc = parseRemotePath(path);
  if (!loc?.bucket) return undefined;
  return remoteTargetFromArg({ profile: loc.profile, bucket: loc.bucket, key: loc.key ?? '', kind: folder ? 'folder' : 'object' });
}
