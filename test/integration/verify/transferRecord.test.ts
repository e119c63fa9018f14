import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrcRecord } from '../../../src/record';
import type { ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { makeTempDir } from '../../support/tempDir';
import { runCliProcess, type CliRun } from '../cli/runCli';

/** Verified uploads and downloads of the CLI fill the record `verify` reads: no request needed after them. */

const temp = makeTempDir('bi-cli-transfer-record-');
let cli: string;
let emu: Emulator;

beforeAll(async () => {
  const [dir, started] = await Promise.all([bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), startTestEmulator()]);
  cli = join(dir, 'cli.js');
  emu = started;
}, 60_000);
afterAll(async () => {
  await emu.close();
  temp.cleanup();
});

describe.each(['cos', 'oss'] as const)('the CRC record after CLI transfers (%s)', (provider: ProviderKind) => {
  const state = join(temp.dir, `state-${provider}`);
  const env = () =>
    provider === 'cos'
      ? { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: emu.cos.secretKey, BUCKET_INTEGRITY_STATE_DIR: state }
      : { OSS_ACCESS_KEY_ID: emu.oss.accessKeyId, OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret, BUCKET_INTEGRITY_STATE_DIR: state };
  const cliRun = (command: string, args: string[]): Promise<CliRun> => {
    const region = provider === 'cos' ? emu.cos.region : emu.oss.region;
    return runCliProcess(cli, [command, '--endpoint', emu.endpoint, '--region', region, ...args], { cwd: temp.dir, env: env() });
  };
  let bucket: string;
  const folder = join(temp.dir, `up-${provider}`);

  beforeAll(async () => {
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'trec') : await makeOssBucket(emu, 'trec');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.txt'), 'alpha');
    writeFileSync(join(folder, 'sub', 'b.txt'), 'beta, a little longer');
  });

  it('knows every object of a verified upload: verify --record-only answers without a request', async () => {
    const up = await cliRun('upload', [folder, `${provider}://${bucket}/up/`]);
    expect(up.code, up.stderr).toBe(0);
    emu.clearRequests();
    const verify = await cliRun('verify', ['--record-only', '--json', `${provider}://${bucket}/up/`]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(emu.requests()).toEqual([]);
    expect(JSON.parse(verify.stdout).summary).toMatchObject({ total: 2, match: 2, 'no-crc': 0 });
    const record = await CrcRecord.open(join(state, 'record.sqlite'));
    try {
      const profile = `${provider}:${emu.endpoint}`;
      const b = record.get({ profile, bucket }, 'up/sub/b.txt');
      expect(b).toMatchObject({ source: 'upload', size: 'beta, a little longer'.length });
      expect(b?.crc64).toMatch(/^\d+$/);
    } finally {
      record.close();
    }
  });

  it('records a verified download, and never fails a transfer over a record held by another window', async () => {
    const target = join(temp.dir, `down-${provider}`);
    const down = await cliRun('download', [`${provider}://${bucket}/up/`, target]);
    expect(down.code, down.stderr).toBe(0);
    const record = await CrcRecord.open(join(state, 'record.sqlite'));
    try {
      expect(record.get({ profile: `${provider}:${emu.endpoint}`, bucket }, 'up/a.txt')?.source).toBe('download');
      // Held open here: the upload still succeeds and says the record was not updated.
      writeFileSync(join(folder, 'c.txt'), 'gamma');
      const up = await cliRun('upload', [join(folder, 'c.txt'), `${provider}://${bucket}/up/`]);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toMatch(/CRC record was not updated/);
      expect(record.get({ profile: `${provider}:${emu.endpoint}`, bucket }, 'up/c.txt')).toBeUndefined();
    } finally {
      record.close();
    }
  });
});
