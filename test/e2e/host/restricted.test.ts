import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';

/**
 * Restricted Mode, in a window whose workspace is not trusted (the runner's `restricted` phase, the only
 * one that loads this suite). Hashing local files works; nothing that
 * sends keys runs, and the emulator — the outside witness — receives no request.
 */

const ctx = e2eContext();
const CHECK_INPUT = '123456789';
const CHECK_VALUE = '11051210869376104954';

async function emulatorRequestCount(): Promise<number> {
  const res = await fetch(`${ctx.emulator!.endpoint}/_emulator/requests`);
  return ((await res.json()) as unknown[]).length;
}

describe('Restricted Mode (untrusted workspace)', function () {
  let file: string;

  before(async function () {
    requireDemo(ctx);
    assert.equal(vscode.workspace.isTrusted, false, 'this suite runs in the restricted phase, on an untrusted workspace');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    file = path.join(ctx.workspace, 'restricted-check.txt');
    fs.writeFileSync(file, CHECK_INPUT);
    await fetch(`${ctx.emulator!.endpoint}/_emulator/requests`, { method: 'DELETE' });
  });

  after(() => {
    if (file) fs.rmSync(file, { force: true });
  });

  it('computes the CRC-64 of a workspace file', async () => {
    const uri = vscode.Uri.file(file);
    const outcome = await vscode.commands.executeCommand<{ files: { crc64: string }[]; errors: unknown[] }>(
      'bucketIntegrity.computeCrc64',
      uri,
      [uri],
    );
    assert.deepEqual(outcome?.errors, []);
    assert.deepEqual(
      outcome.files.map((f) => f.crc64),
      [CHECK_VALUE],
    );
  });

  it('runs nothing that sends keys: commands refuse, remote documents are refused, the emulator hears nothing', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.bucketIntegrity');
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
    const compared = await vscode.commands.executeCommand(
      'bucketIntegrity.compareWithRemote',
      vscode.Uri.file(path.join(ctx.workspace, 'site')),
    );
    assert.equal(compared, undefined, 'Compare with Remote ran');
    const object = ctx.demo!.objects[0];
    const opened = await vscode.commands.executeCommand('bucketIntegrity.openObject', {
      profile: object.profile,
      bucket: object.bucket,
      key: object.key,
    });
    assert.equal(opened, undefined, 'Open ran');
    const uri = vscode.Uri.from({ scheme: 'cos', authority: object.profile, path: `/${object.bucket}/` });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readDirectory(uri)), /Restricted Mode/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await emulatorRequestCount(), 0, 'requests reached the emulator in Restricted Mode');
  });
});
