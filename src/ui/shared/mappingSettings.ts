import * as vscode from 'vscode';
import { parseMappings, remoteToLocal, type FolderMapping } from './mappingModel';
import { containingFolder, mappedLocal, type MappedLocal } from './workspaceFolder';
import { rawSetting } from './settings';

/** The valid entries of `bucketIntegrity.mappings` (invalid ones are reported by Map Folder). */
export function mappingsFromSettings(): FolderMapping[] {
  return parseMappings(rawSetting('mappings')).mappings;
}

/** The first workspace folder: where objects coming down are mapped, and where pickers start. */
export function firstWorkspaceFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

function folderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

/**
 * The workspace folder mappings are resolved against for a local file or folder: the one that contains
 * it, or undefined when none does. Without a local side (an object coming down from a bucket) it is the
 * first workspace folder.
 */
export function mappingRootFor(local?: vscode.Uri): vscode.Uri | undefined {
  if (!local) return firstWorkspaceFolder();
  if (local.scheme !== 'file') return undefined;
  const root = containingFolder(folderPaths(), local.fsPath);
  return root === undefined ? undefined : vscode.Uri.file(root);
}

/** Where the mappings (those in the settings unless given) send a local file or folder (see `mappedLocal`). */
export function mappedLocalFor(
  local: vscode.Uri,
  isFolder: boolean,
  mappings: readonly FolderMapping[] = mappingsFromSettings(),
): MappedLocal | undefined {
  return local.scheme === 'file' ? mappedLocal(folderPaths(), mappings, local.fsPath, isFolder) : undefined;
}

/**
 * Where the mappings (those in the settings unless given) put an object or prefix in the workspace, with
 * its workspace-relative path; undefined without a workspace folder or when no mapping covers it
 * (`mappingFor`: a key that would escape the mapped folder is covered by none).
 */
export function localUriForRemote(
  place: { profile: string; bucket: string; key: string },
  mappings: readonly FolderMapping[] = mappingsFromSettings(),
): { uri: vscode.Uri; relativePath: string } | undefined {
  const root = mappingRootFor();
  const mapped = root ? remoteToLocal(mappings, place.profile, place.bucket, place.key) : undefined;
  if (!root || !mapped) return undefined;
  return { uri: vscode.Uri.joinPath(root, ...mapped.relativePath.split('/').filter(Boolean)), relativePath: mapped.relativePath };
}
