/**
 * Remote objects are named in the editor by URIs `bucket-integrity:/<profile>/<bucket>/<key>`, so the
 * tree items can carry a `resourceUri` that the decoration provider (and the badge store) key on. These
 * helpers build and read the path part; they are editor-free so they can be unit-tested.
 */

export const REMOTE_SCHEME = 'bucket-integrity';

export interface RemoteLocation {
  profile: string;
  bucket?: string;
  /** Object key, or a prefix ending with '/'; '' for the bucket itself. */
  key?: string;
}

/** `/<profile>[/<bucket>[/<key>]]`, with no trailing '/' (folders and objects share the badge key form). */
export function remotePathOf(location: RemoteLocation): string {
  let path = '/' + location.profile;
  if (location.bucket !== undefined) {
    path += '/' + location.bucket;
    if (location.key) path += '/' + location.key.replace(/\/+$/, '');
  }
  return path;
}

/** The location a path names, or undefined when it names no profile (or has an empty bucket segment). */
export function parseRemotePath(path: string): RemoteLocation | undefined {
  const parts = path.replace(/^\/+/, '').split('/');
  const profile = parts[0];
  if (!profile) return undefined;
  if (parts.length === 1) return { profile };
  const bucket = parts[1];
  if (!bucket) return undefined;
  return { profile, bucket, key: parts.slice(2).join('/') };
}
