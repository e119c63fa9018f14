import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import type { ObjectStore } from '../../../src/storage/types';
import { data, readAll, setup, type Env } from '../transfer/fixture';
import { assertCliLeftNoSecrets, recordCliRun } from './runCli';

let env: Env;
let oss: ObjectStore;
beforeAll(async () => {
  env = await setup();
  oss = await env.store('oss');
});
afterAll(async () => {
  try {
    if (env) await assertCliLeftNoSecrets({ emulator: env.emu, folders: [env.dir] });
  } finally {
    await env?.close();
  }
});

async function append(args: string[]) {
  let stdout = '';
  let stderr = '';
  const c = env.connection('oss').credentials;
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { OSS_ACCESS_KEY_ID: c.accessKeyId, OSS_ACCESS_KEY_SECRET: c.secretAccessKey },
    cwd: env.dir,
  };
  const code = await runCli(['append', '--endpoint', env.emu.endpoint, '--region', env.emu.oss.region, ...args], io);
  recordCliRun(['append', ...args], io.env, { stdout, stderr });
  return { code, stdout, stderr };
}

describe('bucket-integrity append', () => {
  it('appends only the new bytes of a growing file and reports the combined CRC-64 (exit 0)', async () => {
    const first = data(1000);
    const path = env.file('cli-app.log', first);
    const url = `oss://${env.bucket.oss}/cli/app.log`;
    expect((await append([path, url])).code).toBe(0);
    const more = data(600);
    appendFileSync(path, more);
    const { code, stdout } = await append(['--json', path, url]);
    expect(code).toBe(0);
    const whole = Buffer.concat([first, more]);
    expect(JSON.parse(stdout)).toMatchObject({
      previousSize: 1000,
      size: 1600,
      appendedBytes: 600,
      verified: true,
      outcome: 'appended',
      crc64: formatCrc64(crc64(whole)),
    });
    expect((await readAll(oss, env.bucket.oss, 'cli/app.log')).equals(whole)).toBe(true);
    const again = await append([path, url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^up to date/);
  });

  it('refuses a file that no longer starts with the object (exit 1) and a COS remote (exit 2)', async () => {
    const path = env.file('cli-other.log', data(500));
    const url = `oss://${env.bucket.oss}/cli/other.log`;
    expect((await append([path, url])).code).toBe(0);
    writeFileSync(path, data(800));
    const mismatch = await append([path, url]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/are not those of .*nothing was appended/);
    expect((await oss.head(env.bucket.oss, 'cli/other.log')).size).toBe(500);
    const cos = await append([path, `cos://${env.bucket.cos}/x.log`]);
    expect(cos.code).toBe(2);
    expect(cos.stderr).toContain('COS has no appendable objects');
  });

  it('an answer with a wrong CRC-64 over an intact object: re-reads the stored CRC, verified (exit 0), never "damaged"', async () => {
    const first = data(300);
    const path = env.file('cli-wrongcrc.log', first);
    const url = `oss://${env.bucket.oss}/cli/wrongcrc.log`;
    expect((await append([path, url])).code).toBe(0);
    const more = data(200);
    appendFileSync(path, more);
    env.emu.faults.add({ dialect: 'oss', op: 'AppendObject', action: { kind: 'wrong-crc-header' } });
    const r = await append([path, url]);
    expect(r.stderr).not.toMatch(/damaged/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/appended 200 bytes .* verified/);
    expect(r.stderr).toMatch(/answer.*CRC-64.*stored object is intact/i);
    expect((await readAll(oss, env.bucket.oss, 'cli/wrongcrc.log')).equals(Buffer.concat([first, more]))).toBe(true);
  });

  it('an append the service stored damaged: "damaged" and exit 1', async () => {
    const first = data(300);
    const path = env.file('cli-damaged.log', first);
    const url = `oss://${env.bucket.oss}/cli/damaged.log`;
    expect((await append([path, url])).code).toBe(0);
    appendFileSync(path, data(200));
    env.emu.faults.add({ dialect: 'oss', op: 'AppendObject', action: { kind: 'corrupt-upload' } });
    const r = await append([path, url]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/damaged/);
  });
});
