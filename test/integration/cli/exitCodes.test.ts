import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import type { ProviderKind } from '../../../src/storage/types';
import type { FaultRule } from '../../../emulator';
import { bundleForTest } from '../../support/bundle';
import { cliEnv, useTransferEnv } from '../transfer/fixture';
import { assertCliLeftNoSecrets, recordCliRun, runCliProcess } from './runCli';

/**
 * The one exit-code table (docs/cli-exit-codes.md), command by command, on both clouds: 0 all verified,
 * 1 a data problem found, 2 could not check (usage, keys, access denied, a missing bucket), 130 cancelled.
 */

const env = useTransferEnv();
let bundle: string;
beforeAll(async () => {
  bundle = join(await bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), 'cli.js');
});

const keys = (): NodeJS.ProcessEnv => cliEnv(env);

/** The CLI bundle in its own process, as users run it; with a signal, in this process (to cancel it). */
async function cli(args: string[], signal?: AbortSignal): Promise<{ code: number | null; out: string }> {
  if (!signal) {
    const r = await runCliProcess(bundle, args, { cwd: env.dir, env: keys() });
    return { code: r.code, out: r.stdout + r.stderr };
  }
  let out = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), env: keys(), cwd: env.dir, signal };
  const code = await runCli(args, io);
  recordCliRun(args, io.env, { stdout: out, stderr: '' });
  return { code, out };
}

/** Runs the command and expects its exit status, showing what it said when it differs. */
async function exits(args: string[], code: number, signal?: AbortSignal): Promise<string> {
  const r = await cli(args, signal);
  expect(r.code, `${args.join(' ')}\n${r.out}`).toBe(code);
  return r.out;
}

const denied = (p: ProviderKind, op?: FaultRule['op']): FaultRule => ({
  dialect: p,
  ...(op ? { op } : {}),
  times: Infinity,
  action: { kind: 'status', status: 403, code: 'AccessDenied' },
});

describe.each(['cos', 'oss'] as const)('exit codes on %s', (p: ProviderKind) => {
  const remote = (key: string) => [
    `${p}://${env.bucket[p]}/${key}`,
    '--endpoint',
    env.emu.endpoint,
    '--region',
    p === 'cos' ? env.emu.cos.region : env.emu.oss.region,
  ];
  const folder = (name: string, files: Record<string, string>): string => {
    const dir = join(env.dir, `${p}-${name}`);
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    return dir;
  };
  const put = async (key: string, text: string) => (await env.store(p)).put(env.bucket[p], key, Buffer.from(text));

  it('upload: 0 verified, 2 access denied (was 1), 2 usage, 130 cancelled', async () => {
    const file = env.file(`${p}-up.txt`, 'upload me');
    const [url, ...flags] = remote('exit/up.txt');
    await exits(['upload', file, url, ...flags], 0);
    env.emu.faults.add(denied(p, 'PutObject'));
    // The object is already identical: only a forced upload sends a PUT to be denied.
    expect(await exits(['upload', '--no-skip-identical', file, url, ...flags], 2)).toMatch(/denied/i);
    env.emu.faults.clear();
    await exits(['upload', '--no-such-flag', file, url, ...flags], 2);
    await exits(['upload', file, url, ...flags], 130, AbortSignal.abort());
  });

  it('download: 0 verified, 1 a body short on every attempt (was 2), 2 access denied', async () => {
    await put('exit/down.txt', 'download me, all of me, every byte of me');
    const [url, ...flags] = remote('exit/down.txt');
    await exits(['download', url, join(env.dir, `${p}-down-ok.txt`), ...flags], 0);
    env.emu.faults.add({ dialect: p, op: 'GetObject', times: Infinity, action: { kind: 'truncate-download' } });
    const short = await cli(['download', url, join(env.dir, `${p}-down-short.txt`), ...flags]);
    expect(short.code, short.out).toBe(1);
    env.emu.faults.clear();
    env.emu.faults.add(denied(p, 'GetObject'));
    await exits(['download', url, join(env.dir, `${p}-down-denied.txt`), ...flags], 2);
  });

  it('compare: 0 match, 1 differs, 2 access denied', async () => {
    await put('exit/cmp/a.txt', 'same');
    const [url, ...flags] = remote('exit/cmp/');
    await exits(['compare', folder('cmp-same', { 'a.txt': 'same' }), url, ...flags], 0);
    await exits(['compare', folder('cmp-diff', { 'a.txt': 'diff' }), url, ...flags], 1);
    env.emu.faults.add(denied(p, 'HeadObject'));
    await exits(['compare', folder('cmp-same', { 'a.txt': 'same' }), url, ...flags], 2);
  });

  it('verify: 0 match, 1 differs from the local folder, 2 access denied', async () => {
    await put('exit/ver/a.txt', 'kept');
    const [url, ...flags] = remote('exit/ver/');
    await exits(['verify', url, folder('ver-same', { 'a.txt': 'kept' }), ...flags], 0);
    await exits(['verify', url, folder('ver-diff', { 'a.txt': 'lost' }), ...flags], 1);
    env.emu.faults.add(denied(p));
    await exits(['verify', url, ...flags], 2);
  });

  it('cp: 0 verified, 1 not verified (a source without CRC-64), 2 access denied on the object (was 1)', async () => {
    await put('exit/cp.txt', 'copy me');
    await env.emu.putLegacyObject(p, env.bucket[p], 'exit/legacy.txt', 'old');
    const [src, ...flags] = remote('exit/cp.txt');
    const to = (key: string) => `${p}://${env.bucket[p]}/${key}`;
    await exits(['cp', src, to('exit/cp-copy.txt'), ...flags], 0);
    await exits(['cp', to('exit/legacy.txt'), to('exit/legacy-copy.txt'), ...flags], 1);
    env.emu.faults.add(denied(p, 'HeadObject'));
    const r = await cli(['cp', src, to('exit/cp-denied.txt'), ...flags]);
    expect(r.code, r.out).toBe(2);
  });

  it('crc64 (local): 0 read, 2 a missing file', async () => {
    await exits(['crc64', env.file(`${p}-c.txt`, 'x')], 0);
    await exits(['crc64', join(env.dir, 'no-such-file')], 2);
  });
});

describe('exit codes of append (OSS)', () => {
  it('0 appended and verified, 1 a local file that is not the object, 2 access denied', async () => {
    const url = `oss://${env.bucket.oss}/exit/app.log`;
    const flags = ['--endpoint', env.emu.endpoint, '--region', env.emu.oss.region];
    await exits(['append', env.file('app.log', 'line 1\n'), url, ...flags], 0);
    await exits(['append', env.file('other.log', 'other 1\nmore\n'), url, ...flags], 1);
    env.emu.faults.add(denied('oss'));
    await exits(['append', env.file('app.log', 'line 1\nline 2\n'), url, ...flags], 2);
  });
});

describe('any command', () => {
  it('exits 2 for an unknown command, and says an unexpected error in one line without a stack', async () => {
    await exits(['no-such-command'], 2);
    // A remote whose endpoint cannot be reached at all: could not check.
    const r = await cli([
      'compare',
      env.dir,
      'cos://b-1250000000/x/',
      '--region',
      'ap-guangzhou',
      '--endpoint',
      'http://127.0.0.1:1',
      '--timeout',
      '2',
    ]);
    expect(r.code).toBe(2);
    expect(r.out).not.toMatch(/\n\s+at /);
  });
});

describe('after every command above', () => {
  it('left no key in their output, their folders or the emulator', async () => {
    await assertCliLeftNoSecrets({ emulator: env.emu, folders: [env.dir] });
  });
});
