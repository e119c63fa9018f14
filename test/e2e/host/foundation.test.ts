import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { declareTestSecret, e2eContext, EXTENSION_ID } from './context';

/** Commands of the VS Code layer's foundation, driven with arguments (no prompts), in a real editor. */

const CHECK_INPUT = '123456789';
const CHECK_VALUE = '11051210869376104954';
const PROFILE = 'Foundation check';
const SESSION_TOKEN = 'foundation-check-session-token';

interface Outcome {
  files: { path: string; size: number; crc64: string }[];
  errors: { path: string; message: string }[];
}

function profilesSetting(): Array<Record<string, unknown>> {
  return vscode.workspace.getConfiguration('bucketIntegrity').get<Array<Record<string, unknown>>>('profiles') ?? [];
}

describe('foundation commands', () => {
  let dir: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    dir = path.join(e2eContext().workspace, 'foundation-check');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'check.txt'), CHECK_INPUT);
    fs.writeFileSync(path.join(dir, 'nested', 'empty.bin'), '');
  });

  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (profilesSetting().some((p) => p.name === PROFILE)) {
      await vscode.commands.executeCommand('bucketIntegrity.removeProfile', PROFILE, { confirm: false });
    }
  });

  it('computes the CRC-64 of one file', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'check.txt'));
    const outcome = await vscode.commands.executeCommand<Outcome>('bucketIntegrity.computeCrc64', uri, [uri]);
    assert.deepEqual(outcome.errors, []);
    assert.deepEqual(
      outcome.files.map((f) => [f.size, f.crc64]),
      [[9, CHECK_VALUE]],
    );
  });

  it('computes a folder recursively and opens a report', async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('bucketIntegrity.computeCrc64', vscode.Uri.file(dir));
    const byName = new Map(outcome.files.map((f) => [path.basename(f.path), f.crc64]));
    assert.equal(byName.get('check.txt'), CHECK_VALUE);
    assert.equal(byName.get('empty.bin'), '0');
    const report = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(report, new RegExp(`${CHECK_VALUE}\\s+9\\s+foundation-check/check.txt`));
  });

  it('adds, edits, keys and removes a profile without prompts', async () => {
    const emulator = e2eContext().emulator;
    const profile = {
      name: PROFILE,
      provider: 'cos',
      region: emulator?.cos.region ?? 'ap-guangzhou',
      endpoint: emulator?.endpoint ?? 'http://127.0.0.1:9',
    };
    const keys = { accessKeyId: emulator?.cos.secretId ?? 'id', secretAccessKey: emulator?.cos.secretKey ?? 'secret' };
    declareTestSecret('session token of the foundation profile', SESSION_TOKEN);
    await vscode.commands.executeCommand('bucketIntegrity.addProfile', { ...profile, credentials: keys });
    const saved = profilesSetting().find((p) => p.name === PROFILE);
    assert.deepEqual(saved, profile);
    assert.ok(!JSON.stringify(profilesSetting()).includes(keys.secretAccessKey), 'keys must never reach the settings');

    await vscode.commands.executeCommand('bucketIntegrity.setProfileKeys', PROFILE, { ...keys, sessionToken: SESSION_TOKEN });
    await vscode.commands.executeCommand('bucketIntegrity.editProfile', PROFILE, { region: 'ap-beijing' });
    assert.equal(profilesSetting().find((p) => p.name === PROFILE)?.region, 'ap-beijing');

    const removed = await vscode.commands.executeCommand('bucketIntegrity.removeProfile', PROFILE, { confirm: false });
    assert.equal(removed, PROFILE);
    assert.ok(!profilesSetting().some((p) => p.name === PROFILE));
  });

  it('maps a workspace folder to a prefix', async () => {
    const mapping = { localFolder: 'foundation-check', profile: PROFILE, bucket: 'check-bucket', prefix: 'check' };
    const config = () => vscode.workspace.getConfiguration('bucketIntegrity');
    const before = config().inspect('mappings')?.workspaceValue;
    try {
      await vscode.commands.executeCommand('bucketIntegrity.mapFolder', mapping);
      const written = (config().get<Array<Record<string, string>>>('mappings') ?? []).filter((m) => m.localFolder === 'foundation-check');
      assert.deepEqual(written, [{ ...mapping, prefix: 'check/' }]);
    } finally {
      await config().update('mappings', before, vscode.ConfigurationTarget.Workspace);
    }
  });
});
