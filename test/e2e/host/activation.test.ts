import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, recordMetric } from './context';

describe('activation', () => {
  it('activates lazily and quickly, without a `*` activation event', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in this window`);
    const installedIn = process.env.BUCKET_INTEGRITY_E2E_EXPECT_INSTALLED;
    if (installedIn) {
      // The .vsix check: the extension must come from the installed package, not from the source tree.
      assert.ok(ext.extensionPath.startsWith(installedIn), `loaded from ${ext.extensionPath}, not from the installed .vsix`);
    }
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activation must be lazy');
    const wasActive = ext.isActive;
    const started = performance.now();
    await ext.activate();
    const ms = performance.now() - started;
    assert.equal(ext.isActive, true);
    // Only a cold activation is a measurement; if something activated it first, say so.
    recordMetric('activationMs', Math.round(ms * 10) / 10);
    recordMetric('activationWasAlreadyDone', wasActive);
    recordMetric('extensionPath', ext.extensionPath);
    console.log(`[metric] activation ${ms.toFixed(1)} ms${wasActive ? ' (already active)' : ''}`);
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
