import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { headObject, listCosKeys, putCosObject } from './remote';

/**
 * Compare with Bucket… in a real extension host: a folder of one demo bucket against a prefix of another
 * (the other side given as the quick picks' answers), the report document, badges on both sides' nodes,
 * the Results view and the CSV export; with both buckets' CRC inventory reports read as they stream.
 */

const ctx = e2eContext();

interface AuditOutcome {
  report: string;
  target: { basis: string };
  summary: {
    counts: Record<'match' | 'differ' | 'only-local' | 'only-remote' | 'no-crc' | 'error' | 'total', number>;
    requests: Record<'first' | 'second', { list: number; head: number; get: number }>;
  };
}

function api(): BucketIntegrityApi {
  return vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
}

/** Compare with Bucket… of two prefixes of the demo COS profile's two buckets, started over. */
function compareBuckets(
  profile: string,
  one: string,
  prefixOne: string,
  two: string,
  prefixTwo: string,
): Thenable<AuditOutcome | undefined> {
  return vscode.commands.executeCommand<AuditOutcome | undefined>('bucketIntegrity.compareWithBucket', {
    first: { profile, bucket: one, prefix: prefixOne },
    other: { profile, bucket: two, prefix: prefixTwo },
    restart: true,
    // New prefixes that no report and nothing in the record knows: every object is HEADed, as asked.
    whenNoRecord: 'head',
  });
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

    const outcome = await compareBuckets(profile.name, one, 'audit-src/', two, 'audit-copy/');
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

    const run = api()
      .results()
      .find((r) => r.title.includes('audit-src/') && r.title.includes('audit-copy/'));
    assert.ok(run, 'no run in the Results view');

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bi-audit-export-')), 'audit.csv');
    const written = await vscode.commands.executeCommand<string | undefined>('bucketIntegrity.exportAuditReport', { file });
    assert.equal(written, file);
    const csv = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'status,path,size_first,size_second,crc64_first,crc64_second,detail');
    assert.deepEqual(
      csv.slice(1).map((l) => l.split(',').slice(0, 2).join(' ')),
      ['differ changed.txt', 'only-local only-here.txt', 'only-remote only-there.txt'],
    );
  });

  it('Re-run in the Results view runs the same two places again from the data the run stores', async () => {
    const profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!;
    const [one, two] = profile.buckets;
    const emu = ctx.emulator!;
    await putCosObject(emu, one, 'audit-again/a.txt', 'first bytes');
    await putCosObject(emu, two, 'audit-again/a.txt', 'first bytes');
    const first = await compareBuckets(profile.name, one, 'audit-again/', two, 'audit-again/');
    assert.equal(first?.summary.counts.match, 1);
    const [run] = api().results();
    assert.equal(run.kind, 'audit');
    // Changed between the runs: the re-run reads the buckets again, it does not repeat the old answer.
    await putCosObject(emu, two, 'audit-again/a.txt', 'other bytes');
    const before = api().results().length;
    const again = await vscode.commands.executeCommand<AuditOutcome | undefined>('bucketIntegrity.rerunResults', { run: run.id });
    assert.ok(again, 'Re-run returned nothing');
    assert.deepEqual(
      { ...again.summary.counts },
      { match: 0, differ: 1, 'only-local': 0, 'only-remote': 0, 'no-crc': 0, error: 0, total: 1 },
    );
    const runs = api().results();
    assert.equal(runs.length, Math.min(before + 1, 20));
    assert.equal(runs[0].kind, 'audit');
    assert.equal(runs[0].title, run.title);
  });

  it('asks before a HEAD per object when no report and nothing in the record knows a side, and does nothing when told no', async () => {
    const profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!;
    const [one, two] = profile.buckets;
    const emu = ctx.emulator!;
    await putCosObject(emu, one, 'audit-unknown/a.txt', 'bytes');
    await putCosObject(emu, two, 'audit-unknown/a.txt', 'bytes');
    const before = api().results().length;
    const outcome = await vscode.commands.executeCommand<AuditOutcome | undefined>('bucketIntegrity.compareWithBucket', {
      first: { profile: profile.name, bucket: one, prefix: 'audit-unknown/' },
      other: { profile: profile.name, bucket: two, prefix: 'audit-unknown/' },
      whenNoRecord: 'cancel',
    });
    assert.equal(outcome, undefined);
    assert.equal(api().results().length, before, 'a cancelled compare added a run');
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

  it('Copy To… of a folder ends with the audit; Move… deletes only what the audit proved', async () => {
    const profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!;
    const [one, two] = profile.buckets;
    const emu = ctx.emulator!;
    for (const name of ['a.txt', 'b/c.txt', 'd.txt']) await putCosObject(emu, one, `fold-src/${name}`, `bytes of ${name}`);
    // Already in the destination, not in the source: the audit shows it ("-"), the move is not about it.
    await putCosObject(emu, two, 'fold-dst/extra.txt', 'extra');
    const folder = vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile.name}/${one}/fold-src/` });

    interface FolderOutcome {
      copied: number;
      counts: Record<string, number>;
      deleted: number;
      kept: unknown[];
      report: string;
    }
    const copied = await vscode.commands.executeCommand<FolderOutcome>('bucketIntegrity.copyObject', folder, {
      destination: { profile: profile.name, bucket: two, key: 'fold-dst/' },
    });
    assert.equal(copied.copied, 3);
    assert.equal(copied.counts.match, 3);
    assert.equal(copied.counts['only-remote'], 1);
    assert.equal(copied.deleted, 0);
    assert.match(copied.report, /^- extra\.txt/m);
    assert.deepEqual((await listCosKeys(emu, one, 'fold-src/')).sort(), ['fold-src/a.txt', 'fold-src/b/c.txt', 'fold-src/d.txt']);

    // A move: two objects and one stored without a CRC-64, whose copy the audit cannot prove ("?").
    for (const name of ['x.txt', 'y.txt']) await putCosObject(emu, one, `fold-mv/${name}`, `bytes of ${name}`);
    const legacy = await fetch(`${emu.endpoint}/_emulator/legacy-object?dialect=cos&bucket=${one}&key=fold-mv/legacy.bin`, {
      method: 'POST',
      body: 'stored before CRCs',
    });
    assert.equal(legacy.status, 200);
    const source = vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile.name}/${one}/fold-mv/` });
    const moved = await vscode.commands.executeCommand<FolderOutcome>('bucketIntegrity.moveObject', source, {
      destination: { profile: profile.name, bucket: two, key: 'fold-moved/' },
    });
    assert.equal(moved.counts.match, 2);
    assert.equal(moved.counts['no-crc'], 1);
    assert.equal(moved.deleted, 2);
    assert.deepEqual(moved.kept, [{ key: 'fold-mv/legacy.bin', why: 'the audit did not prove its copy' }]);
    assert.deepEqual(await listCosKeys(emu, one, 'fold-mv/'), ['fold-mv/legacy.bin']);
    for (const name of ['x.txt', 'y.txt', 'legacy.bin'])
      assert.ok(await headObject(emu, 'cos', two, `fold-moved/${name}`), `fold-moved/${name} is missing`);
  });

  it("reads each bucket's CRC inventory report as it streams: only what changed since the reports is HEADed", async () => {
    const profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!;
    const [one, two] = profile.buckets;
    const emu = ctx.emulator!;
    for (const name of ['a.txt', 'b/c.txt', 'd.txt']) {
      await putCosObject(emu, one, `inv-src/${name}`, `bytes of ${name}`);
      await putCosObject(emu, two, `inv-copy/${name}`, name === 'd.txt' ? 'BYTES of d.txt' : `bytes of ${name}`);
    }
    // Each bucket's CRC inventory, written into the other bucket and run once now.
    for (const [bucket, destination] of [
      [one, two],
      [two, one],
    ]) {
      const enabled = await vscode.commands.executeCommand<{ ranOnce: boolean } | undefined>('bucketIntegrity.enableCrcInventory', {
        profile: profile.name,
        bucket,
        destinationBucket: destination,
        reportPrefix: `inventory-of-${bucket}`,
        runNow: true,
      });
      assert.equal(enabled?.ranOnce, true);
    }
    // Copied after the reports were written: the listings show them, the reports do not.
    await putCosObject(emu, one, 'inv-src/late.txt', 'late bytes');
    await putCosObject(emu, two, 'inv-copy/late.txt', 'late bytes');

    const outcome = await compareBuckets(profile.name, one, 'inv-src/', two, 'inv-copy/');
    assert.ok(outcome, 'the command returned nothing');
    assert.deepEqual(
      { ...outcome.summary.counts },
      { match: 3, differ: 1, 'only-local': 0, 'only-remote': 0, 'no-crc': 0, error: 0, total: 4 },
    );
    assert.match(outcome.target.basis, /^both inventory reports as they were read/);
    assert.match(outcome.report, /^\* d\.txt {2}\(CRC-64 differs\)$/m);
    // Nothing was imported first, and of each side only the late object was HEADed.
    assert.equal(outcome.summary.requests.first.head, 1);
    assert.equal(outcome.summary.requests.second.head, 1);
  });
});
