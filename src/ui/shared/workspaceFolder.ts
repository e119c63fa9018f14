import { isAbsolute, relative, sep } from 'node:path';
import { localToRemote, normalizeLocalFolder, type FolderMapping } from './mappingModel';

/**
 * Which workspace folder a mapping's relative `localFolder` is resolved against, without the editor so the
 * rule is unit-tested: the folder that contains the local path (the innermost one when folders nest).
 * In a multi-root workspace a file in the second folder is never resolved against the first.
 */
export function containingFolder(folders: readonly string[], localPath: string): string | undefined {
  let best: string | undefined;
  for (const folder of folders) {
    if (workspaceRelative(folder, localPath) !== undefined && (best === undefined || folder.length > best.length)) best = folder;
  }
  return best;
}

/** `path` relative to `root` with '/' separators ('' for the root itself), or undefined when it is outside `root`. */
export function workspaceRelative(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '') return '';
  if (isAbsolute(rel) || rel === '..' || rel.startsWith('..' + sep)) return undefined;
  return normalizeLocalFolder(rel.split(sep).join('/'));
}

/** Where a mapping sends a local file or folder */
export interface MappedLocal {
  /** The workspace folder it was resolved against. */
  root: string;
  /** Its path relative to `root`, '/'-separated. */
  relativePath: string;
  mapping: FolderMapping;
  /** The object key (a prefix ending with '/' for a folder). */
  key: string;
}

/** The mapping that covers a local path in a workspace with these folders, and the key it maps to. */
export function mappedLocal(
  folders: readonly string[],
  mappings: readonly FolderMapping[],
  localPath: string,
  isFolder = false,
): MappedLocal | undefined {
  const root = containingFolder(folders, localPath);
  const relativePath = root === undefined ? undefined : workspaceRelative(root, localPath);
  if (root === undefined || relativePath === undefined) return undefined;
  const mapped = localToRemote(mappings, relativePath, isFolder);
  return mapped ? { root, relativePath, mapping: mapped.mapping, key: mapped.key } : undefined;
}
