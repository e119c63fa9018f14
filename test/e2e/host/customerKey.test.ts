import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { declareTestSecret, e2eContext, EXTENSION_ID, requireDemo } from './context';
import { putCosObject } from './remote';

/**
 * Set Customer Key (SSE-C) in a real extension host against the emulator. An object written by the vendor's
 * SDK with a customer key cannot be checked without it: the hover and Verify say "set it to check". The
 * command keeps the key in the editor's secret storage; then the same object is HEADed with the key, its
 * hover names SSE-C and Verify finds it matching the local file. The key is in no settings file and in no
 * log line (the runner's secrets sweep looks for it in every other file of the run too).
 */

const ctx = e2eContext();
const BODY = 'a report only its owner can read\n'.repeat(30);
const KEY = randomBytes(32).toString('base64');
const PREFIX = 'sse-c-e2e/';

function treeUri(profile: string, bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}/${key}` });
}

function sseCHeaders(key: string): Record<string, string> {
  return {
    'x-cos-server-side-encryption-customer-algorithm': 'AES256',
    'x-cos-server-side-encryption-customer-key': key,
    'x-cos-server-side-encryption-customer-key-MD5': createHash('md5').update(Buffer.from(key, 'base64')).digest('base64'),
  };
}

/** Every file below `dir` (the window's logs), with its text. */
function filesBelow(dir: string): Array<{ file: string; text: string }> {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return filesBelow(p);
    return e.isFile() ? [{ file: p, text: fs.readFileSync(p, 'utf8') }] : [];
  });
}

interface VerifyOutcome {
  summary: { counts: Record<'match' | 'differ' | 'error' | 'total', number> };
}

describe('Set Customer Key (SSE-C)', function () {
  this.timeout(60_000);
  let api: BucketIntegrityApi;
  let profile: string;
  let bucket: string;
  let localDir: string;

  before(async function () {
    requireDemo(ctx);
    declareTestSecret('SSE-C customer key (customerKey.test)', KEY);
    api =
      (await vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.activate()) ??
      vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
    const demo = ctx.demo!;
    profile = demo.profiles.find((p) => p.provider === 'cos')!.name;
    bucket = demo.objects.find((o) => o.profile === profile)!.bucket;
    localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-ssec-e2e-'));
    fs.writeFileSync(path.join(localDir, 'owner.txt'), BODY);
    await putCosObject(ctx.emulator!, bucket, `${PREFIX}owner.txt`, BODY, sseCHeaders(KEY));
  });

  after(async () => {
    // Later tests write with this profile: it must not encrypt their objects.
    await vscode.commands.executeCommand('bucketIntegrity.setCustomerKey', profile, '');
    if (localDir) fs.rmSync(localDir, { recursive: true, force: true });
  });

  const verify = () =>
    vscode.commands.executeCommand<VerifyOutcome | undefined>('bucketIntegrity.verifyPrefix', {
      profile,
      bucket,
      prefix: PREFIX,
      localDir,
      whenNoRecord: 'head',
      restart: true,
    });

  it('without the key: "set it to check"; with the key set by the command: SSE-C, and Verify matches', async () => {
    const uri = treeUri(profile, bucket, `${PREFIX}owner.txt`);
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
    const before = (await api.treeTooltipFor(uri)) ?? '';
    assert.match(before, /encrypted with a customer key \(SSE-C\): set it to check/);
    assert.doesNotMatch(before, /\b40[03]\b/);
    const unkeyed = await verify();
    assert.ok(unkeyed, 'Verify returned nothing');
    assert.equal(unkeyed.summary.counts.match, 0);
    assert.equal(unkeyed.summary.counts.error, 1);

    const named = await vscode.commands.executeCommand<string | undefined>('bucketIntegrity.setCustomerKey', profile, KEY);
    assert.equal(named, profile);

    await vscode.commands.executeCommand('bucketIntegrity.refresh');
    const after = (await api.treeTooltipFor(uri)) ?? '';
    assert.match(after, /^Encryption: SSE-C \(customer key\)$/m);
    assert.match(after, /^CRC-64: \d+$/m);
    const keyed = await verify();
    assert.ok(keyed, 'Verify returned nothing');
    assert.deepEqual([keyed.summary.counts.match, keyed.summary.counts.error, keyed.summary.counts.differ], [1, 0, 0]);
  });

  it('keeps the key out of the settings and the log', async () => {
    const settings = [ctx.userSettingsFile, path.join(ctx.workspace, '.vscode', 'settings.json')].filter(
      (f): f is string => !!f && fs.existsSync(f),
    );
    assert.ok(settings.length > 0, 'no settings file to look in');
    for (const f of settings) assert.ok(!fs.readFileSync(f, 'utf8').includes(KEY), `the key is in ${f}`);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('bucketIntegrity')).includes(KEY), 'the key is in a setting');

    // The log said the key was saved (so these are the extension's log files), never the key itself.
    const logs = path.join(path.dirname(path.dirname(ctx.userSettingsFile!)), 'logs');
    const saved = `Customer key (SSE-C) of profile "${profile}" saved in the secret storage.`;
    const until = Date.now() + 10_000;
    while (!filesBelow(logs).some((f) => f.text.includes(saved)) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    const all = filesBelow(logs);
    assert.ok(
      all.some((f) => f.text.includes(saved)),
      `no log file says the key was saved (${all.length} files)`,
    );
    for (const f of all) assert.ok(!f.text.includes(KEY), `the key is in ${f.file}`);
  });
});
