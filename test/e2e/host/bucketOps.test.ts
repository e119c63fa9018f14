import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { headObject, listCosBuckets, listCosKeys, putCosObject } from './remote';

/**
 * The Buckets view's basic operations inside a real extension host against the emulator: delete (objects,
 * several at once, a folder), create folder, copy URL and presigned URL, create bucket, Reveal in Buckets
 * and Show Log. What happened is read back from the emulator through the COS SDK.
 */

const ctx = e2eContext();

before(async () => {
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
});

describe('Bucket operations in the Buckets view', function () {
  let profile: string;
  let bucket: string;
  const run = `ops-${Date.now()}`;

  before(function () {
    requireDemo(ctx);
    const cos = ctx.demo.profiles.find((p) => p.provider === 'cos')!;
    profile = cos.name;
    bucket = cos.buckets[0];
  });

  it('Show Log is a command of its own', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === 'bucketIntegrity.showLog'));
    await vscode.commands.executeCommand('bucketIntegrity.showLog');
  });

  it('deletes several objects at once, and a folder with everything below it', async () => {
    const emu = ctx.emulator!;
    for (const k of ['a.txt', 'b.txt', 'keep.txt', 'dir/one.txt', 'dir/sub/two.txt'])
      await putCosObject(emu, bucket, `${run}/${k}`, `body of ${k}`);
    const place = (key: string) => ({ profile, bucket, key: `${run}/${key}` });
    const r1 = await vscode.commands.executeCommand<{ deleted: string[]; failed: unknown[] }>(
      'bucketIntegrity.deleteObjects',
      place('a.txt'),
      [place('a.txt'), place('b.txt')],
      { confirm: false },
    );
    assert.deepEqual(r1?.deleted.sort(), [`${run}/a.txt`, `${run}/b.txt`]);
    assert.equal(await headObject(emu, 'cos', bucket, `${run}/a.txt`), undefined);
    assert.equal(await headObject(emu, 'cos', bucket, `${run}/b.txt`), undefined);
    assert.ok(await headObject(emu, 'cos', bucket, `${run}/keep.txt`), 'an object not picked was deleted');

    const r2 = await vscode.commands.executeCommand<{ deleted: string[] }>('bucketIntegrity.deleteObjects', place('dir/'), undefined, {
      confirm: false,
    });
    assert.deepEqual(r2?.deleted.sort(), [`${run}/dir/one.txt`, `${run}/dir/sub/two.txt`]);
    assert.deepEqual(await listCosKeys(emu, bucket, `${run}/`), [`${run}/keep.txt`]);
  });

  it('creates a folder as a zero-byte marker, and reveals it in the tree', async () => {
    const key = await vscode.commands.executeCommand<string>(
      'bucketIntegrity.createFolder',
      { profile, bucket, key: `${run}/` },
      'new/nested',
    );
    assert.equal(key, `${run}/new/nested/`);
    const head = await headObject(ctx.emulator!, 'cos', bucket, key!);
    assert.equal(head?.size, 0);
    const revealed = await vscode.commands.executeCommand<string>('bucketIntegrity.revealInBuckets', { profile, bucket, key });
    assert.equal(revealed, `folder:/${profile}/${bucket}/${run}/new/nested/`);
  });

  it('reveals an object in the Buckets view, listing the folders on its way', async () => {
    const revealed = await vscode.commands.executeCommand<string>('bucketIntegrity.revealInBuckets', {
      profile,
      bucket,
      key: `${run}/keep.txt`,
    });
    assert.equal(revealed, `object:/${profile}/${bucket}/${run}/keep.txt`);
  });

  it('copies the URL and a presigned URL (1 hour by default) that opens the object without keys', async () => {
    const key = `${run}/keep.txt`;
    const url = await vscode.commands.executeCommand<string>('bucketIntegrity.copyUrl', { profile, bucket, key });
    assert.equal(url, `${ctx.emulator!.endpoint}/${bucket}/${key}`);
    assert.equal(await vscode.env.clipboard.readText(), url);
    assert.equal((await fetch(url!)).status, 403, 'an unsigned URL of a private object opened');

    const signed = await vscode.commands.executeCommand<string>('bucketIntegrity.copyPresignedUrl', { profile, bucket, key }, '1h');
    assert.equal(await vscode.env.clipboard.readText(), signed);
    const signTime = /q-sign-time=(\d+);(\d+)/.exec(signed!);
    assert.ok(signTime, signed);
    assert.ok(Math.abs(Number(signTime[2]) - Number(signTime[1]) - 3600) <= 1, `lifetime ${signTime[2]} - ${signTime[1]}`);
    const res = await fetch(signed!);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'body of keep.txt');
    // More than 7 days is refused, nothing copied.
    await vscode.env.clipboard.writeText('unchanged');
    assert.equal(await vscode.commands.executeCommand('bucketIntegrity.copyPresignedUrl', { profile, bucket, key }, '8d'), undefined);
    assert.equal(await vscode.env.clipboard.readText(), 'unchanged');
  });

  it('creates a bucket with a valid name, and refuses one the service would refuse', async () => {
    const emu = ctx.emulator!;
    const name = `made-${Date.now() % 100000}-${emu.cos.appId}`;
    assert.equal(await vscode.commands.executeCommand('bucketIntegrity.createBucket', profile, name), name);
    assert.ok((await listCosBuckets(emu)).includes(name));
    assert.equal(await vscode.commands.executeCommand('bucketIntegrity.createBucket', profile, 'No_Such-Name'), undefined);
    assert.ok(!(await listCosBuckets(emu)).includes('No_Such-Name'));
    const revealed = await vscode.commands.executeCommand<string>('bucketIntegrity.revealInBuckets', { profile, bucket: name, key: '' });
    assert.equal(revealed, `bucket:/${profile}/${name}`);
  });
});
