import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TransferReport } from '../../../src/ui/transfer/run';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { headObject } from './remote';

/**
 * Verified transfers inside a real extension host, through `executeCommand` with the argument shapes
 * the Explorer (URIs), the Buckets tree (nodes with a `location`) and other commands (plain
 * `{ profile, bucket, key | prefix }`) pass. Objects land at the demo mappings' prefixes.
 */

const ctx = e2eContext();
const COS_PROFILE = 'Demo COS';
const OSS_PROFILE = 'Demo OSS';
const SITE_BUCKET = 'demo-site-1250000000';
const DATA_BUCKET = 'demo-data';

function bytesOf(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function write(rel: string, bytes: Buffer): string {
  const file = path.join(ctx.workspace, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/** Adds a fault rule through the emulator's HTTP control API (the emulator runs outside this host). */
async function fault(rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${ctx.emulator!.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify(rule) });
  assert.equal(res.status, 200, await res.text());
}

async function clearFaults(): Promise<void> {
  await fetch(`${ctx.emulator!.endpoint}/_emulator/faults`, { method: 'DELETE' });
}

before(async function () {
  requireDemo(ctx);
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
});

describe('verified transfers through the commands', () => {
  it('uploads a mapped file (COS), then downloads it back from plain arguments, byte for byte', async () => {
    const rel = 'notes/e2e-transfer/round-trip.bin';
    const bytes = bytesOf(300_000, 1);
    const file = write(rel, bytes);
    const up = await vscode.commands.executeCommand<TransferReport>('bucketIntegrity.upload', vscode.Uri.file(file));
    assert.ok(up, 'the upload command returned no report');
    assert.equal(up.cancelled, false);
    assert.deepEqual(
      up.files.map((f) => ({ key: f.key, bucket: f.bucket, verified: f.verified, outcome: f.outcome })),
      [{ key: 'notes/e2e-transfer/round-trip.bin', bucket: SITE_BUCKET, verified: true, outcome: 'uploaded' }],
    );
    const head = await headObject(ctx.emulator!, 'cos', SITE_BUCKET, 'notes/e2e-transfer/round-trip.bin');
    assert.equal(head?.crc64, up.files[0].crc64);

    fs.rmSync(file);
    const down = await vscode.commands.executeCommand<TransferReport>('bucketIntegrity.download', {
      profile: COS_PROFILE,
      bucket: SITE_BUCKET,
      key: 'notes/e2e-transfer/round-trip.bin',
    });
    assert.ok(down, 'the download command returned no report');
    assert.equal(down.files[0].verified, true);
    assert.equal(down.files[0].outcome, 'downloaded');
    assert.equal(down.files[0].path, file);
    assert.ok(fs.readFileSync(file).equals(bytes), 'the downloaded bytes differ');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['round-trip.bin'], 'a temporary file was left behind');
  });

  it('uploads a mapped folder (OSS) and downloads it back from a tree folder node', async () => {
    const files: Record<string, Buffer> = {
      'data/e2e-folder/a.txt': Buffer.from('alpha\n'),
      'data/e2e-folder/sub/b.bin': bytesOf(70_000, 2),
      'data/e2e-folder/sub/empty': Buffer.alloc(0),
    };
    for (const [rel, bytes] of Object.entries(files)) write(rel, bytes);
    const folder = path.join(ctx.workspace, 'data', 'e2e-folder');
    const up = await vscode.commands.executeCommand<TransferReport>('bucketIntegrity.upload', vscode.Uri.file(folder));
    assert.ok(up);
    assert.deepEqual(up.files.map((f) => [f.key, f.verified]).sort(), [
      ['data/e2e-folder/a.txt', true],
      ['data/e2e-folder/sub/b.bin', true],
      ['data/e2e-folder/sub/empty', true],
    ]);
    assert.ok(up.files.every((f) => f.bucket === DATA_BUCKET && f.profile === OSS_PROFILE));

    fs.rmSync(folder, { recursive: true });
    const node = {
      kind: 'folder',
      id: 'e2e-folder-node',
      location: { profile: OSS_PROFILE, bucket: DATA_BUCKET, key: 'data/e2e-folder/' },
      parentPrefix: 'data/',
    };
    const down = await vscode.commands.executeCommand<TransferReport>('bucketIntegrity.downloadFolder', node);
    assert.ok(down);
    assert.equal(down.files.length, 3);
    assert.ok(
      down.files.every((f) => f.verified && f.outcome === 'downloaded'),
      JSON.stringify(down.files),
    );
    for (const [rel, bytes] of Object.entries(files)) {
      assert.ok(fs.readFileSync(path.join(ctx.workspace, rel)).equals(bytes), `${rel} differs`);
    }
  });

  it('says "not verified" when the service returns no CRC-64, and fails a download that stays corrupt', async () => {
    const rel = 'notes/e2e-transfer/no-crc.txt';
    const key = 'notes/e2e-transfer/no-crc.txt';
    const file = write(rel, Buffer.from('uploaded, but the answer carries no CRC-64\n'));
    try {
      await fault({ op: 'PutObject', key, action: 'omit-crc-header' });
      const up = await vscode.commands.executeCommand<TransferReport>('bucketIntegrity.upload', vscode.Uri.file(file));
      assert.equal(up?.files[0].verified, false);
      assert.equal(up?.files[0].outcome, 'uploaded');
      assert.match(up?.files[0].reason ?? '', /no CRC-64/);

      fs.rmSync(file);
      await fault({ op: 'GetObject', key, times: 'Infinity', action: 'corrupt-download' });
      const down = await vscode.commands.executeCommand<TransferReport>('bucketIntegrity.download', {
        profile: COS_PROFILE,
        bucket: SITE_BUCKET,
        key,
      });
      assert.equal(down?.files[0].outcome, 'failed');
      assert.match(down?.files[0].reason ?? '', /CRC-64/);
      assert.equal(fs.existsSync(file), false, 'a corrupt download landed at the target');
      assert.deepEqual(
        fs.readdirSync(path.dirname(file)).filter((n) => n.includes('no-crc')),
        [],
        'a temporary file was left behind',
      );
    } finally {
      await clearFaults();
    }
  });

  it('accepts a tree object node and keeps an identical local file as it is', async () => {
    const rel = 'notes/e2e-transfer/identical.txt';
    const file = write(rel, Buffer.from('same bytes on both sides\n'));
    const up = await vscode.commands.executeCommand<TransferReport>('bucketIntegrity.upload', vscode.Uri.file(file));
    assert.equal(up?.files[0].verified, true);
    const node = {
      kind: 'object',
      id: 'e2e-object-node',
      location: { profile: COS_PROFILE, bucket: SITE_BUCKET, key: 'notes/e2e-transfer/identical.txt' },
      parentPrefix: 'notes/e2e-transfer/',
      info: { key: 'notes/e2e-transfer/identical.txt', size: 25 },
    };
    // The local file exists: the question is answered by the comparison alone when both sides match.
    const pending = vscode.commands.executeCommand<TransferReport>('bucketIntegrity.download', node);
    // "Compare first" is the first choice of the existing-file question: accept it once it shows.
    let settled = false;
    void Promise.resolve(pending).finally(() => (settled = true));
    for (let i = 0; i < 50 && !settled; i++) {
      await new Promise((r) => setTimeout(r, 300));
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const down = await pending;
    assert.equal(down?.files[0].outcome, 'identical');
    assert.equal(down?.files[0].verified, true);
  });
});
