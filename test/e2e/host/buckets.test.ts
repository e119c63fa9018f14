import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
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

/** What each status must look like: the letter, the contributed colour and the tooltip's first words. */
const BADGES = {
  match: { letter: 'V', color: 'bucketIntegrity.badge.match', title: 'Bucket Integrity: CRC-64 matches' },
  differ: { letter: 'X', color: 'bucketIntegrity.badge.mismatch', title: 'Bucket Integrity: CRC-64 MISMATCH' },
  'no-crc': { letter: 'N', color: 'bucketIntegrity.badge.noCrc', title: 'Bucket Integrity: No CRC-64 stored with the object' },
  'not-compared': { letter: '?', color: 'bucketIntegrity.badge.notCompared', title: 'Bucket Integrity: Not compared yet' },
};

/** A node of the Buckets view, named as the tree names it (containers end with '/'). */
function treeUri(profile: string, bucket: string, key = ''): vscode.Uri {
  return vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}${key ? `/${key}` : '/'}` });
}

async function assertBadge(api: BucketIntegrityApi, uri: vscode.Uri, look: keyof typeof BADGES, tooltip?: RegExp): Promise<string> {
  const d = await api.decorationFor(uri);
  assert.ok(d, `no decoration for ${uri.toString()}`);
  const text = d.tooltip ?? '';
  assert.equal(d.badge, BADGES[look].letter, `${uri.toString()}: ${text}`);
  assert.ok(d.color instanceof vscode.ThemeColor);
  assert.equal(d.color.id, BADGES[look].color);
  assert.ok(text.startsWith(BADGES[look].title), `${uri.toString()}: ${text}`);
  if (tooltip) assert.match(text, tooltip);
  return text;
}

before(async () => {
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
});

describe('Buckets view and Compare with Remote', function () {
  before(function () {
    requireDemo(ctx);
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
      assert.equal(
        outcome.allMatch,
        expected.every((o) => o.expected === 'match'),
      );
    });
  }

  it('Compare with Local on an object finds the mapped file', async () => {
    const about = ctx.demo!.objects.find((o) => o.expected === 'differ')!;
    const outcome = await vscode.commands.executeCommand<CompareOutcome>('bucketIntegrity.compareWithLocal', {
      profile: about.profile,
      bucket: about.bucket,
      key: about.key,
    });
    assert.equal(outcome?.results.length, 1);
    assert.equal(outcome!.results[0].status, 'differ');
    assert.notEqual(outcome!.results[0].localCrc64, outcome!.results[0].remoteCrc64);
  });

  it('Copy CRC-64 copies the CRC the service stored', async () => {
    const match = ctx.demo!.objects.find((o) => o.expected === 'match' && o.profile === ctx.demo!.profiles[0].name)!;
    const crc = await vscode.commands.executeCommand<string>('bucketIntegrity.copyCrc64', {
      profile: match.profile,
      bucket: match.bucket,
      key: match.key,
    });
    const head = await headObject(ctx.emulator!, 'cos', match.bucket, match.key);
    assert.equal(crc, head?.crc64);
    assert.equal(await vscode.env.clipboard.readText(), head?.crc64);
  });

  // Before the download below, which turns the object without a CRC into a verified match.
  it('the decoration provider gives each demo object its badge, in the tree and the Explorer, and rolls folders up', async () => {
    const demo = ctx.demo!;
    const api = vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
    assert.equal(typeof api?.decorationFor, 'function', 'activate returned no decorationFor');
    await vscode.commands.executeCommand('bucketIntegrity.compareWithRemote', vscode.Uri.file(path.join(ctx.workspace, 'site')));
    const mismatch = demo.objects.find((o) => o.expected === 'differ')!;
    await vscode.commands.executeCommand('bucketIntegrity.compareWithLocal', {
      profile: mismatch.profile,
      bucket: mismatch.bucket,
      key: mismatch.key,
    });

    for (const look of ['match', 'differ', 'no-crc'] as const) {
      const o = demo.objects.find((x) => x.expected === look && x.localPath?.startsWith('site/'))!;
      const head = await headObject(ctx.emulator!, 'cos', o.bucket, o.key);
      // The object in the tree and the mapped file in the Explorer show the same result.
      for (const uri of [treeUri(o.profile, o.bucket, o.key), vscode.Uri.file(path.join(ctx.workspace, o.localPath!))]) {
        const tooltip = await assertBadge(api, uri, look);
        if (look === 'no-crc') {
          assert.equal(head?.crc64, undefined);
          assert.match(tooltip, /stored without a CRC-64/);
          continue;
        }
        assert.ok(tooltip.includes(`remote CRC-64 ${head!.crc64}`), `${uri.toString()}: ${tooltip}`);
        const local = /local CRC-64 (\d+)/.exec(tooltip)?.[1];
        assert.ok(local, `${uri.toString()}: ${tooltip}`);
        assert.equal(local === head!.crc64, look === 'match');
      }
    }

    // Folders show the worst status below them and the counts, in the tree and in the Explorer.
    const { profile, bucket } = mismatch;
    const below = /below: 1 mismatch, 1 without CRC-64, 2 matches$/;
    await assertBadge(api, treeUri(profile, bucket, 'site/'), 'differ', below);
    await assertBadge(api, vscode.Uri.file(path.join(ctx.workspace, 'site')), 'differ', below);
    await assertBadge(api, treeUri(profile, bucket, 'site/legacy/'), 'no-crc', /below: 1 without CRC-64$/);
    await assertBadge(api, treeUri(profile, bucket), 'differ');
    // An object not compared yet shows that; a folder with nothing compared below it shows nothing.
    await assertBadge(api, treeUri(profile, bucket, 'logs/README.txt'), 'not-compared');
    assert.equal(await api.decorationFor(treeUri(profile, bucket, 'logs/')), undefined);
  });

  it('Compute Remote CRC-64 (download) verifies an object stored without a CRC', async () => {
    const legacy = ctx.demo!.objects.find((o) => o.expected === 'no-crc')!;
    const local = vscode.Uri.file(path.join(ctx.workspace, legacy.localPath!));
    const localCrc = (await vscode.commands.executeCommand<{ files: { crc64: string }[] }>('bucketIntegrity.computeCrc64', local))!.files[0]
      .crc64;
    const outcome = await vscode.commands.executeCommand<{ crc64: string; serviceCrc64?: string; status?: string }>(
      'bucketIntegrity.computeRemoteCrc',
      {
        profile: legacy.profile,
        bucket: legacy.bucket,
        key: legacy.key,
      },
    );
    assert.equal(outcome?.crc64, localCrc);
    assert.equal(outcome?.serviceCrc64, undefined);
    assert.equal(outcome?.status, 'match');
    // Later comparisons use the computed value for that object.
    const again = await vscode.commands.executeCommand<CompareOutcome>('bucketIntegrity.compareWithRemote', local);
    assert.equal(again?.results[0].status, 'match');
    assert.equal(again?.results[0].remoteCrcSource, 'download');
  });
});
