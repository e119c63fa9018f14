import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { putObject } from './remote';

/**
 * Archived objects in a real extension host against the emulator, on COS and on OSS: the tree shows the
 * storage class and the restore state, Restore… restores and tracks until the object is readable, and it
 * then opens. The objects are written by the vendors' SDKs (COS ARCHIVE, OSS ColdArchive); the
 * emulator's restore takes its default 2 s.
 */

const ctx = e2eContext();
const BODY = 'an archived report\n'.repeat(20);
const ARCHIVE = { cos: 'ARCHIVE', oss: 'ColdArchive' } as const;
const COOL = { cos: 'STANDARD_IA', oss: 'IA' } as const;

function treeUri(profile: string, bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}/${key}` });
}

for (const provider of ['cos', 'oss'] as const) {
  describe(`Archived objects (${provider.toUpperCase()}): storage class, restore state and Restore…`, function () {
    this.timeout(60_000);
    let api: BucketIntegrityApi;
    before(async function () {
      requireDemo(ctx);
      api =
        (await vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.activate()) ??
        vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
      await vscode.workspace.getConfiguration('bucketIntegrity').update('restore.pollSeconds', 0.2, vscode.ConfigurationTarget.Global);
    });
    after(async () => {
      await vscode.workspace
        .getConfiguration('bucketIntegrity')
        .update('restore.pollSeconds', undefined, vscode.ConfigurationTarget.Global);
    });

    const place = () => {
      const p = ctx.demo!.profiles.find((x) => x.provider === provider)!;
      return { profile: p.name, bucket: p.buckets[0] };
    };

    it(`shows ${ARCHIVE[provider]} and "not restored" in the hover, restores with Restore…, then opens the object`, async () => {
      const { profile, bucket } = place();
      const key = 'archive-e2e/cold.txt';
      await putObject(ctx.emulator!, provider, bucket, key, BODY, { [`x-${provider}-storage-class`]: ARCHIVE[provider] });
      await vscode.commands.executeCommand('bucketIntegrity.refresh');

      const before = (await api.treeTooltipFor(treeUri(profile, bucket, key))) ?? '';
      assert.match(before, new RegExp(`^Storage class: ${ARCHIVE[provider]}$`, 'm'));
      assert.match(before, /^Restore: not restored — Restore… to read its bytes/m);

      const result = await vscode.commands.executeCommand<{ restored: boolean; expiry?: string }>(
        'bucketIntegrity.restoreObject',
        { profile, bucket, key },
        { tier: 'Expedited', days: 1 },
      );
      assert.equal(result?.restored, true, JSON.stringify(result));
      assert.ok(result?.expiry && Date.parse(result.expiry) > Date.now(), `expiry ${result?.expiry}`);

      const after = (await api.treeTooltipFor(treeUri(profile, bucket, key))) ?? '';
      assert.match(after, /^Restore: restored, readable until \d{4}-/m);

      await vscode.commands.executeCommand('bucketIntegrity.openObject', { profile, bucket, key });
      const uri = vscode.Uri.from({ scheme: provider, authority: profile, path: `/${bucket}/${key}` });
      const until = Date.now() + 10_000;
      let text: string | undefined;
      while (text === undefined && Date.now() < until) {
        text = vscode.window.visibleTextEditors.find((e) => e.document.uri.path === uri.path)?.document.getText();
        if (text === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(text, BODY);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('Restore… of an object that is not archived says it needs none', async () => {
      const { profile, bucket } = place();
      const key = 'archive-e2e/warm.txt';
      await putObject(ctx.emulator!, provider, bucket, key, BODY, { [`x-${provider}-storage-class`]: COOL[provider] });
      const result = await vscode.commands.executeCommand<{ restored: boolean; notArchived?: boolean }>(
        'bucketIntegrity.restoreObject',
        { profile, bucket, key },
        { tier: 'Standard', days: 1 },
      );
      assert.deepEqual(result, { restored: false, notArchived: true });
    });
  });
}
