import * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import { parseMappings } from '../mappings/mappingModel';
import { BadgeDecorationProvider } from './badgeDecorations';

/** Badges in the Buckets view and the Explorer, from the one badge store. */
export function registerDecorations(context: vscode.ExtensionContext, services: { readonly badges: BadgeStore }): BadgeDecorationProvider {
  let mappings = parseMappings(vscode.workspace.getConfiguration('bucketIntegrity').get('mappings')).mappings;
  const provider = new BadgeDecorationProvider(
    services.badges,
    () => mappings,
    // Mappings are relative to the workspace folder that holds the file (the first one otherwise), as in Compare.
    (uri) => vscode.workspace.getWorkspaceFolder(uri)?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri,
  );
  context.subscriptions.push(
    provider,
    vscode.window.registerFileDecorationProvider(provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('bucketIntegrity.mappings')) return;
      mappings = parseMappings(vscode.workspace.getConfiguration('bucketIntegrity').get('mappings')).mappings;
      provider.refreshAll();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => provider.refreshAll()),
  );
  return provider;
}
