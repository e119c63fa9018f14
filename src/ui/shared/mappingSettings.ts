import * as vscode from 'vscode';
import { parseMappings, type FolderMapping } from './mappingModel';
import { containingFolder, mappedLocal, type MappedLocal } from './workspaceFolder';

/** The valid entries of `bucketIntegrity.mappings` (invalid ones are reported by Map Folder). */
export function mappingsFromSettings(): FolderMapping[] {
  return parseMappings(vscode.workspace.getConfiguration('bucketIntegrity').get('mappings')).mappings;
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
  if (!local) return vscode.workspace.workspaceFolders?.[0]?.uri;
  if (local.scheme !== 'file') return undefined;
  const root = containingFolder(folderPaths(), local.fsPath);
  return root === undefined ? undefined : vscode.Uri.file(root);
}

/** Where the mappings (those in the settings unless given) send a local file or folder (see `mappedLocal`). */
export function mappedLocalFor(local: vscode.Uri, isFolder: boolean, mappings: readonly FolderMapping[] = mappingsFromSettings()): MappedLocal | undefined {
  return local.scheme === 'file' ? mappedLocal(folderPaths(), mappings, local.fsPath, isFolder) : undefined;
}
