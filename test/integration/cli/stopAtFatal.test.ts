import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { cliEnv, useTransferEnv } from '../transfer/fixture';
import { assertCliLeftNoSecrets, runCliProcess } from './runCli';

/**
 * An error that would fail every file (keys rejected, access denied, a missing bucket) stops a folder
 * transfer at the first one: one clear message and exit 2, not one FAILED line per file. The CLI bundle
 * in its own process, as users run it.
 */

const env = useTransferEnv();
let bundle: string;
beforeAll(async () => {
  bundle = join(await bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), 'cli.js');
});

const FILES = 8;

async function cli(
  args: string[],
  keys: NodeJS.ProcessEnv = cliEnv(env),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliProcess(bundle, args, { cwd: env.dir, env: keys });
}

/** Exit 2, no FAILED line, and the cause said once. */
function expectOneMessage(r: { code: number | null; stdout: string; stderr: string }, cause: RegExp): void {
  const out = r.stdout + r.stderr;
  expect(r.code, out).toBe(2);
  expect(out).not.toMatch(/FAILED/);
  expect(out).toMatch(cause);
  expect(out.match(/^bucket-integrity /gm)?.length, out).toBe(1);
  expect(out.split('\n').filter(Boolean).length, out).toBeLessThanOrEqual(3);
}

describe.each(['cos', 'oss'] as const)('a folder transfer stops at an error that fails every file (%s)', (p: ProviderKind) => {
  const region = (q: ProviderKind): string => (q === 'cos' ? env.emu.cos.region : env.emu.oss.region);
  const flags = (): string[] => ['--endpoint', env.emu.endpoint, '--region', region(p)];
  const folder = (): string => {
    const dir = join(env.dir, `${p}-fatal`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `f${i}.txt`), `file ${i}`);
    return dir;
  };
  const puts = (since: number): number => env.emu.requests().filter((r) => r.time >= since && r.op === 'PutObject').length;

  it('upload to a missing bucket: one message naming the bucket, exit 2, not a request per file', async () => {
    const since = Date.now();
    const missing = p === 'cos' ? 'no-such-bucket-1250000000' : 'no-such-bucket-here';
    const r = await cli(['upload', folder(), `${p}://${missing}/site/`, ...flags()]);
    expectOneMessage(r, /does not exist|no such bucket|NoSuchBucket/gi);
    expect(puts(since)).toBeLessThan(FILES);
  });

  it('upload with rejected keys: one message, exit 2', async () => {
    const since = Date.now();
    const bad =
      p === 'cos' ? { ...cliEnv(env), COS_SECRET_KEY: 'wrong-secret' } : { ...cliEnv(env), OSS_ACCESS_KEY_SECRET: 'wrong-secret' };
    const r = await cli(['upload', folder(), `${p}://${env.bucket[p]}/fatal-keys/`, ...flags()], bad);
    expectOneMessage(r, /rejected|signature|credentials/gi);
    expect(puts(since)).toBeLessThan(FILES);
  });

  it('download of a prefix whose objects are denied: one message, exit 2', async () => {
    const store = await env.store(p);
    for (let i = 0; i < FILES; i++) await store.put(env.bucket[p], `fatal-down/f${i}.txt`, Buffer.from(`object ${i}`));
    env.emu.faults.add({ dialect: p, op: 'GetObject', times: Infinity, action: { kind: 'status', status: 403, code: 'AccessDenied' } });
    const since = Date.now();
    const r = await cli(['download', `${p}://${env.bucket[p]}/fatal-down/`, join(env.dir, `${p}-fatal-down`), ...flags()]);
    expectOneMessage(r, /denied/gi);
    expect(env.emu.requests().filter((q) => q.time >= since && q.op === 'GetObject').length).toBeLessThan(FILES);
  });

  it('cp -r onto a destination that denies writes: one message, exit 2', async () => {
    const store = await env.store(p);
    for (let i = 0; i < FILES; i++) await store.put(env.bucket[p], `fatal-cp/f${i}.txt`, Buffer.from(`object ${i}`));
    const other = p === 'cos' ? 'oss' : 'cos';
    env.emu.faults.add({ dialect: other, op: 'PutObject', times: Infinity, action: { kind: 'status', status: 403, code: 'AccessDenied' } });
    const r = await cli([
      'cp',
      '--recursive',
      `${p}://${env.bucket[p]}/fatal-cp/`,
      `${other}://${env.bucket[other]}/fatal-cp-from-${p}/`,
      '--endpoint',
      env.emu.endpoint,
      '--source-region',
      region(p),
      '--dest-region',
      region(other),
    ]);
    expectOneMessage(r, /denied/gi);
  });
});

describe('the runs above', () => {
  it('left no key in their output, their folders or the emulator', async () => {
    await assertCliLeftNoSecrets({ emulator: env.emu, folders: [env.dir] });
  });
});
