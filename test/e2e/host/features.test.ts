import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { vectorBytes, type CrcVector } from '../../support/vectors';
import { e2eContext, requireDemo } from './context';
import { headObject } from './remote';

/**
 * The extension's features inside a real extension host, against the emulator seeded with the demo
 * data: commands run through `executeCommand` exactly as the menus run them.
 */

interface ComputeOutcome {
  files: { path: string; size: number; crc64: string }[];
  errors: { path: string; message: string }[];
}

const ctx = e2eContext();

function vectors(): CrcVector[] {
  return (JSON.parse(fs.readFileSync(ctx.vectorsPath, 'utf8')) as { vectors: CrcVector[] }).vectors;
}

function workspaceFile(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(ctx.workspace, rel));
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Compute CRC-64 command', () => {
  for (const name of ['check-123456789', 'lcg-65537', 'lcg-4MiB+5']) {
    it(`gives the fixture value for ${name}`, async () => {
      const v = vectors().find((x) => x.name === name);
      assert.ok(v, `no vector ${name}`);
      const file = path.join(ctx.workspace, 'vectors', `${name}.bin`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, vectorBytes(v.gen));
      const outcome = await vscode.commands.executeCommand<ComputeOutcome | undefined>(
        'bucketIntegrity.computeCrc64',
        vscode.Uri.file(file),
      );
      assert.ok(outcome, 'the command returned nothing');
      assert.deepEqual(outcome.errors, []);
      assert.equal(outcome.files.length, 1);
      assert.equal(outcome.files[0].crc64, v.crc64);
      assert.equal(outcome.files[0].size, v.length);
    });
  }
});

describe('verified upload through the command', function () {
  before(function () {
    requireDemo(ctx);
  });

  it('lands the demo file at its mapped key with the CRC-64 of the local bytes', async () => {
    const target = ctx.demo!.toUpload;
    const local = workspaceFile(target.localPath!);
    const expected = (await vscode.commands.executeCommand<ComputeOutcome>('bucketIntegrity.computeCrc64', local))!.files[0];
    assert.equal(await headObject(ctx.emulator!, 'cos', target.bucket, target.key), undefined, 'the object exists before the upload');
    await vscode.commands.executeCommand('bucketIntegrity.upload', local);
    const head = await until('the uploaded object', () => headObject(ctx.emulator!, 'cos', target.bucket, target.key));
    assert.equal(head.size, expected.size);
    assert.equal(head.crc64, expected.crc64);
  });

  it('uploads a multipart file whose combined CRC-64 equals the local one', async () => {
    const rel = 'notes/field-recording.bin';
    const file = path.join(ctx.workspace, rel);
    // 21 MiB + 7: several parts with the default part size, and an odd tail.
    const bytes = Buffer.alloc(21 * 1024 * 1024 + 7);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i / 4096) & 0xff;
    fs.writeFileSync(file, bytes);
    const expected = (await vscode.commands.executeCommand<ComputeOutcome>('bucketIntegrity.computeCrc64', vscode.Uri.file(file)))!
      .files[0];
    await vscode.commands.executeCommand('bucketIntegrity.upload', vscode.Uri.file(file));
    const bucket = ctx.demo!.toUpload.bucket;
    const head = await until('the uploaded object', () => headObject(ctx.emulator!, 'cos', bucket, rel));
    assert.equal(head.size, bytes.length);
    assert.equal(head.crc64, expected.crc64);
  });
});
