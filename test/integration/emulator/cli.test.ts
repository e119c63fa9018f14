import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OSS from 'ali-oss';
import COS from 'cos-nodejs-sdk-v5';
import { bundleForTest } from '../../support/bundle';

/** The emulator's command line, bundled the way `npm run build` does and run as its own process. */

let dir: string;
let bundle: string;
let out: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
  out = await bundleForTest(['emulator/cli.ts']);
  bundle = join(out, 'emulator.js');
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (out) rmSync(out, { recursive: true, force: true });
});

interface Banner {
  port: number;
  endpoint: string;
  cos: { secretId: string; secretKey: string; appId: string; region: string };
  oss: { accessKeyId: string; accessKeySecret: string; region: string };
}

function run(args: string[]): Promise<{ child: ChildProcess; banner: Banner }> {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, banner: JSON.parse(line) as Banner }));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

describe('node dist/emulator.js', () => {
  it('prints port and credentials as one JSON line, serves both SDKs, keeps data in --data, stops on SIGTERM', async () => {
    const data = join(dir, 'data');
    const seed = join(dir, 'seed.js');
    writeFileSync(
      seed,
      "exports.seed = async (emu) => { await emu.createBucket('oss', 'seeded'); await emu.putLegacyObject('oss', 'seeded', 'old.txt', 'legacy'); };",
    );
    const { child, banner } = await run(['--port', '0', '--data', data, '--seed', seed, '--cos-app-id', '1300000000']);
    expect(banner.port).toBeGreaterThan(0);
    expect(banner.endpoint).toBe(`http://127.0.0.1:${banner.port}`);
    expect(banner.cos.appId).toBe('1300000000');

    const oss = new OSS({
      endpoint: banner.endpoint,
      accessKeyId: banner.oss.accessKeyId,
      accessKeySecret: banner.oss.accessKeySecret,
      region: banner.oss.region,
      bucket: 'seeded',
    });
    const head = await oss.head('old.txt');
    expect((head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBeUndefined();

    const cos = new COS({
      SecretId: banner.cos.secretId,
      SecretKey: banner.cos.secretKey,
      Protocol: 'http:',
      Ip: `127.0.0.1:${banner.port}`,
      AutoSwitchHost: false,
    } as COS.COSOptions);
    const Bucket = `cli-${banner.cos.appId}`;
    await new Promise((res, rej) => cos.putBucket({ Bucket, Region: banner.cos.region }, (e) => (e ? rej(e) : res(null))));

    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
    // The data folder given on the command line stays, with both buckets in it.
    expect(readdirSync(join(data, 'oss'))).toContain('seeded');
    expect(existsSync(join(data, 'cos', Bucket))).toBe(true);

    // A restart on the same folder serves the same objects.
    const again = await run(['--port', '0', '--data', data]);
    const oss2 = new OSS({
      endpoint: again.banner.endpoint,
      accessKeyId: again.banner.oss.accessKeyId,
      accessKeySecret: again.banner.oss.accessKeySecret,
      region: again.banner.oss.region,
      bucket: 'seeded',
    });
    expect(((await oss2.get('old.txt')).content as Buffer).toString()).toBe('legacy');
    again.child.kill('SIGTERM');
    expect(await exitCode(again.child)).toBe(0);
  });

  it('rejects unknown flags with exit code 2', async () => {
    const child = spawn(process.execPath, [bundle, '--bogus'], { stdio: 'ignore' });
    children.push(child);
    expect(await exitCode(child)).toBe(2);
  });
  it('creates the buckets named by --bucket (COS by its APPID suffix or cos:, OSS otherwise), listed by both SDKs', async () => {
    const { child, banner } = await run([
      '--port',
      '0',
      '--bucket',
      'photos-1250000000',
      '--bucket',
      'logs',
      '--bucket',
      'oss:archive-1250000000',
      '--bucket',
      'cos:site-1250000000',
    ]);
    const cos = new COS({
      SecretId: banner.cos.secretId,
      SecretKey: banner.cos.secretKey,
      Protocol: 'http:',
      Ip: `127.0.0.1:${banner.port}`,
      AutoSwitchHost: false,
    } as COS.COSOptions);
    const cosNames = await new Promise<string[]>((res, rej) =>
      cos.getService({}, (e, data) => (e ? rej(e) : res(data.Buckets.map((b) => b.Name)))),
    );
    expect(cosNames.sort()).toEqual(['photos-1250000000', 'site-1250000000']);
    const oss = new OSS({
      endpoint: banner.endpoint,
      accessKeyId: banner.oss.accessKeyId,
      accessKeySecret: banner.oss.accessKeySecret,
      region: banner.oss.region,
    });
    const listed = (await oss.listBuckets({})) as unknown as { buckets: Array<{ name: string }> };
    expect(listed.buckets.map((b) => b.name).sort()).toEqual(['archive-1250000000', 'logs']);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('refuses a --bucket name the service would refuse, naming the rule, with exit code 2', async () => {
    for (const bad of ['cos:photos', 'Logs', 'cos:-x-1250000000', 'ab']) {
      const child = spawn(process.execPath, [bundle, '--port', '0', '--bucket', bad], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      expect(await exitCode(child), bad).toBe(2);
      expect(stderr).toContain(`--bucket ${bad}: not a valid`);
      expect(stderr).toContain('lowercase letters, digits and hyphens');
    }
  });

  it('documents --bucket in --help', async () => {
    const child = spawn(process.execPath, [bundle, '--help'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    expect(await exitCode(child)).toBe(0);
    expect(stdout).toMatch(/--bucket \[cos:\|oss:\]NAME/);
  });
});
