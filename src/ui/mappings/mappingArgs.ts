import { remoteArgOf } from '../shared/commandArgs';
import { normalizePrefix } from '../shared/mappingModel';

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
    return { profile: first, bucket: second, prefix: normalizePrefix(typeof third === 'string' ? third : '') };
  }
  const out: MapFolderArgs = {};
  const local = localPathOf(first);
  if (local) {
    out.localPath = local;
    return out;
  }
  const a = record(first);
  if (!a) return out;
  const localFolder = a.localFolder;
  if (typeof localFolder === 'string') out.localFolder = localFolder;
  else if (localPathOf(localFolder)) out.localPath = localPathOf(localFolder);
  if (localPathOf(a.localUri)) out.localPath = localPathOf(a.localUri);
  const place = remoteArgOf(first);
  if (place) out.profile = place.profile;
  if (place?.bucket) out.bucket = place.bucket;
  // Only a prefix the argument names (an object key counts as a folder node's key without its '/').
  if (place?.bucket && place.key !== undefined) out.prefix = normalizePrefix(place.key);
  return out;
}

/** The default remote prefix for a local folder: its workspace-relative path ('site' → 'site/'). */
export function defaultPrefixFor(localFolder: string): string {
  return normalizePrefix(localFolder);
}
