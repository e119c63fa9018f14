import * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import { mappedLocalFor, mappingsFromSettings } from '../shared/mappingSettings';
import { BadgeDecorationProvider } from './badgeDecorations';

/** Files created or deleted (by any program) change whether a folder holds one never compared. */
function watchFiles(provider: BadgeDecorationProvider): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
  watcher.onDidCreate((uri) => provider.fileCreatedOrDeleted(uri));
  watcher.onDidDelete((uri) => provider.fileCreatedOrDeleted(uri));
  return watcher;
}

/** Badges in the Buckets view and the Explorer, from the one badge store. */
export function registerDecorations(context: vscode.ExtensionContext, services: { readonly badges: BadgeStore }): BadgeDecorationProvider {
  let mappings = mappingsFromSettings();
  const provider = new BadgeDecorationProvider(
    services.badges,
    // Mappings are relative to the workspace folder that holds the file, as in every command.
    (uri) => mappedLocalFor(uri, false, mappings) !== undefined,
  );
  context.subscriptions.push(
    provider,
    vscode.window.registerFileDecorationProvider(provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('bucketIntegrity.mappings')) return;
      mappings = mappingsFromSettings();
      provider.refreshAll();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => provider.refreshAll()),
    watchFiles(provider),
  );
  return provider;
}
