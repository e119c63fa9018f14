/**
 * Which local folder corresponds to which remote prefix (`bucketIntegrity.mappings`), and the translation
 * between a workspace-relative path and an object key in both directions. Editor-free and unit-tested.
 * Paths here are always POSIX-style and relative to the workspace folder.
 */

import { isUnsafeKey } from '../../util/keySafety';
import * as l10n from '@vscode/l10n';

export interface FolderMapping {
  /** Workspace-relative folder, POSIX separators; '' or '.' is the workspace folder itself. */
  localFolder: string;
  profile: string;
  bucket: string;
  /** Remote prefix; '' is the bucket root. Stored normalized to end with '/'. */
  prefix: string;
}

/** 'a\\b/' → 'a/b'; '.' and './' → ''. Refuses to leave the workspace ('..'). */
export function normalizeLocalFolder(folder: string): string | undefined {
  const parts = folder
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

/** '' stays ''; 'a/b' → 'a/b/'; leading slashes dropped (keys never start with '/'). */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  if (trimmed === '') return '';
  return trimmed.endsWith('/') ? trimmed : trimmed + '/';
}

export function mappingProblems(m: Partial<FolderMapping>): string[] {
  const problems: string[] = [];
  if (typeof m.localFolder !== 'string' || normalizeLocalFolder(m.localFolder) === undefined) {
    problems.push('localFolder must be a folder inside the workspace.');
  }
  if (typeof m.profile !== 'string' || !m.profile.trim()) problems.push('profile is missing.');
  if (typeof m.bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,62}$/.test(m.bucket)) {
    problems.push('bucket must be a bucket name (lowercase letters, digits, "-", ".").');
  }
  if (m.prefix !== undefined && typeof m.prefix !== 'string') problems.push('prefix must be text.');
  return problems;
}

export function parseMappings(raw: unknown): { mappings: FolderMapping[]; problems: string[] } {
  const mappings: FolderMapping[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { mappings, problems };
  if (!Array.isArray(raw)) return { mappings, problems: ['bucketIntegrity.mappings must be a list.'] };
  raw.forEach((item, index) => {
    const m = (typeof item === 'object' && item !== null ? item : {}) as Partial<FolderMapping>;
    const issues = mappingProblems(m);
    if (issues.length > 0) {
      problems.push(l10n.t('Mapping #{0} is ignored: {1}', index + 1, issues.join(' ')));
      return;
    }
    mappings.push({
      localFolder: normalizeLocalFolder(m.localFolder as string) as string,
      profile: (m.profile as string).trim(),
      bucket: m.bucket as string,
      prefix: normalizePrefix(m.prefix ?? ''),
    });
  });
  return { mappings, problems };
}

function isUnder(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(folder + '/');
}

/**
 * The mapping that covers a workspace-relative path (the deepest one wins when mappings nest) and the
 * object key it corresponds to. For a folder, the key is the folder's prefix (ending with '/').
 */
export function localToRemote(
  mappings: readonly FolderMapping[],
  relativePath: string,
  isFolder = false,
): { mapping: FolderMapping; key: string } | undefined {
  const path = normalizeLocalFolder(relativePath);
  if (path === undefined) return undefined;
  let best: FolderMapping | undefined;
  for (const m of mappings) {
    if (isUnder(path, m.localFolder) && (!best || m.localFolder.length > best.localFolder.length)) best = m;
  }
  if (!best) return undefined;
  const rest = best.localFolder === '' ? path : path.slice(best.localFolder.length + 1);
  let key = best.prefix + rest;
  if (isFolder && key !== '' && !key.endsWith('/')) key += '/';
  return { mapping: best, key };
}

/** A place in a bucket: an object key, or a prefix ('' for the bucket, else ending with '/'). */
export interface RemotePlace {
  profile: string;
  bucket: string;
  key: string;
}

/**
 * The one mapping rule: the mapping (the longest prefix) that covers an object key or a prefix, and the
 * rest of the key below its prefix; undefined when none covers it or when the rest would escape the mapped
 * folder (e.g. `site/../x`): such a key is covered by no mapping, for menus, badges and transfers alike.
 */
export function mappingFor(mappings: readonly FolderMapping[], place: RemotePlace): { mapping: FolderMapping; rest: string } | undefined {
  const { profile, bucket, key } = place;
  let best: FolderMapping | undefined;
  for (const m of mappings) {
    if (m.profile !== profile || m.bucket !== bucket) continue;
    const inside = key.startsWith(m.prefix) || key + '/' === m.prefix;
    if (inside && (!best || m.prefix.length > best.prefix.length)) best = m;
  }
  if (!best) return undefined;
  const rest = key.startsWith(best.prefix) ? key.slice(best.prefix.length) : '';
  // The mapped folder itself has an empty rest; anything else must be a safe relative path.
  if (rest !== '' && isUnsafeKey(rest)) return undefined;
  return { mapping: best, rest };
}

/**
 * Whether a mapping covers a bucket, folder or object (`mappingFor`), or a bucket or folder holds a
 * mapped prefix: what gives a Buckets view item its mapped menus.
 */
export function covers(mappings: readonly FolderMapping[], place: RemotePlace): boolean {
  if (mappingFor(mappings, place)) return true;
  const { profile, bucket, key } = place;
  const container = key === '' || (key.endsWith('/') && !isUnsafeKey(key));
  return container && mappings.some((m) => m.profile === profile && m.bucket === bucket && m.prefix.startsWith(key));
}

/**
 * The workspace-relative path that corresponds to an object key (or a prefix ending with '/'), or
 * undefined when no mapping covers it (see `mappingFor`).
 */
export function remoteToLocal(
  mappings: readonly FolderMapping[],
  profile: string,
  bucket: string,
  key: string,
): { mapping: FolderMapping; relativePath: string } | undefined {
  const found = mappingFor(mappings, { profile, bucket, key });
  if (!found) return undefined;
  const tail = found.rest.replace(/\/+$/, '');
  const relativePath = [found.mapping.localFolder, tail].filter((p) => p !== '').join('/');
  return { mapping: found.mapping, relativePath };
}

/** The same mapping (ignoring formatting differences)? Used to avoid adding duplicates. */
export function sameMapping(a: FolderMapping, b: FolderMapping): boolean {
  return (
    normalizeLocalFolder(a.localFolder) === normalizeLocalFolder(b.localFolder) &&
    a.profile === b.profile &&
    a.bucket === b.bucket &&
    normalizePrefix(a.prefix) === normalizePrefix(b.prefix)
  );
}
