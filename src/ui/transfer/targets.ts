import * as vscode from 'vscode';

// Remote targets come from the one command-argument reader every feature shares.
export { remoteTargetOf, type RemoteTarget } from '../shared/commandArgs';

/** Explorer commands receive the clicked URI and, with multi-select, every selected URI. */
export function localUrisOf(clicked: unknown, selected: unknown): vscode.Uri[] {
  if (Array.isArray(selected) && selected.length > 0 && selected.every((u) => u instanceof vscode.Uri)) {
    return (selected as vscode.Uri[]).filter((u) => u.scheme === 'file');
  }
  if (clicked instanceof vscode.Uri && clicked.scheme === 'file') return [clicked];
  return [];
}
