import * as assert from 'node:assert/strict';
import type COS from 'cos-nodejs-sdk-v5';
import * as vscode from 'vscode';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { cosOf, headObject } from './remote';

/**
 * Copy To… of one version in the Buckets view (a versioned COS bucket made through the COS SDK): the copy
 * is of that version, not of the key's current content; a version is never moved.
 */

const ctx = e2eContext();
const OLD = 'the first words, kept as a version\n';
const NOW = 'the words as they are now, longer than before\n';

function call<T = { headers?: Record<string, string> }>(cos: COS, method: string, params: object): Promise<T> {
  return new Promise((resolve, reject) =>
    (cos as unknown as Record<string, (p: object, cb: (err: unknown, data: T) => void) => void>)[method].call(cos, params, (err, data) =>
      err ? reject(err) : resolve(data),
    ),
  );
}

describe('Copy To… of one version', function () {
  this.timeout(60_000);
  let bucket: string;
  let profile: string;
  let oldVersion: string;

  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const emu = ctx.emulator!;
    profile = ctx.demo!.profiles.find((p) => p.provider === 'cos')!.name;
    bucket = `version-copy-e2e-${emu.cos.appId}`;
    const cos = cosOf(emu);
    const at = { Bucket: bucket, Region: emu.cos.region };
    await call(cos, 'putBucket', at);
    await call(cos, 'putBucketVersioning', { ...at, VersioningConfiguration: { Status: 'Enabled' } });
    const first = await call(cos, 'putObject', { ...at, Key: 'words.txt', Body: OLD });
    oldVersion = first.headers!['x-cos-version-id'];
    assert.ok(oldVersion, 'the emulator gave the first write a version id');
    await call(cos, 'putObject', { ...at, Key: 'words.txt', Body: NOW });
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
  });

  const versionNode = () => ({
    kind: 'version',
    location: { profile, bucket, key: 'words.txt' },
    version: { key: 'words.txt', versionId: oldVersion, isLatest: false, deleteMarker: false, size: OLD.length },
  });

  it('copies that version (its bytes and CRC-64), not the current one', async () => {
    const r = await vscode.commands.executeCommand<{ verified: boolean; method: string }>('bucketIntegrity.copyObject', versionNode(), {
      destination: { profile, bucket, key: 'words-first.txt' },
    });
    assert.equal(r?.verified, true, JSON.stringify(r));
    const copy = await headObject(ctx.emulator!, 'cos', bucket, 'words-first.txt');
    assert.equal(copy?.size, OLD.length);
    const current = await headObject(ctx.emulator!, 'cos', bucket, 'words.txt');
    assert.equal(current?.size, NOW.length);
    assert.notEqual(copy?.crc64, current?.crc64);
  });

  it('a version is never moved', async () => {
    const r = await vscode.commands.executeCommand('bucketIntegrity.moveObject', versionNode(), {
      destination: { profile, bucket, key: 'words-moved.txt' },
    });
    assert.equal(r, undefined);
    assert.equal(await headObject(ctx.emulator!, 'cos', bucket, 'words-moved.txt'), undefined);
    assert.equal((await headObject(ctx.emulator!, 'cos', bucket, 'words.txt'))?.size, NOW.length);
  });
});
