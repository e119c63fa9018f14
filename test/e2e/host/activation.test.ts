import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, readMetrics } from './context';

describe('activation', () => {
  it('activates lazily, without a `*` activation event', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in this window`);
    const installedIn = process.env.BUCKET_INTEGRITY_E2E_EXPECT_INSTALLED;
    if (installedIn) {
      // The .vsix check: the extension must come from the installed package, not from the source tree.
      assert.ok(ext.extensionPath.startsWith(installedIn), `loaded from ${ext.extensionPath}, not from the installed .vsix`);
    }
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activation must be lazy');
    // index.ts activated it before any test and measured how long that took, unless the window had
    // already activated it (`onStartupFinished`); the runner then reports the extension's own log line.
    const metrics = readMetrics();
    if (!metrics.activationWasAlreadyDone) assert.equal(typeof metrics.activationMs, 'number');
    assert.equal(ext.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
