import * as vscode from 'vscode';

/**
 * Entry point. Activation only wires feature folders together; each `register*` adds its commands,
 * views and disposables to `context.subscriptions`. Heavy modules (SDKs, the engine) load on first use.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  void context;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
