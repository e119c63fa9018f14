import { isAbsolute, relative, sep } from 'node:path';
import { normalizeLocalFolder, normalizePrefix } from './mappingModel';

/**
 * Arguments of `bucketIntegrity.mapFolder`, from the Explorer (a folder URI), the Buckets view (a node
 * with profile, bucket and prefix), other commands or tests (everything at once). Editor-free: URIs are
 * recognised by shape.
 */
export interface MapFolderArgs {
  /** Absolute local folder, when known. */
  localPath?: string;
  /** Workspace-relative local folder, when given that way. */
  localFolder?: string;
  profile?: string;
  bucket?: string;
  prefix?: string;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function localPathOf(v: unknown): string | undefined {
  const a = record(v);
  if (a && a.scheme === 'file' && typeof a.fsPath === 'string') return a.fsPath;
  return undefined;
}

/**
 * Reads `(uri)`, `(uri, selectedUris)`, `(node)`, `({ localFolder, profile, bucket, prefix })` and
 * `(profile, bucket, prefix)`.
 */
export function mapFolderArgsOf(args: readonly unknown[]): MapFolderArgs {
  const [first, second, third] = args;
  if (typeof first === 'string' && typeof second === 'string') {
    return { profile: first, bucket: second, prefix: normalizePrefix(str(third) ?? '') };
  }
  const out: MapFolderArgs = {};
  const local = localPathOf(first);
  if (local) {
    out.localPath = local;
    return out;
  }
  const a = record(first);
  if (!a) return out;
  const loc = record(a.location) ?? a;
  const localFolder = a.localFolder;
  if (typeof localFolder === 'string') out.localFolder = localFolder;
  else if (localPathOf(localFolder)) out.localPath = localPathOf(localFolder);
  if (localPathOf(a.localUri)) out.localPath = localPathOf(a.localUri);
  const profile = str(loc.profile) ?? str(loc.profileName);
  const bucket = str(loc.bucket) ?? str(loc.bucketName);
  if (profile) out.profile = profile;
  if (bucket) out.bucket = bucket;
  const prefix = str(loc.prefix) ?? (str(loc.key)?.endsWith('/') || str(loc.key) === '' ? str(loc.key) : undefined);
  if (prefix !== undefined) out.prefix = normalizePrefix(prefix);
  else if (profile && bucket && typeof loc.key === 'string') {
    // A folder node whose key lacks the trailing '/'.
    out.prefix = normalizePrefix(loc.key);
  }
  return out;
}

/** `folder` relative to `root` with '/' separators, or undefined when it is outside `root`. */
export function workspaceRelative(root: string, folder: string): string | undefined {
  const rel = relative(root, folder);
  if (rel === '') return '';
  if (isAbsolute(rel) || rel === '..' || rel.startsWith('..' + sep)) return undefined;
  return normalizeLocalFolder(rel.split(sep).join('/'));
}

/** The default remote prefix for a local folder: its workspace-relative path ('site' → 'site/'). */
export function defaultPrefixFor(localFolder: string): string {
  return normalizePrefix(localFolder);
}
