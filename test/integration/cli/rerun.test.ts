import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { cliEnv, useTransferEnv } from '../transfer/fixture';
import { assertCliLeftNoSecrets, runCliProcess } from './runCli';

/** Re-runs and prefixes as users type them: the CLI bundle in its own process against the emulator. */

const env = useTransferEnv();
let bundle: string;
beforeAll(async () => {
  bundle = join(await bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), 'cli.js');
});

const cli = (args: string[]) => runCliProcess(bundle, args, { cwd: env.dir, env: cliEnv(env) });

describe.each(['cos', 'oss'] as const)('re-runs and prefixes (%s)', (p: ProviderKind) => {
  const region = (q: ProviderKind): string => (q === 'cos' ? env.emu.cos.region : env.emu.oss.region);
  const flags = (): string[] => ['--endpoint', env.emu.endpoint, '--region', region(p)];
  const put = async (key: string, text: string) => (await env.store(p)).put(env.bucket[p], key, Buffer.from(text));

  it('cp -r run twice onto identical copies exits 0 the second time, sending nothing again', async () => {
    for (const name of ['a', 'b', 'c']) await put(`rerun/${name}.txt`, `object ${name}`);
    const other = p === 'cos' ? 'oss' : 'cos';
    const args = [
      'cp',
      '-r',
      `${p}://${env.bucket[p]}/rerun/`,
      `${other}://${env.bucket[other]}/rerun-from-${p}/`,
      '--endpoint',
      env.emu.endpoint,
      '--source-region',
      region(p),
      '--dest-region',
      region(other),
    ];
    const first = await cli(args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const since = Date.now();
    const again = await cli(args);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already identical/);
    expect(env.emu.requests().filter((r) => r.time >= since && (r.op === 'PutObject' || r.op === 'GetObject'))).toEqual([]);
    // An existing destination that differs is still refused.
    await (await env.store(other)).put(env.bucket[other], `rerun-from-${p}/a.txt`, Buffer.from('changed'));
    expect((await cli(args)).code).toBe(2);
  });

  it('upload run again sends nothing for files the bucket already holds (by default), and still sends a changed one', async () => {
    const dir = join(env.dir, `${p}-skip`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'same.txt'), 'same bytes');
    writeFileSync(join(dir, 'changed.txt'), 'first');
    const args = ['upload', dir, `${p}://${env.bucket[p]}/skip/`, ...flags()];
    expect((await cli(args)).code).toBe(0);
    writeFileSync(join(dir, 'changed.txt'), 'second');
    const since = Date.now();
    const again = await cli(args);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/same\.txt.*already identical/);
    expect(again.stdout).not.toMatch(/changed\.txt.*already identical/);
    expect(
      env.emu
        .requests()
        .filter((r) => r.time >= since && r.op === 'PutObject')
        .map((r) => r.key),
    ).toEqual([`skip/changed.txt`]);
    // --no-skip-identical sends every file again; --skip-identical (the default) is still accepted.
    const forced = Date.now();
    const all = await cli([...args, '--no-skip-identical']);
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stdout).not.toMatch(/already identical/);
    expect(
      env.emu
        .requests()
        .filter((r) => r.time >= forced && r.op === 'PutObject')
        .map((r) => r.key)
        .sort(),
    ).toEqual([`skip/changed.txt`, `skip/same.txt`]);
    expect((await cli([...args, '--skip-identical'])).stdout).toMatch(/same\.txt.*already identical/);
  });

  it('download cos://b/site (no trailing "/") downloads the prefix, as compare and verify read it', async () => {
    await put('site/index.html', 'index');
    await put('site/css/a.css', 'css');
    const target = join(env.dir, `${p}-site`);
    const r = await cli(['download', `${p}://${env.bucket[p]}/site`, target, ...flags()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('index');
    expect(readFileSync(join(target, 'css', 'a.css'), 'utf8')).toBe('css');
  });

  it('download onto an existing local file that differs says that it differs', async () => {
    await put('differs.txt', 'the object');
    const local = join(env.dir, `${p}-differs.txt`);
    writeFileSync(local, 'the local file');
    const r = await cli(['download', `${p}://${env.bucket[p]}/differs.txt`, local, ...flags()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/differs from the object.*--if-exists overwrite replaces it/);
    expect(readFileSync(local, 'utf8')).toBe('the local file');
  });
});

describe('the runs above', () => {
  it('left no key in their output, their folders or the emulator', async () => {
    await assertCliLeftNoSecrets({ emulator: env.emu, folders: [env.dir] });
  });
});
