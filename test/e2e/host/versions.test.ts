import * as assert from 'node:assert/strict';
import COS from 'cos-nodejs-sdk-v5';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { eventually } from './eventually';

/**
 * The Buckets view on a versioned bucket, in a real extension host: an object expands to its versions
 * (the current one, a delete marker, an older one), and an older version opens read-only with its own
 * bytes. The bucket and its versions are made through the COS SDK (a witness outside the extension).
 */

const ctx = e2eContext();

/** One COS SDK call as a promise. */
function call(cos: COS, method: 'putBucket' | 'putBucketVersioning' | 'putObject' | 'deleteObject', params: object): Promise<unknown> {
  return new Promise((resolve, reject) =>
    (cos[method] as (p: object, cb: (err: unknown, data: unknown) => void) => void).call(cos, params, (err, data) =>
      err ? reject(err) : resolve(data),
    ),
  );
}

function treeUri(profile: string, bucket: string, key = ''): vscode.Uri {
  return vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}${key ? `/${key}` : '/'}` });
}

describe('Versions in the Buckets view', function () {
  let bucket: string;
  let profile: string;

  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const emu = ctx.emulator!;
    profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!.name;
    bucket = `versions-e2e-${emu.cos.appId}`;
    const cos = new COS({
      SecretId: emu.cos.secretId,
      SecretKey: emu.cos.secretKey,
      Protocol: 'http:',
      Ip: new URL(emu.endpoint).host,
      AutoSwitchHost: false,
    } as COS.COSOptions);
    const at = { Bucket: bucket, Region: emu.cos.region };
    await call(cos, 'putBucket', at);
    await call(cos, 'putBucketVersioning', { ...at, VersioningConfiguration: { Status: 'Enabled' } });
    await call(cos, 'putObject', { ...at, Key: 'notes.txt', Body: 'the first words\n' });
    await call(cos, 'deleteObject', { ...at, Key: 'notes.txt' });
    await call(cos, 'putObject', { ...at, Key: 'notes.txt', Body: 'the words as they are now\n' });
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an object expands to its versions, the delete marker shown, and an older version opens with its own bytes', async () => {
    const api = vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
    const children = await api.treeChildrenOf(treeUri(profile, bucket, 'notes.txt'));
    assert.ok(children, 'the object was not listed');
    assert.equal(children.length, 3, JSON.stringify(children.map((c) => c.description)));
    const [current, marker, older] = children;
    assert.match(current.description ?? '', /· current ·/);
    assert.match(current.contextValue ?? '', /^bucketIntegrity:version\b.*\+current\b/);
    assert.match(marker.description ?? '', /^delete marker$/);
    assert.match(marker.contextValue ?? '', /\+marker\b/);
    assert.equal(marker.command, undefined, 'a delete marker has nothing to open');
    assert.match(older.description ?? '', /· older ·/);
    assert.match(older.tooltip ?? '', /^Size: 16 bytes$/m);

    // The hover of the object names the version it shows.
    const hover = await api.treeTooltipFor(treeUri(profile, bucket, 'notes.txt'));
    assert.match(hover ?? '', /^Version: \S+ \(current\)$/m);

    assert.ok(older.command, 'an older version opens on click');
    const opened = await vscode.commands.executeCommand<string>(older.command.command, ...(older.command.arguments ?? []));
    assert.ok(opened, 'Open Version opened nothing');
    const uri = vscode.Uri.parse(opened);
    assert.match(uri.query, /^versionId=/);
    const editor = await eventually('an editor on the older version', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.query === uri.query),
    );
    assert.equal(editor.document.getText(), 'the first words\n');
  });
});
