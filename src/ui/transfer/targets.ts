import * as vscode from 'vscode';
import { parseRemotePath, REMOTE_SCHEME } from '../buckets/remotePath';

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

/**
 * A command argument as a remote target. Accepts plain `{ profile, bucket, key }` / `{ profile, bucket,
 * prefix }` objects (palette, tests, other commands), tree nodes that carry those fields directly or under
 * `location`, and anything with a `bucket-integrity:` `resourceUri`.
 */
export function remoteTargetOf(arg: unknown): RemoteTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a.location === 'object' && a.location !== null) {
    const inner = remoteTargetOf({ ...(a.location as object), kind: a.kind, contextValue: a.contextValue });
    if (inner) return inner;
  }
  const profile = str(a.profile) ?? str(a.profileName);
  const bucket = str(a.bucket) ?? str(a.bucketName);
  const prefix = str(a.prefix);
  const key = str(a.key);
  const folderish = /folder|prefix|bucket/i.test(`${str(a.kind) ?? ''} ${str(a.contextValue) ?? ''} ${str(a.type) ?? ''}`);
  if (profile && bucket) {
    if (prefix !== undefined && key === undefined) return { profile, bucket, key: prefix, isPrefix: true };
    const k = key ?? '';
    return { profile, bucket, key: k, isPrefix: k === '' || k.endsWith('/') || (folderish && !/object|file/i.test(str(a.kind) ?? '')) };
  }
  const uri = a.resourceUri instanceof vscode.Uri ? a.resourceUri : a instanceof vscode.Uri ? (a as vscode.Uri) : undefined;
  if (uri && uri.scheme === REMOTE_SCHEME) {
    const loc = parseRemotePath(uri.path);
    if (!loc?.bucket) return undefined;
    const k = loc.key ?? '';
    const isPrefix = k === '' || k.endsWith('/') || folderish;
    return { profile: loc.profile, bucket: loc.bucket, key: isPrefix && k !== '' && !k.endsWith('/') ? `${k}/` : k, isPrefix };
  }
  return undefined;
}

/** Explorer commands receive the clicked URI and, with multi-select, every selected URI. */
export function localUrisOf(clicked: unknown, selected: unknown): vscode.Uri[] {
  if (Array.isArray(selected) && selected.length > 0 && selected.every((u) => u instanceof vscode.Uri)) {
    return (selected as vscode.Uri[]).filter((u) => u.scheme === 'file');
  }
  if (clicked instanceof vscode.Uri && clicked.scheme === 'file') return [clicked];
  return [];
}
