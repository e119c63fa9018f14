import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import type { ObjectStore } from '../../../src/storage/types';
import { MiB } from '../../../src/transfer/planner';
import { cliEnv, data, PART, readAll, setup, type Env } from '../transfer/fixture';
import { assertCliLeftNoSecrets, recordCliRun } from './runCli';

let env: Env;
let cos: ObjectStore;
let oss: ObjectStore;
beforeAll(async () => {
  env = await setup();
  cos = await env.store('cos');
  oss = await env.store('oss');
});
afterAll(async () => {
  try {
    if (env) await assertCliLeftNoSecrets({ emulator: env.emu, folders: [env.dir] });
  } finally {
    await env?.close();
  }
});

const keysEnv = (): NodeJS.ProcessEnv => cliEnv(env);

async function cp(args: string[], extraEnv: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...keysEnv(), ...extraEnv },
    cwd: env.dir,
    signal,
  };
  const code = await runCli(
    ['cp', '--endpoint', env.emu.endpoint, '--source-region', 'ap-guangzhou', '--dest-region', 'oss-cn-hangzhou', ...args],
    io,
  );
  recordCliRun(['cp', ...args], io.env, { stdout, stderr });
  return { code, stdout, stderr };
}

/** COS → COS by default (OSS sources add --source-region). */
async function cpBack(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...keysEnv(), ...extraEnv },
    cwd: env.dir,
  };
  const code = await runCli(['cp', '--endpoint', env.emu.endpoint, '--region', 'ap-guangzhou', ...args], io);
  recordCliRun(['cp', ...args], io.env, { stdout, stderr });
  return { code, stdout, stderr };
}

const cosUrl = (key: string): string => `cos://${env.bucket.cos}/${key}`;
const ossUrl = (key: string): string => `oss://${env.bucket.oss}/${key}`;

describe('bucket-integrity cp', () => {
  it('copies one object COS → OSS in parts and reports the three CRC-64 in --json', async () => {
    const bytes = data(2.5 * MiB);
    await cos.put(env.bucket.cos, 'cli/one.bin', bytes);
    const { code, stdout } = await cp(['--json', '--part-size', '1', cosUrl('cli/one.bin'), ossUrl('copies/')]);
    expect(code).toBe(0);
    const crc = formatCrc64(crc64(bytes));
    expect(JSON.parse(stdout)).toMatchObject({
      source: cosUrl('cli/one.bin'),
      target: ossUrl('copies/one.bin'),
      method: 'stream',
      parts: 3,
      verified: true,
      sourceCrc64: crc,
      streamCrc64: crc,
      targetCrc64: crc,
      outcome: 'verified',
    });
    expect((await readAll(oss, env.bucket.oss, 'copies/one.bin')).equals(bytes)).toBe(true);
  });

  it('copies a prefix OSS → COS with --recursive', async () => {
    const files = { 'a.txt': data(100), 'b/c.bin': data(2 * PART) };
    for (const [name, bytes] of Object.entries(files)) await oss.put(env.bucket.oss, `tree/${name}`, bytes);
    const { code, stdout, stderr } = await cpBack(['-r', '--source-region', 'oss-cn-hangzhou', ossUrl('tree'), cosUrl('from-oss/')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^copied \(streamed\) +oss:\/\/.*tree\/a\.txt -> cos:\/\/.*from-oss\/a\.txt +CRC-64 \d+ verified/m);
    expect(stderr).toContain('2 of 2 objects verified');
    for (const [name, bytes] of Object.entries(files))
      expect((await readAll(cos, env.bucket.cos, `from-oss/${name}`)).equals(bytes)).toBe(true);
  });

  it('refuses an existing destination (exit 2) unless --if-exists skip or overwrite', async () => {
    await cos.put(env.bucket.cos, 'cli/exists.txt', Buffer.from('new'));
    await oss.put(env.bucket.oss, 'cli/exists.txt', Buffer.from('old'));
    const refused = await cp([cosUrl('cli/exists.txt'), ossUrl('cli/exists.txt')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/exists; pass --overwrite .* or --if-exists skip/);
    expect((await readAll(oss, env.bucket.oss, 'cli/exists.txt')).toString()).toBe('old');
    const skipped = await cp(['--if-exists', 'skip', cosUrl('cli/exists.txt'), ossUrl('cli/exists.txt')]);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/^skipped/);
    const replaced = await cp(['--if-exists', 'overwrite', cosUrl('cli/exists.txt'), ossUrl('cli/exists.txt')]);
    expect(replaced.code).toBe(0);
    expect((await readAll(oss, env.bucket.oss, 'cli/exists.txt')).toString()).toBe('new');
  });

  it('refuses to copy onto itself and a missing bucket, exit 2 with a clear message', async () => {
    const self = await cpBack([cosUrl('cli/x'), cosUrl('cli/x')]);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('cannot copy an object onto itself');
    const missing = await cp([cosUrl('cli/one.bin'), 'oss://no-such-bucket-here/x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('The destination bucket oss://no-such-bucket-here does not exist');
    const prefix = await cp([cosUrl('cli/'), ossUrl('x')]);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('--recursive');
  });

  it('exits 1 for a source without CRC-64: copied, not verified against the source', async () => {
    await env.emu.putLegacyObject('cos', env.bucket.cos, 'cli/legacy.txt', 'legacy bytes');
    const { code, stdout } = await cp([cosUrl('cli/legacy.txt'), ossUrl('cli/legacy.txt')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/NOT verified .*copied, not verified against the source/);
  });

  it('uses BUCKET_INTEGRITY_DEST_ keys for the destination (another account), never printing them', async () => {
    env.emu.addAccount('cos', { id: 'AKIDOTHEROWNER00000000000000000000', secret: 'other-owner-secret', owner: 'someone-else' });
    await cos.put(env.bucket.cos, 'cli/acct.txt', Buffer.from('to another account'));
    const other = {
      BUCKET_INTEGRITY_DEST_COS_SECRET_ID: 'AKIDOTHEROWNER00000000000000000000',
      BUCKET_INTEGRITY_DEST_COS_SECRET_KEY: 'other-owner-secret',
    };
    const denied = await cpBack([cosUrl('cli/acct.txt'), cosUrl('cli/acct-copy.txt')], other);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/denied/i);
    expect(denied.stderr).not.toContain('other-owner-secret');
    // With the same keys on both sides the copy is server-side: no byte read through this process.
    const same = await cpBack([cosUrl('cli/acct.txt'), cosUrl('cli/acct-copy.txt')]);
    expect(same.code).toBe(0);
    expect(
      env.emu
        .requests()
        .filter((r) => r.key === 'cli/acct.txt')
        .map((r) => r.op),
    ).not.toContain('GetObject');
    expect(
      env.emu
        .requests()
        .filter((r) => r.key === 'cli/acct-copy.txt')
        .map((r) => r.op),
    ).toContain('CopyObject');
  });

  it('pauses on Ctrl+C (exit 130) and resumes sending only the missing parts', async () => {
    const bytes = data(5 * MiB);
    await cos.put(env.bucket.cos, 'cli/resume.bin', bytes);
    const dest = 'cli/resumed.bin';
    // Part 3 is slow to answer, so the copy is cut once part 2 is stored.
    env.emu.faults.add({ op: 'UploadPart', key: dest, partNumber: 3, action: { kind: 'delay', ms: 3000 } });
    const controller = new AbortController();
    const watching = setInterval(() => {
      if (env.emu.requests().some((r) => r.key === dest && r.op === 'UploadPart' && r.partNumber === 2 && r.status === 200))
        controller.abort();
    }, 10);
    const args = ['--json', '--concurrency', '1', '--part-size', '1', cosUrl('cli/resume.bin'), ossUrl(dest)];
    const paused = await cp(args, {}, controller.signal).finally(() => clearInterval(watching));
    expect(paused.code).toBe(130);
    expect(paused.stderr).toContain('Run the same command again to resume it');
    env.emu.faults.clear();
    const since = Date.now();
    const resumed = await cp(args);
    expect(resumed.code).toBe(0);
    const out = JSON.parse(resumed.stdout) as { resumedParts: number; parts: number; verified: boolean };
    expect(out).toMatchObject({ verified: true, parts: 5 });
    expect(out.resumedParts).toBeGreaterThanOrEqual(1);
    const sent = env.emu.requests().filter((r) => r.key === dest && r.op === 'UploadPart' && r.time >= since).length;
    expect(sent).toBe(5 - out.resumedParts);
    expect((await readAll(oss, env.bucket.oss, dest)).equals(bytes)).toBe(true);
  });

  it('copies a prefix within one account server-side with --recursive (no byte through this process)', async () => {
    for (const name of ['s/one.txt', 's/two/three.txt']) await cos.put(env.bucket.cos, `server/${name}`, data(300));
    const since = Date.now();
    const { code, stdout } = await cpBack(['-r', '--json', cosUrl('server/s/'), cosUrl('server/t/')]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      objects: Array<{ target: string; method: string; verified: boolean }>;
      summary: Record<string, number>;
    };
    expect(out.objects.map((o) => [o.target, o.method, o.verified])).toEqual([
      [cosUrl('server/t/one.txt'), 'copy', true],
      [cosUrl('server/t/two/three.txt'), 'copy', true],
    ]);
    expect(out.summary).toMatchObject({ verified: 2, failed: 0 });
    expect(env.emu.requests().filter((r) => r.time >= since && r.op === 'GetObject')).toHaveLength(0);
  });

  it('moves across clouds with --move: the source is deleted only after a verified copy', async () => {
    await cos.put(env.bucket.cos, 'cli/move-me.txt', Buffer.from('moving'));
    const moved = await cp(['--move', cosUrl('cli/move-me.txt'), ossUrl('cli/moved.txt')]);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toMatch(/^moved \(streamed\) .* verified/);
    await expect(cos.head(env.bucket.cos, 'cli/move-me.txt')).rejects.toMatchObject({ kind: 'no-such-key' });
    await env.emu.putLegacyObject('cos', env.bucket.cos, 'cli/legacy-move.txt', 'no crc');
    const kept = await cp(['--move', cosUrl('cli/legacy-move.txt'), ossUrl('cli/legacy-moved.txt')]);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toMatch(/the source was kept/);
    expect((await cos.head(env.bucket.cos, 'cli/legacy-move.txt')).size).toBe(6);
  });
});
