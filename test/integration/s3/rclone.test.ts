import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { makeTempDir } from '../../support/tempDir';

/**
 * An S3 client from outside the project: Debian's rclone (`apt-get install -y rclone`, installed by .ci/run)
 * copies, lists, checks and deletes through the S3-compatible API both services offer, signed with AWS
 * Signature V4, against each emulator dialect, path style and virtual-host style. Virtual-host names
 * (`<bucket>.cos.<region>.myqcloud.com`, `<bucket>.oss-<region>.aliyuncs.com`) reach the emulator through
 * rclone's HTTP proxy setting, so the requests carry the services' real Host headers.
 */

const RCLONE = 'rclone';

function requireRclone(): void {
  const probe = spawnSync(RCLONE, ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'rclone is not installed. Install it with `apt-get install -y rclone` (Debian; .ci/run does this) and run the tests again.',
    );
  }
}

let emu: Emulator;
let tmp: ReturnType<typeof makeTempDir>;
let config: string;

beforeAll(async () => {
  requireRclone();
  emu = await startTestEmulator();
  tmp = makeTempDir('bi-rclone-');
  const remote = (name: string, ak: string, sk: string, region: string, endpoint: string, pathStyle: boolean) =>
    [
      `[${name}]`,
      'type = s3',
      'provider = Other',
      `access_key_id = ${ak}`,
      `secret_access_key = ${sk}`,
      `region = ${region}`,
      `endpoint = ${endpoint}`,
      `force_path_style = ${pathStyle}`,
      'no_check_bucket = true',
      '',
    ].join('\n');
  config = join(tmp.dir, 'rclone.conf');
  writeFileSync(
    config,
    [
      remote('cos', emu.cos.secretId, emu.cos.secretKey, emu.cos.region, emu.endpoint, true),
      remote('cosvh', emu.cos.secretId, emu.cos.secretKey, emu.cos.region, `http://cos.${emu.cos.region}.myqcloud.com`, false),
      remote('oss', emu.oss.accessKeyId, emu.oss.accessKeySecret, emu.oss.region.replace(/^oss-/, ''), emu.endpoint, true),
      remote(
        'ossvh',
        emu.oss.accessKeyId,
        emu.oss.accessKeySecret,
        emu.oss.region.replace(/^oss-/, ''),
        `http://${emu.oss.region}.aliyuncs.com`,
        false,
      ),
    ].join('\n'),
  );
});
afterAll(async () => {
  tmp?.cleanup();
  await emu?.close();
});

function rclone(args: string[], proxy: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  // The AWS SDK inside rclone loads AWS_CA_BUNDLE even for plain http, and fails on it: the emulator speaks http only.
  const { AWS_CA_BUNDLE: _ca, ...rest } = process.env;
  const env = { ...rest, HTTP_PROXY: proxy ? emu.endpoint : '', http_proxy: proxy ? emu.endpoint : '', NO_PROXY: '', no_proxy: '' };
  return new Promise((resolve) => {
    execFile(
      RCLONE,
      ['--config', config, '--retries', '1', '--low-level-retries', '1', ...args],
      { env, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const FILES: Record<string, string> = {
  'a.txt': 'alpha\n',
  'sub/b c+d.txt': 'bravo '.repeat(1000),
  'sub/数据.bin': 'delta',
  empty: '',
};

describe.each([
  { remote: 'cos', proxy: false, style: 'path style' },
  { remote: 'cosvh', proxy: true, style: 'virtual-host style' },
  { remote: 'oss', proxy: false, style: 'path style' },
  { remote: 'ossvh', proxy: true, style: 'virtual-host style' },
])('rclone against the emulator: $remote ($style)', ({ remote, proxy }) => {
  it('copies, lists, checks, links (presigned) and deletes', async () => {
    const bucket = remote.startsWith('cos') ? await makeCosBucket(emu, 'rclone') : await makeOssBucket(emu, 'rclone');
    const local = join(tmp.dir, `${remote}-src`);
    for (const [k, v] of Object.entries(FILES)) {
      mkdirSync(join(local, k, '..'), { recursive: true });
      writeFileSync(join(local, k), v);
    }
    const target = `${remote}:${bucket}/dir`;
    const copy = await rclone(['copy', local, target], proxy);
    expect(copy.stderr, 'rclone copy').toBe('');
    expect(copy.code).toBe(0);
    const listed = await rclone(['lsf', '-R', '--files-only', target], proxy);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').sort()).toEqual(Object.keys(FILES).sort());
    // Sizes and MD5s (the ETags of single-part uploads) against the local files.
    const check = await rclone(['check', local, target], proxy);
    expect(check.code, check.stderr).toBe(0);
    // Every request was served (rclone's HEAD of "dir", to see whether it is a file, is the one 404 it expects).
    expect(emu.requests().filter((r) => r.bucket === bucket && r.status >= 400 && !(r.status === 404 && r.key === 'dir'))).toEqual([]);
    expect(emu.requests().filter((r) => r.bucket === bucket && r.op === 'PutObject')).toHaveLength(Object.keys(FILES).length);
    // A presigned GET (X-Amz-Signature in the query), fetched without rclone.
    if (!proxy) {
      const link = await rclone(['link', '--expire', '10m', `${target}/sub/b c+d.txt`], proxy);
      expect(link.code, link.stderr).toBe(0);
      const res = await fetch(link.stdout.trim());
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(join(local, 'sub/b c+d.txt')));
      const tampered = await fetch(link.stdout.trim().replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'));
      expect(tampered.status).toBe(403);
    }
    const del = await rclone(['delete', target], proxy);
    expect(del.code, del.stderr).toBe(0);
    const after = await rclone(['lsf', '-R', target], proxy);
    expect(after.stdout.trim()).toBe('');
  });
});
