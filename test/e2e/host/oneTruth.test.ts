import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';

/**
 * One truth on screen: one store of results per (object, local file), shown the same way in the Buckets
 * view, the Explorer, the tree's tooltips and the reports; a comparison with the local file is never
 * replaced by a look at the object alone.
 */

const ctx = e2eContext();

function treeUri(profile: string, bucket: string, key = ''): vscode.Uri {
  return vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}${key ? `/${key}` : '/'}` });
}

function api(): BucketIntegrityApi {
  return vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
}

async function letter(uri: vscode.Uri): Promise<string | undefined> {
  return (await api().decorationFor(uri))?.badge;
}

describe('One truth on screen', function () {
  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('a hover that learns an object has no CRC-64 turns its ? into N, and the tooltip has a status line', async () => {
    const profile = ctx.demo!.profiles[0];
    const archive = profile.buckets.find((b) => b.includes('archive'))!;
    const uri = treeUri(profile.name, archive, 'site-2025/banner.txt');
    assert.equal(await letter(uri), '?');
    const tooltip = await api().treeTooltipFor(uri);
    assert.ok(tooltip, 'the tree did not list the object');
    assert.match(tooltip, /^CRC-64: none/m);
    assert.match(tooltip, /^Status: No CRC-64 stored with the object \(the object was stored without a CRC-64\)$/m);
    assert.equal(await letter(uri), 'N');
  });

  it('Verify against the record leaves a comparison with the local file in place, in the tree, the Explorer and the tooltip', async () => {
    const about = ctx.demo!.objects.find((o) => o.expected === 'differ' && o.key === 'site/about.html')!;
    const remote = treeUri(about.profile, about.bucket, about.key);
    const local = vscode.Uri.file(path.join(ctx.workspace, about.localPath!));
    await vscode.commands.executeCommand('bucketIntegrity.compareWithLocal', {
      profile: about.profile,
      bucket: about.bucket,
      key: about.key,
    });
    assert.equal(await letter(remote), 'X');
    assert.equal(await letter(local), 'X');
    const verified = await vscode.commands.executeCommand<{ summary: { counts: Record<string, number> } }>('bucketIntegrity.verifyPrefix', {
      profile: about.profile,
      bucket: about.bucket,
      prefix: 'site/',
      againstRecord: true,
      whenNoRecord: 'head',
      restart: true,
    });
    assert.ok(verified, 'Verify returned nothing');
    // Against the record the object itself is fine; against its file it is not, and that stays shown.
    assert.equal(await letter(remote), 'X');
    assert.equal(await letter(local), 'X');
    assert.match((await api().treeTooltipFor(remote)) ?? '', /^Status: CRC-64 MISMATCH/m);
  });

  it('a folder holding a mapped file never compared does not roll up to V', async () => {
    const folder = vscode.Uri.file(path.join(ctx.workspace, 'data'));
    const outcome = await vscode.commands.executeCommand<{ allMatch: boolean }>('bucketIntegrity.compareWithRemote', folder);
    assert.ok(outcome?.allMatch, 'the demo data folder should match');
    assert.equal(await letter(folder), 'V');
    const stray = path.join(folder.fsPath, 'never-compared.txt');
    fs.writeFileSync(stray, 'not compared yet\n');
    try {
      assert.equal(await letter(vscode.Uri.file(stray)), '?');
      const d = await api().decorationFor(folder);
      assert.equal(d?.badge, '?', d?.tooltip);
      assert.match(d?.tooltip ?? '', /below: \d+ match/);
    } finally {
      fs.rmSync(stray, { force: true });
    }
    assert.equal(await letter(folder), 'V');
  });

  it('the Compare with Local report is titled Compare with Local', async () => {
    const o = ctx.demo!.objects.find((x) => x.expected === 'match' && x.key.startsWith('site/'))!;
    const outcome = await vscode.commands.executeCommand<{ report: string }>('bucketIntegrity.compareWithLocal', {
      profile: o.profile,
      bucket: o.bucket,
      key: 'site/',
    });
    assert.match(outcome?.report ?? '', /^Bucket Integrity — Compare with Local\n/);
    const fromExplorer = await vscode.commands.executeCommand<{ report: string }>(
      'bucketIntegrity.compareWithRemote',
      vscode.Uri.file(path.join(ctx.workspace, 'site')),
    );
    assert.match(fromExplorer?.report ?? '', /^Bucket Integrity — Compare with Remote\n/);
  });
});
