import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { putCosObject } from './remote';

/**
 * Compare with Bucket… in a real extension host: a folder of one demo bucket against a prefix of another
 * (the other side given as the quick picks' answers), the report document, badges on both sides' nodes,
 * the Results view and the CSV export.
 */

const ctx = e2eContext();

interface AuditOutcome {
  report: string;
  summary: { counts: Record<'match' | 'differ' | 'only-local' | 'only-remote' | 'no-crc' | 'error' | 'total', number> };
}

function api(): BucketIntegrityApi {
  return vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
}

function treeUri(profile: string, bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}/${key}` });
}

describe('Compare with Bucket…', function () {
  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('finds what differs and what is missing on each side, with a report, badges on both sides, a Results run and an export', async () => {
    const profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!;
    const [one, two] = profile.buckets;
    const emu = ctx.emulator!;
    await putCosObject(emu, one, 'audit-src/same.txt', 'the same bytes');
    await putCosObject(emu, two, 'audit-copy/same.txt', 'the same bytes');
    await putCosObject(emu, one, 'audit-src/changed.txt', 'version one');
    await putCosObject(emu, two, 'audit-copy/changed.txt', 'version two');
    await putCosObject(emu, one, 'audit-src/only-here.txt', 'not copied');
    await putCosObject(emu, two, 'audit-copy/only-there.txt', 'extra');

    const outcome = await vscode.commands.executeCommand<AuditOutcome | undefined>('bucketIntegrity.compareWithBucket', {
      first: { profile: profile.name, bucket: one, prefix: 'audit-src/' },
      other: { profile: profile.name, bucket: two, prefix: 'audit-copy/' },
      restart: true,
    });
    assert.ok(outcome, 'the command returned nothing');
    assert.deepEqual(
      { ...outcome.summary.counts },
      { match: 1, differ: 1, 'only-local': 1, 'only-remote': 1, 'no-crc': 0, error: 0, total: 4 },
    );
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'bucket-integrity-audit');
    const text = doc!.getText();
    assert.match(text, /Bucket against bucket/);
    assert.match(text, /^\* changed\.txt {2}\(CRC-64 differs\)$/m);
    assert.match(text, /^\+ only-here\.txt {2}\(missing in the second bucket\)$/m);
    assert.match(text, /^- only-there\.txt {2}\(missing in the first bucket\)$/m);

    const badge = async (bucket: string, key: string) => (await api().decorationFor(treeUri(profile.name, bucket, key)))?.badge;
    assert.equal(await badge(one, 'audit-src/changed.txt'), await badge(two, 'audit-copy/changed.txt'));
    assert.ok(await badge(one, 'audit-src/changed.txt'), 'no badge on the first side');
    assert.ok(await badge(two, 'audit-copy/only-there.txt'), 'no badge on the second side');
    assert.ok(await badge(one, 'audit-src/only-here.txt'), 'no badge on the first side of a pair only there');
    assert.notEqual(await badge(one, 'audit-src/changed.txt'), await badge(one, 'audit-src/same.txt'));

    const run = api().results().find((r) => r.title.includes('audit-src/') && r.title.includes('audit-copy/'));
    assert.ok(run, 'no run in the Results view');

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bi-audit-export-')), 'audit.csv');
    const written = await vscode.commands.executeCommand<string | undefined>('bucketIntegrity.exportAuditReport', { file });
    assert.equal(written, file);
    const csv = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'status,path,size_first,size_second,crc64_first,crc64_second,detail');
    assert.deepEqual(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(' ')), ['differ changed.txt', 'only-local only-here.txt', 'only-remote only-there.txt']);
  });

  it('refuses two prefixes that overlap in one bucket', async () => {
    const profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!;
    const [one] = profile.buckets;
    const outcome = await vscode.commands.executeCommand<AuditOutcome | undefined>('bucketIntegrity.compareWithBucket', {
      first: { profile: profile.name, bucket: one, prefix: 'audit-src/' },
      other: { profile: profile.name, bucket: one, prefix: '' },
    });
    assert.equal(outcome, undefined);
  });
});
