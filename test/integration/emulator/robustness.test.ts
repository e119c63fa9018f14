import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { startEmulator } from '../../../emulator';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

// ali-oss's own signing code, to sign requests the client methods never send.
const signUtils = require('ali-oss/lib/common/signUtils') as {
  authorizationV4(
    ak: string,
    secret: string,
    region: string,
    method: string,
    req: { headers: Record<string, string>; queries: Record<string, string | null> },
    bucket?: string,
    object?: string,
  ): string;
};

let emu: Emulator;
let ossBucket: string;
let cosBucket: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  ossBucket = await makeOssBucket(emu, 'robust');
  cosBucket = await makeCosBucket(emu, 'robust');
});

afterAll(async () => {
  await emu?.close();
});

function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emu.endpoint}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function v4Date(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

describe('OSS V4 query signing', () => {
  it('accepts an empty query value signed as `k=` or as bare `k`, and rejects a changed query', async () => {
    const region = emu.oss.region.replace(/^oss-/, '');
    for (const signedValue of ['', null]) {
      const headers: Record<string, string> = {
        'x-oss-date': v4Date(),
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
        host: `${ossBucket}.${emu.oss.region}.aliyuncs.com`,
      };
      headers.authorization = signUtils.authorizationV4(
        emu.oss.accessKeyId,
        emu.oss.accessKeySecret,
        region,
        'GET',
        { headers: { ...headers }, queries: { uploads: signedValue } },
        ossBucket,
      );
      const ok = await raw('GET', '/?uploads=', headers);
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('<ListMultipartUploadsResult>');
      const tampered = await raw('GET', '/?uploads=&prefix=x', headers);
      expect(tampered.status).toBe(403);
      expect(tampered.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
  });
});

describe('bad requests get an error, never a crash', () => {
  it('answers a garbled Authorization, an anonymous request and a malformed URI', async () => {
    const host = `${ossBucket}.${emu.oss.region}.aliyuncs.com`;
    const garbled = await raw('GET', '/', { host, authorization: 'OSS4-HMAC-SHA256 nonsense' });
    expect(garbled.status).toBe(400);
    const anonymous = await raw('GET', '/', { host });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).toContain('<Code>AccessDenied</Code>');
    const cosGarbled = await raw('GET', '/', {
      host: `${cosBucket}.cos.${emu.cos.region}.myqcloud.com`,
      authorization: 'q-sign-algorithm=sha1&q-ak=x',
    });
    expect(cosGarbled.status).toBe(403);
    expect(cosGarbled.body).toMatch(/<Error>\s*<Code>AccessDenied<\/Code>[\s\S]*<Resource>[\s\S]*<RequestId>/);
    const badUri = await raw('GET', '/%E0%A4%A', { host, authorization: 'OSS a:b' });
    expect(badUri.status).toBe(400);
    expect(badUri.body).toContain('<Code>InvalidURI</Code>');
    const unsupported = await ossClient(emu, ossBucket)
      .getACL('x')
      .catch((e: { code: string }) => e);
    expect(unsupported).toMatchObject({ code: 'NotImplemented' });
    // Still serving.
    await expect(ossClient(emu, ossBucket).list({ 'max-keys': 1 }, {})).resolves.toBeTruthy();
  });

  it('deletes many objects in one request with both SDKs', async () => {
    const oss = ossClient(emu, ossBucket);
    await oss.put('multi/a', Buffer.from('a'));
    await oss.put('multi/b', Buffer.from('b'));
    const r = await oss.deleteMulti(['multi/a', 'multi/b']);
    expect(r.deleted?.map((d) => (typeof d === 'string' ? d : (d as { Key: string }).Key))).toEqual(['multi/a', 'multi/b']);
    expect((await oss.list({ prefix: 'multi/', 'max-keys': 10 }, {})).objects).toEqual([]);

    const cos = cosClient(emu);
    const base = { Bucket: cosBucket, Region: emu.cos.region };
    await cosCall(cos.putObject.bind(cos) as never, { ...base, Key: 'multi/a', Body: 'a' } as never);
    const d = (await cosCall(
      cos.deleteMultipleObject.bind(cos) as never,
      { ...base, Objects: [{ Key: 'multi/a' }, { Key: 'multi/none' }] } as never,
    )) as { Deleted: Array<{ Key: string }> };
    expect(d.Deleted.map((x) => x.Key)).toEqual(['multi/a', 'multi/none']);
  });
});

describe('a data folder outlives the process', () => {
  it('keeps objects and multipart uploads in progress across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-restart-'));
    try {
      const first = await startEmulator({ dataDir });
      await first.createBucket('oss', 'keep');
      const oss = ossClient(first, 'keep');
      await oss.put('obj', Buffer.from('kept'));
      const init = await oss.initMultipartUpload('big');
      const part = Buffer.alloc(200 * 1024, 7);
      const partFile = join(dataDir, '..', `${dataDir.split('/').pop()}-part.bin`);
      writeFileSync(partFile, part);
      const p1 = await oss.uploadPart('big', init.uploadId, 1, partFile, 0, part.length);
      rmSync(partFile);
      await first.close();

      const second = await startEmulator({ dataDir });
      try {
        const oss2 = ossClient(second, 'keep');
        expect(((await oss2.get('obj')).content as Buffer).toString()).toBe('kept');
        const done = await oss2.completeMultipartUpload('big', init.uploadId, [{ number: 1, etag: p1.etag }]);
        expect((done.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(formatCrc64(crc64(part)));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
