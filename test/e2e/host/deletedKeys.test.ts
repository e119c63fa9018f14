import * as assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { eventually } from './eventually';
import { cosOf } from './remote';

/**
 * A key whose newest entry is a delete marker, in the Buckets view of a versioned bucket (made through the
 * COS SDK): it is shown as "deleted" with its versions below it, and an older version opens, downloads
 * and verifies from there.
 */

const ctx = e2eContext();
const OLD = 'the words before the delete\n';

function call<T = { headers?: Record<string, string> }>(cos: COS, method: string, params: object): Promise<T> {
  return new Promise((resolve, reject) =>
    (cos as unknown as Record<string, (p: object, cb: (err: unknown, data: T) => void) => void>)[method].call(cos, params, (err, data) =>
      err ? reject(err) : resolve(data),
    ),
  );
}

function treeUri(profile: string, bucket: string, key = ''): vscode.Uri {
  return vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}${key ? `/${key}` : '/'}` });
}

describe('Deleted keys in the Buckets view', function () {
  this.timeout(60_000);
  let bucket: string;
  let profile: string;
  const api = () => vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;

  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const emu = ctx.emulator!;
    profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!.name;
    bucket = `deleted-keys-e2e-${emu.cos.appId}`;
    const cos = cosOf(emu);
    const at = { Bucket: bucket, Region: emu.cos.region };
    await call(cos, 'putBucket', at);
    await call(cos, 'putBucketVersioning', { ...at, VersioningConfiguration: { Status: 'Enabled' } });
    await call(cos, 'putObject', { ...at, Key: 'kept.txt', Body: 'kept\n' });
    await call(cos, 'putObject', { ...at, Key: 'gone.txt', Body: OLD });
    await call(cos, 'deleteObject', { ...at, Key: 'gone.txt' });
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the deleted key with its versions; an older one opens, downloads and verifies from there', async () => {
    const listed = await api().treeChildrenOf(treeUri(profile, bucket));
    assert.ok(listed, 'the bucket was not listed');
    assert.deepEqual(
      listed.map((c) => [c.label, c.description?.includes('deleted') ?? false]),
      [
        ['kept.txt', false],
        ['gone.txt', true],
      ],
    );
    const gone = listed[1];
    assert.match(gone.contextValue ?? '', /^bucketIntegrity:deletedObject\b.*\+versioned\b/);
    assert.equal(gone.command, undefined, 'a deleted key has nothing current to open');

    const versions = await api().treeChildrenOf(treeUri(profile, bucket, 'gone.txt'));
    assert.equal(versions?.length, 2, JSON.stringify(versions));
    const [marker, older] = versions!;
    assert.match(marker.contextValue ?? '', /\+current\b.*\+marker\b/);
    assert.ok(older.command, 'the older version opens on click');
    const opened = await vscode.commands.executeCommand<string>(older.command.command, ...(older.command.arguments ?? []));
    const uri = vscode.Uri.parse(opened);
    const editor = await eventually('an editor on the older version', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.query === uri.query),
    );
    assert.equal(editor.document.getText(), OLD);

    const versionNode = older.command.arguments![0];
    const target = join(await mkdtemp(join(tmpdir(), 'deleted-key-')), 'gone.txt');
    const saved = await vscode.commands.executeCommand<string>('bucketIntegrity.downloadVersion', versionNode, target);
    assert.equal(saved, target);
    assert.equal(await readFile(target, 'utf8'), OLD);

    const verified = await vscode.commands.executeCommand<{
      summary: { versions: number; deleteMarkers: number; fromInventory: number; counts: Record<string, number> };
    }>('bucketIntegrity.verifyAllVersions', versionNode);
    assert.deepEqual(verified?.summary, { versions: 1, deleteMarkers: 1, fromInventory: 0, counts: { match: 1 } });
  });
});
