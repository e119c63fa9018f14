import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { MiB } from '../../../src/transfer/planner';
import { data, opsFor, readAll, setup, type Env } from './fixture';

const { esbuildWatPlugin } = require('../../../scripts/build/wat.js') as { esbuildWatPlugin: Plugin };

let env: Env;
let cliBundle: string;
beforeAll(async () => {
  env = await setup();
  // The resume test runs the CLI as a separate process, as a user would after a crash.
  cliBundle = join(mkdtempSync(join(tmpdir(), 'bi-cli-bundle-')), 'cli.js');
  await build({
    entryPoints: ['src/cli/main.ts'],
    outfile: cliBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // As in esbuild.js: ali-oss's optional proxy support stays unbundled.
    external: ['vscode', 'proxy-agent'],
    logLevel: 'error',
    plugins: [esbuildWatPlugin],
  });
});
afterAll(async () => {
  await env?.close();
  if (cliBundle) rmSync(dirname(cliBundle), { recursive: true, force: true });
});
beforeEach(() => {
  env.emu.faults.clear();
});

function envFor(provider: ProviderKind): NodeJS.ProcessEnv {
  const c = env.connection(provider).credentials;
  return provider === 'cos'
    ? { COS_SECRET_ID: c.accessKeyId, COS_SECRET_KEY: c.secretAccessKey, BUCKET_INTEGRITY_STATE_DIR: join(env.dir, 'state') }
    : { OSS_ACCESS_KEY_ID: c.accessKeyId, OSS_ACCESS_KEY_SECRET: c.secretAccessKey, BUCKET_INTEGRITY_STATE_DIR: join(env.dir, 'state') };
}

async function cli(provider: ProviderKind, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...envFor(provider), ...extraEnv },
    cwd: env.dir,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

let counter = 0;

describe.each<ProviderKind>(['cos', 'oss'])('CLI upload / download (%s)', (provider) => {
  let store: ObjectStore;
  let bucket: string;
  let flags: string[];
  beforeAll(async () => {
    store = await env.store(provider);
    bucket = env.bucket[provider];
    flags = ['--region', env.connection(provider).region, '--endpoint', env.emu.endpoint];
  });
  const remote = (key: string): string => `${provider}://${bucket}/${key}`;

  it('uploads a file and prints the JSON report; exit 0 when verified', async () => {
    const bytes = data(3 * MiB + 11);
    const name = `${provider}-cli-${++counter}.bin`;
    env.file(name, bytes);
    const r = await cli(provider, ['upload', '--json', '--part-size', '1', '--multipart-threshold', '1', ...flags, name, remote('cli/')]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({
      files: [
        {
          path: join(env.dir, name),
          key: `cli/${name}`,
          size: bytes.length,
          parts: 4,
          crc64: formatCrc64(crc64(bytes)),
          verified: true,
          retriedParts: [],
          outcome: 'uploaded',
        },
      ],
    });
    expect((await readAll(store, bucket, `cli/${name}`)).equals(bytes)).toBe(true);
  });

  it('exits 1 and says why when the upload cannot be verified', async () => {
    const name = `${provider}-cli-${++counter}.txt`;
    env.file(name, data(100));
    env.emu.faults.add({ op: 'PutObject', action: { kind: 'omit-crc-header' } });
    const r = await cli(provider, ['upload', '--json', ...flags, name, remote(`cli/${name}`)]);
    expect(r.code).toBe(1);
    const [file] = JSON.parse(r.stdout).files;
    expect(file).toMatchObject({ verified: false, key: `cli/${name}` });
    expect(file.reason).toMatch(/no CRC-64/);
  });

  it('exits 1 with a re-sent part listed, then 0, and names re-sent parts in the report', async () => {
    const name = `${provider}-cli-${++counter}.bin`;
    const bytes = data(2 * MiB);
    env.file(name, bytes);
    env.emu.faults.add({ op: 'UploadPart', partNumber: 2, action: { kind: 'corrupt-upload' } });
    const r = await cli(provider, ['upload', '--json', '--part-size', '1', '--multipart-threshold', '1', ...flags, name, remote('cli/')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ verified: true, parts: 2, retriedParts: [2] });
    expect(r.stderr).toMatch(/Part 2 .*CRC-64 mismatch/);
  });

  it('exits 2 on usage and credential errors, printing no secret', async () => {
    env.file('x.txt', 'x');
    expect((await cli(provider, ['upload', ...flags, 'x.txt'])).code).toBe(2);
    expect((await cli(provider, ['upload', ...flags, 'x.txt', 's3://b/k'])).code).toBe(2);
    expect((await cli(provider, ['upload', ...flags, 'missing.txt', remote('k')])).code).toBe(2);
    const noKeys = await cli(provider, ['upload', ...flags, 'x.txt', remote('k')], {
      COS_SECRET_ID: '',
      COS_SECRET_KEY: '',
      OSS_ACCESS_KEY_ID: '',
      OSS_ACCESS_KEY_SECRET: '',
    });
    expect(noKeys.code).toBe(2);
    const wrongSecret = provider === 'cos' ? { COS_SECRET_KEY: 'wrong-secret-value' } : { OSS_ACCESS_KEY_SECRET: 'wrong-secret-value' };
    const rejected = await cli(provider, ['upload', ...flags, 'x.txt', remote('k')], wrongSecret);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr + rejected.stdout).not.toContain('wrong-secret-value');
  });

  it('refuses bad option values and a folder sent to a single key, pointing at the usage, exit 2', async () => {
    env.file('x.txt', 'x');
    mkdirSync(join(env.dir, 'a-folder'), { recursive: true });
    const bad = [
      ['upload', '--on-cancel', 'later', ...flags, 'x.txt', remote('k')],
      ['upload', '--part-size', '0', ...flags, 'x.txt', remote('k')],
      ['upload', '--concurrency', 'many', ...flags, 'x.txt', remote('k')],
      ['upload', ...flags, 'a-folder', remote('not-a-prefix')],
      ['download', '--if-exists', 'sometimes', ...flags, remote('k'), 'out'],
      ['download', ...flags, remote('k')],
    ];
    for (const args of bad) {
      const r = await cli(provider, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Run "bucket-integrity (upload|download) --help" for its options/);
    }
    const help = await cli(provider, ['upload', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--part-size <MiB>/);
  });

  // SIGINT is Ctrl+C (the upload is paused and kept); SIGKILL stands for a crash.
  it.each(['SIGINT', 'SIGKILL'] as const)('resumes in a new process after the first one got %s mid-upload', async (signal) => {
    const name = `${provider}-crash-${++counter}.bin`;
    const bytes = data(8 * MiB);
    env.file(name, bytes);
    const key = `cli/crash/${name}`;
    const stateDir = join(env.dir, `state-crash-${counter}`);
    const args = ['upload', '--json', '--part-size', '1', '--multipart-threshold', '1', '--concurrency', '1', ...flags, name, remote(key)];
    const childEnv = { ...process.env, ...envFor(provider), BUCKET_INTEGRITY_STATE_DIR: stateDir };
    const checkpointFolder = join(stateDir, 'checkpoints');
    const partsInCheckpoint = (): number => {
      if (!existsSync(checkpointFolder)) return 0;
      const f = readdirSync(checkpointFolder).find((n) => n.endsWith('.json'));
      if (!f) return 0;
      try {
        return JSON.parse(readFileSync(join(checkpointFolder, f), 'utf8')).parts.length;
      } catch {
        return 0;
      }
    };

    env.emu.faults.add({ key, op: 'UploadPart', times: Infinity, action: { kind: 'delay', ms: 150 } });
    const first = spawn(process.execPath, [cliBundle, ...args], { cwd: env.dir, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let firstStderr = '';
    first.stderr.on('data', (d) => (firstStderr += d));
    const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    while (partsInCheckpoint() < 3) await new Promise((r) => setTimeout(r, 20));
    first.kill(signal);
    const firstCode = await exited;
    if (signal === 'SIGINT') {
      expect(firstCode).toBe(130);
      expect(firstStderr).toMatch(/Upload paused\. Run the same command again to resume it\./);
    }
    env.emu.faults.clear();
    const kept = partsInCheckpoint();
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(8);
    expect(opsFor(env.emu, key)).not.toContain('CompleteMultipartUpload');

    // The killed process's last request may still be logged when the server notices; count from here on.
    const secondStarted = Date.now();
    const second = spawn(process.execPath, [cliBundle, ...args], { cwd: env.dir, env: childEnv });
    let stdout = '';
    let stderr = '';
    second.stdout.on('data', (d) => (stdout += d));
    second.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => second.on('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).files[0]).toMatchObject({ verified: true, parts: 8, crc64: formatCrc64(crc64(bytes)) });
    expect(stderr).toMatch(/Resuming/);
    const ops = opsFor(env.emu, key, secondStarted);
    expect(ops).not.toContain('InitiateMultipartUpload');
    expect(ops).toContain('ListParts');
    expect(ops.filter((op) => op === 'UploadPart').length).toBe(8 - kept);
    expect(partsInCheckpoint()).toBe(0);
    expect((await readAll(store, bucket, key)).equals(bytes)).toBe(true);
  });

  it('downloads with verification; exit 1 and no file when the body stays corrupt', async () => {
    const bytes = data(50_000);
    const key = `cli/dl/${++counter}.bin`;
    await store.put(bucket, key, bytes);
    const out = join(env.dir, `dl-${counter}`);
    mkdirSync(out);
    const ok = await cli(provider, ['download', '--json', ...flags, remote(key), `dl-${counter}/`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).files[0]).toMatchObject({ key, verified: true, outcome: 'downloaded', crc64: formatCrc64(crc64(bytes)) });
    expect(readFileSync(join(out, `${counter}.bin`)).equals(bytes)).toBe(true);

    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'corrupt-download' } });
    const bad = await cli(provider, ['download', '--json', ...flags, remote(key), `dl-${counter}/copy.bin`]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).files[0]).toMatchObject({ verified: false, outcome: 'failed' });
    expect(readdirSync(out)).toEqual([`${counter}.bin`]);
  });

  it('downloads a prefix, refusing a "../" key; exit 1', async () => {
    const prefix = `cli/tree${++counter}/`;
    await store.put(bucket, `${prefix}a.txt`, Buffer.from('a'));
    await env.emu.putLegacyObject(provider, bucket, `${prefix}../../evil.txt`, 'evil');
    const r = await cli(provider, ['download', '--json', ...flags, remote(prefix), `tree-${counter}`]);
    expect(r.code).toBe(1);
    const files = JSON.parse(r.stdout).files;
    expect(files).toHaveLength(2);
    expect(files.find((f: { outcome: string }) => f.outcome === 'failed').reason).toMatch(/Refused/);
    expect(readFileSync(join(env.dir, `tree-${counter}`, 'a.txt'), 'utf8')).toBe('a');
    expect(existsSync(join(env.dir, 'evil.txt'))).toBe(false);
    expect(existsSync(join(env.dir, '..', 'evil.txt'))).toBe(false);
  });
  it('accepts --part-retries 0 (the setting allows 0)', async () => {
    const name = `${provider}-cli-${++counter}.bin`;
    env.file(name, data(2 * MiB));
    const r = await cli(provider, [
      'upload',
      '--json',
      '--part-retries',
      '0',
      '--part-size',
      '1',
      '--multipart-threshold',
      '1',
      ...flags,
      name,
      remote('cli/'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ verified: true, parts: 2 });
  });

  it('keeps an existing file rather than replace it with unverified bytes, unless --allow-unverified', async () => {
    const key = `cli/legacy/${++counter}.txt`;
    await env.emu.putLegacyObject(provider, bucket, key, 'no crc');
    const local = `legacy-${counter}.txt`;
    env.file(local, 'precious');
    const kept = await cli(provider, ['download', '--json', '--if-exists', 'overwrite', ...flags, remote(key), local]);
    expect(kept.code).toBe(1);
    const [file] = JSON.parse(kept.stdout).files;
    expect(file).toMatchObject({ outcome: 'skipped', verified: false });
    expect(file.reason).toMatch(/--allow-unverified/);
    expect(readFileSync(join(env.dir, local), 'utf8')).toBe('precious');
    const replaced = await cli(provider, [
      'download',
      '--json',
      '--if-exists',
      'overwrite',
      '--allow-unverified',
      ...flags,
      remote(key),
      local,
    ]);
    expect(replaced.code).toBe(1);
    expect(JSON.parse(replaced.stdout).files[0]).toMatchObject({ outcome: 'downloaded', verified: false });
    expect(readFileSync(join(env.dir, local), 'utf8')).toBe('no crc');
  });

  it('escapes newlines and control characters in keys, so no key can forge a line of the text output', async () => {
    const prefix = `cli/odd${++counter}/`;
    const forged = 'evil\nverified      forged.txt';
    await store.put(bucket, prefix + forged, Buffer.from('odd'));
    await store.put(bucket, `${prefix}plain.txt`, Buffer.from('plain'));
    const r = await cli(provider, ['download', ...flags, remote(prefix), `odd-${counter}`]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => l.startsWith('verified      forged'))).toBe(false);
    expect(r.stdout).toContain('evil\\nverified');
    expect(readFileSync(join(env.dir, `odd-${counter}`, forged), 'utf8')).toBe('odd');
  });
  it('a missing bucket is a missing bucket for a single download too: exit 2, and it says so', async () => {
    const missing = provider === 'cos' ? `no-such-bucket-${env.emu.cos.appId}` : 'no-such-bucket-oss';
    const r = await cli(provider, ['download', ...flags, `${provider}://${missing}/some/key.txt`, `missing-${++counter}.txt`]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/bucket/i);
    expect(r.stderr).not.toMatch(/object does not exist/i);
    expect(existsSync(join(env.dir, `missing-${counter}.txt`))).toBe(false);
  });
});
