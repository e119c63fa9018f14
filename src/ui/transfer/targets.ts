import * as vscode from 'vscode';
import { REMOTE_SCHEME } from '../buckets/remotePath';
import { remoteTargetFromArg, remoteTargetFromPath, type RemoteTarget } from './targetArgs';

export type { RemoteTarget } from './targetArgs';

/**
 * A command argument as a remote target: plain objects and tree nodes (see `targetArgs.ts`), or anything
 * carrying a `bucket-integrity:` `resourceUri` (containers' URIs end with '/').
 */
export function remoteTargetOf(arg: unknown): RemoteTarget | undefined {
  const plain = remoteTargetFromArg(arg);
  if (plain) return plain;
  const uri =
    arg instanceof vscode.Uri ? arg : typeof arg === 'object' && arg !== null ? (arg as { resourceUri?: unknown }).resourceUri : undefined;
  if (uri instanceof vscode.Uri && uri.scheme === REMOTE_SCHEME) return remoteTargetFromPath(uri.path, uri.path.endsWith('/'));
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
