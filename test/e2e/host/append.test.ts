import * as assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppendResult } from '../../../src/transfer/append';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';

/**
 * Append to Object… on an OSS object inside a real extension host: the new bytes of a growing local
 * file go to the object, and the CRC-64 the command reports must be the one the service stored.
 */

const ctx = e2eContext();
const OSS_PROFILE = 'Demo OSS';
const DATA_BUCKET = 'demo-data';

/**
 * HEAD of an OSS object with a V1-signed request: ali-oss's HTTP client cannot run in this extension
 * host (its sockets lack setTimeout), and the check must not go through the extension's own client.
 */
async function ossHead(bucket: string, key: string): Promise<{ size: number; crc64: string | null }> {
  const emu = ctx.emulator!;
  const date = new Date().toUTCString();
  const signature = createHmac('sha1', emu.oss.accessKeySecret).update(`HEAD\n\n\n${date}\n/${bucket}/${key}`).digest('base64');
  const url = new URL(emu.endpoint);
  const path = '/' + key.split('/').map(encodeURIComponent).join('/');
  // The bucket goes in an OSS virtual-host Host header, the connection to the emulator's address.
  const region = emu.oss.region.startsWith('oss-') ? emu.oss.region : `oss-${emu.oss.region}`;
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'HEAD',
        path,
        headers: { host: `${bucket}.${region}.aliyuncs.com`, date, authorization: `OSS ${emu.oss.accessKeyId}:${signature}` },
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
  res.resume();
  assert.equal(res.statusCode, 200, `HEAD ${bucket}/${key}: ${res.statusCode}`);
  return { size: Number(res.headers['content-length']), crc64: (res.headers['x-oss-hash-crc64ecma'] as string | undefined) ?? null };
}

before(async function () {
  requireDemo(ctx);
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
});

describe('Append to Object… on an OSS object', () => {
  it('appends only the new bytes of a growing file, and its CRC-64 is the one the service stored', async () => {
    const key = `e2e-append/app-${Date.now()}.log`;
    const file = path.join(ctx.workspace, 'e2e-append', 'app.log');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const first = randomBytes(150_000);
    fs.writeFileSync(file, first);
    const target = { profile: OSS_PROFILE, bucket: DATA_BUCKET, key };
    const one = await vscode.commands.executeCommand<AppendResult>('bucketIntegrity.appendToObject', target, vscode.Uri.file(file));
    assert.ok(one, 'the append command returned no result');
    assert.equal(one.outcome, 'appended');
    assert.equal(one.appendedBytes, first.length);

    const more = randomBytes(70_000);
    fs.appendFileSync(file, more);
    const two = await vscode.commands.executeCommand<AppendResult>('bucketIntegrity.appendToObject', target, vscode.Uri.file(file));
    assert.ok(two);
    assert.equal(two.outcome, 'appended');
    assert.equal(two.previousSize, first.length);
    assert.equal(two.appendedBytes, more.length);
    assert.equal(two.verified, true, two.reason);

    const head = await ossHead(DATA_BUCKET, key);
    assert.equal(head.size, first.length + more.length);
    assert.equal(head.crc64, two.crc64, 'the CRC-64 the command reported is not the one the service stored');

    const again = await vscode.commands.executeCommand<AppendResult>('bucketIntegrity.appendToObject', target, vscode.Uri.file(file));
    assert.equal(again?.outcome, 'up-to-date');
  });
});
