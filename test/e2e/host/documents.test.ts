import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { eventually } from './eventually';
import { headObject } from './remote';

/**
 * Remote objects as read-only `cos://` / `oss://` documents and Open Changes, inside a real extension
 * host against the emulator seeded with the demo data. What the editor shows is checked against the
 * demo workspace's own files and the emulator's HEAD, never against what the extension computed.
 */

const ctx = e2eContext();

function objectUri(provider: 'cos' | 'oss', profile: string, bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: provider, authority: profile, path: `/${bucket}/${key}` });
}

/** The editor may hand a URI back with its authority (the profile) in lower case: compare without that. */
function sameUri(a: vscode.Uri, b: vscode.Uri): boolean {
  return a.scheme === b.scheme && a.authority.toLowerCase() === b.authority.toLowerCase() && a.path === b.path;
}

function localText(rel: string): string {
  return fs.readFileSync(path.join(ctx.workspace, rel), 'utf8');
}

/** Adds a fault rule through the emulator's control API (one request, then it is used up). */
async function addFault(rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${ctx.emulator!.endpoint}/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify(rule),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 200, await res.text());
}

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('Remote objects in the editor', function () {
  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  afterEach(closeAllEditors);

  const demo = () => ctx.demo!;
  const object = (expected: string, provider: 'cos' | 'oss' = 'cos') =>
    demo().objects.find((o) => o.expected === expected && (o.profile === demo().profiles[0].name) === (provider === 'cos'))!;

  it('opens a cos:// object from the tree with the bucket’s bytes, read-only', async () => {
    const match = object('match');
    const opened = await vscode.commands.executeCommand<string>('bucketIntegrity.openObject', {
      profile: match.profile,
      bucket: match.bucket,
      key: match.key,
    });
    const uri = objectUri('cos', match.profile, match.bucket, match.key);
    assert.equal(opened, uri.toString());
    const editor = await eventually('an editor on the object', () =>
      vscode.window.visibleTextEditors.find((e) => sameUri(e.document.uri, uri)),
    );
    // Same bytes as uploaded from the workspace (the object matches its local file).
    assert.equal(editor.document.getText(), localText(match.localPath!));

    const stat = await vscode.workspace.fs.stat(uri);
    assert.equal(stat.type, vscode.FileType.File);
    assert.equal(stat.size, (await headObject(ctx.emulator!, 'cos', match.bucket, match.key))!.size);
    assert.ok((stat.permissions ?? 0) & vscode.FilePermission.Readonly, 'the object is not marked read-only');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('changed'))), (err: unknown) => {
      // The file service refuses writes to a read-only provider itself; either way it is "no permissions".
      const e = err as vscode.FileSystemError;
      assert.ok(e.code === 'NoPermissions' || /read-?only|permission/i.test(e.message), `${e.code}: ${e.message}`);
      return true;
    });
    assert.equal(editor.document.getText(), localText(match.localPath!));
  });

  it('shows the object changed in the bucket as it is there, and an oss:// object too', async () => {
    const mismatch = object('differ');
    const doc = await vscode.workspace.openTextDocument(objectUri('cos', mismatch.profile, mismatch.bucket, mismatch.key));
    // demo/seed.ts edited this one line in the bucket's copy.
    assert.match(doc.getText(), /since 2018/);
    assert.equal(doc.getText(), localText(mismatch.localPath!).replace('since 2019', 'since 2018'));

    const oss = object('match', 'oss');
    const ossDoc = await vscode.workspace.openTextDocument(objectUri('oss', oss.profile, oss.bucket, oss.key));
    assert.equal(ossDoc.getText(), localText(oss.localPath!));
    // An object stored without a CRC-64 is shown too (flagged as not verified).
    const legacy = object('no-crc');
    const legacyDoc = await vscode.workspace.openTextDocument(objectUri('cos', legacy.profile, legacy.bucket, legacy.key));
    assert.equal(legacyDoc.getText(), localText(legacy.localPath!));
  });

  it('lists a folder like the bucket does, and refuses a body damaged on the way', async () => {
    const match = object('match');
    const folder = objectUri('cos', match.profile, match.bucket, 'site/');
    const entries = await vscode.workspace.fs.readDirectory(folder);
    const names = new Map(entries);
    for (const o of demo().objects.filter((x) => x.bucket === match.bucket && x.key.startsWith('site/'))) {
      const rest = o.key.slice('site/'.length);
      const [first] = rest.split('/');
      const expected = rest.includes('/') ? vscode.FileType.Directory : vscode.FileType.File;
      assert.equal(names.get(first), expected, `${o.key}: ${JSON.stringify(entries)}`);
    }

    const styles = demo().objects.find((o) => o.key === 'site/styles.css')!;
    const uri = objectUri('cos', styles.profile, styles.bucket, styles.key);
    await addFault({ op: 'GetObject', bucket: styles.bucket, key: styles.key, action: 'corrupt-get-body' });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri)), (err: unknown) => {
      assert.match(String((err as Error).message), /do not match its stored CRC-64/);
      return true;
    });
    // The fault was used up: the next read is verified and shown.
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'), localText(styles.localPath!));
  });

  it('Open Changes on the mismatched file opens the diff editor: the object on the left, the file on the right', async () => {
    const mismatch = object('differ');
    const local = vscode.Uri.file(path.join(ctx.workspace, mismatch.localPath!));
    const pair = await vscode.commands.executeCommand<{ remote: string; local: string }>('bucketIntegrity.openChanges', local);
    assert.ok(pair, 'the command returned nothing');
    const remote = objectUri('cos', mismatch.profile, mismatch.bucket, mismatch.key);
    assert.equal(pair.remote, remote.toString());

    const tab = await eventually('the diff tab', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputTextDiff ? active : undefined;
    });
    const input = tab.input as vscode.TabInputTextDiff;
    assert.ok(sameUri(input.original, remote), `left side: ${input.original.toString()}`);
    assert.equal(input.modified.fsPath, local.fsPath);
    assert.match(tab.label, /about\.html/);
    const left = await eventually('the remote side of the diff', () => vscode.workspace.textDocuments.find((d) => sameUri(d.uri, remote)));
    assert.notEqual(left.getText(), localText(mismatch.localPath!));

    // The same pair from the object's side (the Buckets view).
    await closeAllEditors();
    const fromTree = await vscode.commands.executeCommand<{ remote: string; local: string }>('bucketIntegrity.openChanges', {
      profile: mismatch.profile,
      bucket: mismatch.bucket,
      key: mismatch.key,
    });
    assert.equal(fromTree?.local, local.toString());
    await eventually('the diff tab from the tree', () =>
      vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff ? true : undefined,
    );
  });
});
