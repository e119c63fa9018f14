import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { e2eContext, EXTENSION_ID } from './context';
import { headObject } from './remote';

/**
 * The Buckets view's commands, badges' source and Compare with Remote inside a real extension host,
 * against the emulator seeded with the demo data (match, mismatch and no-CRC objects).
 */

interface FileResult {
  relativePath: string;
  key: string;
  status: string;
  localCrc64?: string;
  remoteCrc64?: string;
  remoteCrcSource?: string;
}
interface CompareOutcome {
  results: FileResult[];
  counts: Record<string, number>;
  report: string;
  allMatch: boolean;
}

const ctx = e2eContext();

before(async () => {
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
});

describe('Buckets view and Compare with Remote', function () {
  before(function () {
    if (!ctx.emulator || !ctx.demo) this.skip();
  });

  it('contributes the view, and opening it lists without errors', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.ok(pkg.contributes.views.bucketIntegrity.some((v: { id: string }) => v.id === 'bucketIntegrity.buckets'));
    await vscode.commands.executeCommand('workbench.view.extension.bucketIntegrity');
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
  });

  for (const folder of ['site', 'data']) {
    it(`gives every demo object in ${folder}/ its expected status`, async () => {
      const demo = ctx.demo!;
      const outcome = await vscode.commands.executeCommand<CompareOutcome>(
        'bucketIntegrity.compareWithRemote',
        vscode.Uri.file(path.join(ctx.workspace, folder)),
      );
      assert.ok(outcome, 'the command returned nothing');
      const expected = demo.objects.filter((o) => o.localPath?.startsWith(`${folder}/`));
      assert.ok(expected.length > 0);
      for (const o of expected) {
        const r = outcome.results.find((x) => x.key === o.key);
        assert.ok(r, `no result for ${o.key}`);
        assert.equal(r.status, o.expected, `${o.key}: ${JSON.stringify(r)}`);
      }
      assert.match(outcome.report, /^Bucket Integrity — Compare with Remote/);
      assert.equal(outcome.allMatch, expected.every((o) => o.expected === 'match'));
    });
  }

  it('Compare with Local on an object finds the mapped file', async () => {
    const about = ctx.demo!.objects.find((o) => o.expected === 'mismatch')!;
    const outcome = await vscode.commands.executeCommand<CompareOutcome>('bucketIntegrity.compareWithLocal', {
      profile: about.profile,
      bucket: about.bucket,
      key: about.key,
    });
    assert.equal(outcome?.results.length, 1);
    assert.equal(outcome!.results[0].status, 'mismatch');
    assert.notEqual(outcome!.results[0].localCrc64, outcome!.results[0].remoteCrc64);
  });

  it('Copy CRC-64 copies the CRC the service stored', async () => {
    const match = ctx.demo!.objects.find((o) => o.expected === 'match' && o.profile === ctx.demo!.profiles[0].name)!;
    const crc = await vscode.commands.executeCommand<string>('bucketIntegrity.copyCrc64', { profile: match.profile, bucket: match.bucket, key: match.key });
    const head = await headObject(ctx.emulator!, 'cos', match.bucket, match.key);
    assert.equal(crc, head?.crc64);
    assert.equal(await vscode.env.clipboard.readText(), head?.crc64);
  });

  it('Compute Remote CRC-64 (download) verifies an object stored without a CRC', async () => {
    const legacy = ctx.demo!.objects.find((o) => o.expected === 'no-crc')!;
    const local = vscode.Uri.file(path.join(ctx.workspace, legacy.localPath!));
    const localCrc = (await vscode.commands.executeCommand<{ files: { crc64: string }[] }>('bucketIntegrity.computeCrc64', local))!.files[0].crc64;
    const outcome = await vscode.commands.executeCommand<{ crc64: string; serviceCrc64?: string; status?: string }>('bucketIntegrity.computeRemoteCrc', {
      profile: legacy.profile,
      bucket: legacy.bucket,
      key: legacy.key,
    });
    assert.equal(outcome?.crc64, localCrc);
    assert.equal(outcome?.serviceCrc64, undefined);
    assert.equal(outcome?.status, 'match');
    // Later comparisons use the computed value for that object.
    const again = await vscode.commands.executeCommand<CompareOutcome>('bucketIntegrity.compareWithRemote', local);
    assert.equal(again?.results[0].status, 'match');
    assert.equal(again?.results[0].remoteCrcSource, 'download');
  });
});
