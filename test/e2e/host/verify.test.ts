import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { e2eContext, requireDemo } from './context';

/**
 * Verify Prefix inside a real extension host, against the emulator's demo buckets: the command as the
 * tree menu runs it (the questions answered through its arguments), the report document it opens, the
 * CRC record that makes a second run HEAD-free, and the CSV export.
 */

interface VerifyOutcome {
  remote: string;
  localDir?: string;
  report: string;
  summary: {
    counts: Record<'match' | 'differ' | 'only-local' | 'only-remote' | 'no-crc' | 'error' | 'total', number>;
    requests: { list: number; head: number };
  };
}

const ctx = e2eContext();
const REPORT_SCHEME = 'bucket-integrity-verify';

function verify(arg: Record<string, unknown>): Thenable<VerifyOutcome | undefined> {
  return vscode.commands.executeCommand<VerifyOutcome | undefined>('bucketIntegrity.verifyPrefix', {
    whenNoRecord: 'head',
    restart: true,
    ...arg,
  });
}

interface ImportOutcome {
  manifestKey: string;
  rows: number;
  failed: { key: string; message: string }[];
}

describe('Enable and Import CRC Inventory', function () {
  before(function () {
    requireDemo(ctx);
  });

  async function enableImportVerify(provider: 'cos' | 'oss'): Promise<void> {
    const profile = ctx.demo!.profiles.find((p) => p.provider === provider)!;
    const mapped = ctx.demo!.objects.find((o) => o.profile === profile.name)!;
    const bucket = mapped.bucket;
    const enabled = await vscode.commands.executeCommand<{ ranOnce: boolean; location: { inventoryId: string } } | undefined>(
      'bucketIntegrity.enableCrcInventory',
      {
        profile: profile.name,
        bucket,
        // Another bucket of the profile when it has one (COS), else the bucket itself under the report prefix.
        destinationBucket: profile.buckets.find((b) => b !== bucket) ?? bucket,
        reportPrefix: 'inventory',
        runNow: true,
      },
    );
    assert.ok(enabled, 'Enable CRC Inventory returned nothing');
    // COS ran the one-time inventory itself; OSS reports on its schedule, which the emulator runs on request.
    assert.equal(enabled.ranOnce, provider === 'cos');
    if (provider === 'oss') {
      const run = await fetch(
        `${ctx.emulator!.endpoint}/_emulator/inventory-run?dialect=oss&bucket=${bucket}&id=${enabled.location.inventoryId}`,
        { method: 'POST' },
      );
      assert.equal(run.status, 200);
    }
    const imported = await vscode.commands.executeCommand<ImportOutcome | undefined>('bucketIntegrity.importInventory', {
      profile: profile.name,
      bucket,
    });
    assert.ok(imported, 'Import CRC Inventory returned nothing');
    assert.deepEqual(imported.failed, []);
    assert.ok(imported.rows > 0);
    // Everything below the mapped prefix is now known: verifying it against the record needs no HEAD.
    const prefix = mapped.key.slice(0, mapped.key.indexOf('/') + 1);
    const outcome = await verify({ profile: profile.name, bucket, prefix, againstRecord: true, whenNoRecord: 'cancel' });
    assert.ok(outcome);
    assert.ok(outcome.summary.counts.total > 0);
    assert.equal(outcome.summary.requests.head, 0);
  }

  it('COS: configures the inventory into another bucket, runs it once, imports it, and verifies without a HEAD', () =>
    enableImportVerify('cos'));

  it('OSS: configures the inventory, imports its report, and verifies without a HEAD', () => enableImportVerify('oss'));
});

describe('Verify Prefix', function () {
  before(function () {
    requireDemo(ctx);
  });

  it('verifies the big demo folder against the CRC record, opens a report, then re-verifies without a HEAD', async () => {
    const big = ctx.demo!.bigFolder;
    const first = await verify({ profile: big.profile, bucket: big.bucket, prefix: big.prefix, againstRecord: true });
    assert.ok(first, 'the command returned nothing');
    assert.equal(first.localDir, undefined);
    assert.equal(first.summary.counts.total, big.count);
    assert.equal(first.summary.counts.match + first.summary.counts['no-crc'], big.count);
    assert.ok(first.summary.requests.head <= big.count);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === REPORT_SCHEME && d.getText().includes(first.remote));
    assert.ok(doc, 'no verify report document is open');
    assert.match(doc.getText(), /^Against: +the CRC record$/m);
    assert.match(doc.getText(), new RegExp(`^ *${first.summary.counts.match} = match$`, 'm'));

    const second = await verify({ profile: big.profile, bucket: big.bucket, prefix: big.prefix, againstRecord: true });
    assert.ok(second);
    assert.equal(second.summary.counts.total, big.count);
    assert.equal(second.summary.requests.head, 0, 'the record should have spared every HEAD');

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bi-verify-e2e-')), 'report.csv');
    const written = await vscode.commands.executeCommand<string | undefined>('bucketIntegrity.exportVerifyReport', { file });
    assert.equal(written, file);
    assert.match(fs.readFileSync(file, 'utf8'), /^status,key,size,/);
  });

  it('verifies a mapped prefix against its workspace folder and reports the demo mismatch', async () => {
    const mismatch = ctx.demo!.objects.find((o) => o.expected === 'differ' && o.localPath);
    assert.ok(mismatch, 'the demo has no mismatching object');
    const prefix = mismatch.key.slice(0, mismatch.key.indexOf('/') + 1);
    const outcome = await verify({ profile: mismatch.profile, bucket: mismatch.bucket, prefix });
    assert.ok(outcome);
    assert.ok(outcome.localDir, 'the mapping was not used');
    assert.equal(fs.realpathSync(outcome.localDir), fs.realpathSync(path.join(ctx.workspace, prefix.replace(/\/$/, ''))));
    assert.ok(outcome.summary.counts.differ >= 1);
    assert.match(outcome.report, new RegExp(`^\\* ${mismatch.key.slice(prefix.length).replace(/\./g, '\\.')}\\b`, 'm'));
  });
});
