import * as assert from 'node:assert/strict';
import type COS from 'cos-nodejs-sdk-v5';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { cosOf } from './remote';

/**
 * Verify All Versions from the Buckets view (a versioned COS bucket made through the COS SDK): every
 * version of the one key is HEADed by its id, a delete marker is counted, not checked, and keys that only
 * begin with the object's key are left out; Re-run repeats a run from the plain data it stores.
 */

const ctx = e2eContext();

function call<T = { headers?: Record<string, string> }>(cos: COS, method: string, params: object): Promise<T> {
  return new Promise((resolve, reject) =>
    (cos as unknown as Record<string, (p: object, cb: (err: unknown, data: T) => void) => void>)[method].call(cos, params, (err, data) =>
      err ? reject(err) : resolve(data),
    ),
  );
}

interface Outcome {
  summary: { versions: number; deleteMarkers: number; counts: Record<string, number> };
  results: { key: string; versionId: string; deleteMarker: boolean; status?: string }[];
}

describe('Verify All Versions in the tree', function () {
  this.timeout(60_000);
  let bucket: string;
  let profile: string;
  const ids: string[] = [];

  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const emu = ctx.emulator!;
    profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!.name;
    bucket = `versions-verify-e2e-${emu.cos.appId}`;
    const cos = cosOf(emu);
    const at = { Bucket: bucket, Region: emu.cos.region };
    await call(cos, 'putBucket', at);
    await call(cos, 'putBucketVersioning', { ...at, VersioningConfiguration: { Status: 'Enabled' } });
    for (const body of ['one\n', 'two, longer\n', 'three, the longest of all\n'])
      ids.push((await call(cos, 'putObject', { ...at, Key: 'notes.txt', Body: body })).headers!['x-cos-version-id']);
    await call(cos, 'putObject', { ...at, Key: 'notes.txt.bak', Body: 'another key\n' });
    await call(cos, 'putObject', { ...at, Key: 'gone.txt', Body: 'deleted later\n' });
    await call(cos, 'deleteObject', { ...at, Key: 'gone.txt' });
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
  });

  it('on an object: every version of that key, by its id', async () => {
    const r = await vscode.commands.executeCommand<Outcome>('bucketIntegrity.verifyAllVersions', {
      kind: 'object',
      location: { profile, bucket, key: 'notes.txt' },
    });
    assert.ok(r, 'the command answered');
    assert.equal(r.summary.versions, 3, JSON.stringify(r));
    assert.equal(r.summary.counts.match, 3, JSON.stringify(r));
    assert.deepEqual(r.results.map((v) => v.versionId).sort(), [...ids].sort());
    assert.ok(r.results.every((v) => v.key === 'notes.txt'));
    // The Results view has the run, a row per version.
    const run = vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports.results()[0];
    assert.match(run.title, /Verify All Versions: .*notes\.txt/);
    assert.deepEqual(
      run.groups.map((g) => [g.status, g.count]),
      [['match', 3]],
    );
  });

  it('names the version whose bytes the mapped local file holds', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const config = () => vscode.workspace.getConfiguration('bucketIntegrity');
    const before = config().inspect('mappings')?.workspaceValue;
    const folder = vscode.Uri.joinPath(root, 'versions-verify-e2e');
    try {
      await vscode.workspace.fs.createDirectory(folder);
      // The second version's bytes, not the current one's.
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'notes.txt'), Buffer.from('two, longer\n'));
      await vscode.commands.executeCommand('bucketIntegrity.mapFolder', {
        localFolder: 'versions-verify-e2e',
        profile,
        bucket,
        prefix: '',
      });
      const r = await vscode.commands.executeCommand<Outcome & { local?: { path: string; sameAs: string[] } }>(
        'bucketIntegrity.verifyAllVersions',
        { kind: 'object', location: { profile, bucket, key: 'notes.txt' } },
      );
      assert.equal(r?.local?.path, vscode.Uri.joinPath(folder, 'notes.txt').fsPath, JSON.stringify(r?.local));
      assert.deepEqual(r?.local?.sameAs, [ids[1]]);
      // Mapped, but no file there: the versions are still checked, nothing is matched.
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'notes.txt'));
      const again = await vscode.commands.executeCommand<Outcome & { local?: unknown }>('bucketIntegrity.verifyAllVersions', {
        kind: 'object',
        location: { profile, bucket, key: 'notes.txt' },
      });
      assert.equal(again?.summary.versions, 3);
      assert.equal(again?.local, undefined);
    } finally {
      await config().update('mappings', before, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
  });

  it('on a version of a deleted key: its delete marker counted, its older version checked', async () => {
    const r = await vscode.commands.executeCommand<Outcome>('bucketIntegrity.verifyAllVersions', {
      kind: 'version',
      location: { profile, bucket, key: 'gone.txt' },
    });
    assert.equal(r?.summary.versions, 1, JSON.stringify(r));
    assert.equal(r?.summary.deleteMarkers, 1);
    assert.equal(r?.summary.counts.match, 1);
  });

  it('Re-run repeats the run from the data it stores (as after a window reload): the same key, the same local file', async () => {
    const api = () => vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
    const root = vscode.workspace.workspaceFolders![0].uri;
    const config = () => vscode.workspace.getConfiguration('bucketIntegrity');
    const before = config().inspect('mappings')?.workspaceValue;
    const folder = vscode.Uri.joinPath(root, 'versions-rerun-e2e');
    const file = vscode.Uri.joinPath(folder, 'notes.txt');
    try {
      await vscode.workspace.fs.createDirectory(folder);
      // The first version's bytes.
      await vscode.workspace.fs.writeFile(file, Buffer.from('one\n'));
      await vscode.commands.executeCommand('bucketIntegrity.mapFolder', { localFolder: 'versions-rerun-e2e', profile, bucket, prefix: '' });
      const first = await vscode.commands.executeCommand<Outcome & { local?: { sameAs: string[] } }>('bucketIntegrity.verifyAllVersions', {
        kind: 'object',
        location: { profile, bucket, key: 'notes.txt' },
      });
      assert.deepEqual(first?.local?.sameAs, [ids[0]]);
      const [run] = api().results();
      // What a reload keeps: plain data naming the key and the local file, no closure.
      const replay = { versionsOf: { profile, bucket, key: 'notes.txt' }, local: file.fsPath };
      assert.deepEqual(run.replay, replay);
      assert.deepEqual(JSON.parse(JSON.stringify(run.replay)), replay);

      // Between the runs: a fourth version, and the mapping gone. The re-run reads the bucket again and the same file.
      const emu = ctx.emulator!;
      const put = await call(cosOf(emu), 'putObject', { Bucket: bucket, Region: emu.cos.region, Key: 'notes.txt', Body: 'four\n' });
      await config().update('mappings', before, vscode.ConfigurationTarget.Workspace);
      const again = await vscode.commands.executeCommand<Outcome & { local?: { path: string; sameAs: string[] } }>(
        'bucketIntegrity.rerunResults',
        { run: run.id },
      );
      assert.equal(again?.summary.versions, 4, JSON.stringify(again?.summary));
      assert.equal(again?.summary.counts.match, 4);
      assert.ok(again?.results.some((v) => v.versionId === put.headers!['x-cos-version-id']));
      assert.equal(again?.local?.path, file.fsPath);
      assert.deepEqual(again?.local?.sameAs, [ids[0]]);
      const [newest] = api().results();
      assert.notEqual(newest.id, run.id);
      assert.equal(newest.title, run.title);
    } finally {
      await config().update('mappings', before, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
  });
});
