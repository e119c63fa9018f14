import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { newCustomerKey, putWithState } from '../../support/objectState';
import { cliEnv, useTransferEnv } from '../transfer/fixture';
import { assertCliLeftNoSecrets, runCliProcess } from './runCli';

/**
 * `--restore` on download and cp, and SSE-C objects read with BUCKET_INTEGRITY_SSE_C_KEY: archived and
 * encrypted objects written by the vendors' SDKs, the CLI bundle in its own process as users run it.
 */

const env = useTransferEnv();
let bundle: string;
beforeAll(async () => {
  bundle = join(await bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), 'cli.js');
});

const ARCHIVE = { cos: 'ARCHIVE', oss: 'ColdArchive' } as const;
const body = 'bytes kept in the cold\n'.repeat(30);

describe.each(['cos', 'oss'] as const)('%s: archived objects and customer keys on the command line', (p: ProviderKind) => {
  const flags = (): string[] => ['--endpoint', env.emu.endpoint, '--region', p === 'cos' ? env.emu.cos.region : env.emu.oss.region];
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    runCliProcess(bundle, [...args, ...flags()], { cwd: env.dir, env: { ...cliEnv(env), ...extra } });
  const out = (name: string): string => join(env.dir, `${p}-${name}`);
  const leftovers = (name: string): string[] => readdirSync(env.dir).filter((f) => f.startsWith(`${p}-${name}`));

  it('download of an archived object without --restore: says to restore it, writes nothing', async () => {
    await putWithState(env.emu, p, env.bucket[p], 'cold/a.txt', body, { storageClass: ARCHIVE[p] });
    const r = await cli(['download', `${p}://${env.bucket[p]}/cold/a.txt`, out('plain.txt')]);
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/archive storage class and must be restored/);
    expect(r.stdout + r.stderr).not.toMatch(/\b403\b|Forbidden/);
    expect(leftovers('plain')).toEqual([]);
  });

  it('download --restore: restores, waits, downloads and verifies', async () => {
    env.emu.setRestoreTiming({ delayMs: 400, dayMs: 60_000 });
    await putWithState(env.emu, p, env.bucket[p], 'cold/b.txt', body, { storageClass: ARCHIVE[p] });
    const r = await cli([
      'download',
      '--restore',
      '--restore-tier',
      'Expedited',
      '--restore-poll',
      '0.1',
      `${p}://${env.bucket[p]}/cold/b.txt`,
      out('restored.txt'),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cold\/b\.txt: archived, restore requested \(Expedited, 1 day\)/);
    expect(r.stderr).toMatch(/cold\/b\.txt: restored, readable until \d{4}-/);
    expect(readFileSync(out('restored.txt'), 'utf8')).toBe(body);
  });

  it('a restore that expires before the download can read it: a clear message, nothing written', async () => {
    env.emu.setRestoreTiming({ delayMs: 100, dayMs: 1 });
    await putWithState(env.emu, p, env.bucket[p], 'cold/c.txt', body, { storageClass: ARCHIVE[p] });
    const r = await cli(['download', '--restore', '--restore-poll', '0.3', `${p}://${env.bucket[p]}/cold/c.txt`, out('expired.txt')]);
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/restored copy of cold\/c\.txt .* expired before it could be read in full/);
    expect(existsSync(out('expired.txt'))).toBe(false);
    expect(leftovers('expired')).toEqual([]);
  });

  it('cp --restore of an archived source: restored first, then copied and verified', async () => {
    env.emu.setRestoreTiming({ delayMs: 200, dayMs: 60_000 });
    await putWithState(env.emu, p, env.bucket[p], 'cold/d.txt', body, { storageClass: ARCHIVE[p] });
    const src = `${p}://${env.bucket[p]}/cold/d.txt`;
    const refused = await cli(['cp', src, `${p}://${env.bucket[p]}/warm/d0.txt`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/must be restored/);
    const r = await cli(['cp', '--restore', '--restore-poll', '0.1', src, `${p}://${env.bucket[p]}/warm/d.txt`]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await (await env.store(p)).head(env.bucket[p], 'warm/d.txt')).size).toBe(body.length);
  });

  it('bad restore options are usage errors (exit 2)', async () => {
    for (const args of [
      ['--restore-days', '2'],
      ['--restore', '--restore-days', '0'],
      ['--restore', '--restore-tier', 'Fast'],
    ]) {
      const r = await cli(['download', ...args, `${p}://${env.bucket[p]}/cold/b.txt`, out('usage.txt')]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--restore/);
    }
  });

  it('SSE-C: without the key "set it to check"; with another key named as wrong; with the key verified', async () => {
    const key = newCustomerKey();
    await putWithState(env.emu, p, env.bucket[p], 'enc/a.txt', body, { customerKey: key });
    const url = `${p}://${env.bucket[p]}/enc/a.txt`;
    const none = await cli(['download', url, out('enc0.txt')]);
    expect(none.code).not.toBe(0);
    expect(none.stdout + none.stderr).toMatch(/encrypted with a customer key \(SSE-C\): set it to check/);
    const wrong = await cli(['download', url, out('enc1.txt')], { BUCKET_INTEGRITY_SSE_C_KEY: newCustomerKey() });
    expect(wrong.stdout + wrong.stderr).toMatch(/customer key \(SSE-C\) is not the one the object was encrypted with/);
    const bad = await cli(['download', url, out('enc2.txt')], { BUCKET_INTEGRITY_SSE_C_KEY: 'not-a-key' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/BUCKET_INTEGRITY_SSE_C_KEY: A customer key \(SSE-C\) is 32 bytes/);
    const good = await cli(['download', url, out('enc3.txt')], { BUCKET_INTEGRITY_SSE_C_KEY: key });
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(readFileSync(out('enc3.txt'), 'utf8')).toBe(body);
    expect(leftovers('enc0').concat(leftovers('enc1'), leftovers('enc2'))).toEqual([]);
  });

  it('verify needs no restore for an archived object, and names an SSE-C object "set it to check"', async () => {
    await putWithState(env.emu, p, env.bucket[p], 'mixed/cold.txt', body, { storageClass: ARCHIVE[p] });
    await putWithState(env.emu, p, env.bucket[p], 'mixed/enc.txt', body, { customerKey: newCustomerKey() });
    const gets = () => env.emu.requests().filter((r) => r.op === 'GetObject' && r.key?.startsWith('mixed/')).length;
    const before = gets();
    const r = await cli(['verify', `${p}://${env.bucket[p]}/mixed/`, '--state-dir', join(env.dir, `${p}-verify-state`)]);
    const text = r.stdout + r.stderr;
    expect(text).toMatch(/enc\.txt.*encrypted with a customer key \(SSE-C\): set it to check/);
    expect(text).not.toMatch(/cold\.txt.*(restore|archive)/i);
    expect(text).not.toMatch(/\b403\b|\b400\b/);
    expect(gets()).toBe(before);
  });
});

describe('the runs above', () => {
  it('left no key (the customer keys included) in their output, their folders or the emulator', async () => {
    await assertCliLeftNoSecrets({ emulator: env.emu, folders: [env.dir] });
  });
});
