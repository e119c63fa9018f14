import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, readMetrics } from './context';

describe('activation', () => {
  it('activates lazily, without a `*` activation event, and only when asked', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in this window`);
    const installedIn = process.env.BUCKET_INTEGRITY_E2E_EXPECT_INSTALLED;
    if (installedIn) {
      // The .vsix check: the extension must come from the installed package, not from the source tree.
      assert.ok(ext.extensionPath.startsWith(installedIn), `loaded from ${ext.extensionPath}, not from the installed .vsix`);
    }
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activation must be lazy');
    assert.ok(!events.includes('onStartupFinished'), 'activation must wait for a command or a view');
    // index.ts activated it before any test and measured how long that took (see the runner's summary).
    const metrics = readMetrics();
    assert.equal(metrics.activationWasAlreadyDone, false, 'something activated the extension before it was asked to');
    assert.equal(typeof metrics.activationMs, 'number');
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
