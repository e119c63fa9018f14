import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi, ResultsSnapshot } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';

/**
 * The Results view in a real extension host: a compare and a verify of the demo show up as runs grouped
 * by verdict, each row opening Open Changes (both sides) or the object; Re-run, Filter by Outcome and
 * Export act on them.
 */

const ctx = e2eContext();

interface CompareOutcome {
  results: { relativePath: string; key: string; localPath: string; status: string }[];
  counts: Record<string, number>;
  report: string;
}

function api(): BucketIntegrityApi {
  return vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
}

function rowsOf(run: ResultsSnapshot): ResultsSnapshot['groups'][number]['rows'] {
  return run.groups.flatMap((g) => g.rows);
}

describe('Results view', function () {
  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await vscode.commands.executeCommand('bucketIntegrity.filterResults', {
      outcomes: ['match', 'differ', 'only-local', 'only-remote', 'no-crc', 'error'],
    });
    await vscode.commands.executeCommand('bucketIntegrity.clearResults');
  });

  it('a compare of the demo site is a run grouped by verdict, each row opening Open Changes or the object', async () => {
    const site = vscode.Uri.file(path.join(ctx.workspace, 'site'));
    const outcome = await vscode.commands.executeCommand<CompareOutcome>('bucketIntegrity.compareWithRemote', site);
    assert.ok(outcome && outcome.results.length > 0, 'the compare returned nothing');
    const [run] = api().results();
    assert.ok(run, 'the Results view shows no run');
    assert.equal(run.kind, 'compare');
    assert.match(run.title, /site/);
    // One group per verdict the run found, with as many rows as results of that verdict.
    const found = new Map<string, number>();
    for (const r of outcome.results) found.set(r.status, (found.get(r.status) ?? 0) + 1);
    assert.deepEqual(new Map(run.groups.map((g) => [g.status, g.rows.length])), found);
    // The demo's about.html differs from its object: the row diffs the two.
    const differ = run.groups.find((g) => g.status === 'differ');
    assert.ok(differ, `no "differ" group: ${JSON.stringify(run.groups.map((g) => g.status))}`);
    assert.match(differ.label, /^\* /);
    const about = differ.rows.find((r) => r.label.endsWith('about.html'));
    assert.ok(about, `about.html is not among ${JSON.stringify(differ.rows.map((r) => r.label))}`);
    assert.equal(about.command?.command, 'bucketIntegrity.openChanges');
    const arg = about.command!.arguments![0] as { key: string; localPath: string };
    const result = outcome.results.find((r) => r.relativePath === 'about.html')!;
    assert.equal(arg.key, result.key);
    assert.equal(arg.localPath, result.localPath);
    // And the row's command opens the diff of exactly that pair.
    const opened = await vscode.commands.executeCommand<{ remote: string; local: string }>(
      about.command!.command,
      ...about.command!.arguments!,
    );
    assert.ok(opened, 'Open Changes opened nothing');
    assert.equal(vscode.Uri.parse(opened.local).fsPath, result.localPath);
    assert.match(decodeURIComponent(opened.remote), new RegExp(`${result.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    // Every row with a local side on both ends opens changes; none of a compare opens a bare object unless it has no file.
    for (const group of run.groups) {
      for (const row of group.rows) {
        const expected =
          group.status === 'only-local'
            ? 'vscode.open'
            : group.status === 'only-remote'
              ? 'bucketIntegrity.openObject'
              : 'bucketIntegrity.openChanges';
        assert.equal(row.command?.command, expected, `${group.status} ${row.label}`);
      }
    }
  });

  it('a verify against the record is a run whose rows open the object', async () => {
    const about = ctx.demo!.objects.find((o) => o.key === 'site/about.html')!;
    const verified = await vscode.commands.executeCommand('bucketIntegrity.verifyPrefix', {
      profile: about.profile,
      bucket: about.bucket,
      prefix: 'site/',
      againstRecord: true,
      whenNoRecord: 'head',
      restart: true,
    });
    assert.ok(verified, 'Verify returned nothing');
    const [run, previous] = api().results();
    assert.equal(run.kind, 'verify');
    assert.equal(previous?.kind, 'compare');
    const rows = rowsOf(run);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.equal(row.command?.command, 'bucketIntegrity.openObject', row.label);
      assert.equal((row.command!.arguments![0] as { bucket: string }).bucket, about.bucket);
    }
    assert.ok(
      rows.some((r) => r.label === 'about.html'),
      JSON.stringify(rows.map((r) => r.label)),
    );
  });

  it("Filter by Outcome hides the other groups, Re-run adds a run, Export writes the run's report", async () => {
    const compare = api()
      .results()
      .find((r) => r.kind === 'compare')!;
    const shown = await vscode.commands.executeCommand<string[]>('bucketIntegrity.filterResults', { outcomes: ['differ'] });
    assert.deepEqual(shown, ['differ']);
    const filtered = api()
      .results()
      .find((r) => r.id === compare.id)!;
    assert.deepEqual(
      filtered.groups.map((g) => g.status),
      ['differ'],
    );
    await vscode.commands.executeCommand('bucketIntegrity.filterResults', {
      outcomes: ['match', 'differ', 'only-local', 'only-remote', 'no-crc', 'error'],
    });
    assert.deepEqual(
      api()
        .results()
        .find((r) => r.id === compare.id)!.groups,
      compare.groups,
    );

    const before = api().results().length;
    const again = await vscode.commands.executeCommand<CompareOutcome>('bucketIntegrity.rerunResults', { run: compare.id });
    assert.ok(again, 'Re-run returned nothing');
    const runs = api().results();
    assert.equal(runs.length, before + 1);
    assert.equal(runs[0].kind, 'compare');
    assert.equal(runs[0].title, compare.title);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'results-')), 'report.txt');
    const written = await vscode.commands.executeCommand<string>('bucketIntegrity.exportResults', { run: runs[0].id, file });
    assert.equal(written, file);
    assert.equal(fs.readFileSync(file, 'utf8'), again.report);

    // A compare also exports its results as CSV and JSON, in the columns and fields of verify's export.
    const csv = await vscode.commands.executeCommand<string>('bucketIntegrity.exportResults', {
      run: runs[0].id,
      file: file.replace(/\.txt$/, '.csv'),
    });
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'status,key,size,local_size,local_crc64,remote_crc64,previous_crc64,detail');
    assert.equal(lines.length - 1, again.results.length);
    const json = await vscode.commands.executeCommand<string>('bucketIntegrity.exportResults', {
      run: runs[0].id,
      file: file.replace(/\.txt$/, '.json'),
    });
    const exported = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      counts: Record<string, number>;
      results: Array<{ key: string; status: string }>;
    };
    assert.deepEqual(exported.counts, again.counts);
    assert.deepEqual(
      exported.results.map((r) => [r.key, r.status]),
      again.results.map((r) => [r.key, r.status]),
    );
  });

  it('a verified copy is a run whose row opens the copy', async () => {
    const index = ctx.demo!.objects.find((o) => o.key === 'site/index.html')!;
    const key = `results-${Date.now()}/index.html`;
    const copied = await vscode.commands.executeCommand<{ verified: boolean; targetCrc64?: string }>(
      'bucketIntegrity.copyObject',
      { profile: index.profile, bucket: index.bucket, key: index.key },
      { destination: { profile: index.profile, bucket: index.bucket, key }, overwrite: true },
    );
    try {
      assert.ok(copied, 'the copy returned nothing');
      const [run] = api().results();
      assert.equal(run.kind, 'copy');
      assert.deepEqual(
        run.groups.map((g) => g.status),
        [copied.verified ? 'match' : 'no-crc'],
      );
      const [row] = rowsOf(run);
      assert.equal(row.command?.command, 'bucketIntegrity.openObject');
      assert.deepEqual(row.command!.arguments![0], { profile: index.profile, bucket: index.bucket, key });
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'results-')), 'copy.txt');
      await vscode.commands.executeCommand('bucketIntegrity.exportResults', { run: run.id, file });
      const report = fs.readFileSync(file, 'utf8');
      assert.match(report, /^Bucket Integrity — Copy$/m);
      assert.ok(report.includes(`${copied.verified ? '=' : '?'} ${index.profile}:${index.bucket}/${key}`), report);
    } finally {
      await vscode.commands.executeCommand(
        'bucketIntegrity.deleteObjects',
        { profile: index.profile, bucket: index.bucket, key: key.slice(0, key.indexOf('/') + 1) },
        undefined,
        { confirm: false },
      );
    }
  });
});
