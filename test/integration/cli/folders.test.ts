import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { assertCliLeftNoSecrets, runCliProcess, type CliRun } from './runCli';

/**
 * A folder means the same files to every command: a link to a file is followed, a link to a folder is not
 * (and is reported). Upload, compare and crc64 run as users run them, the CLI bundle in its own process.
 */

const temp = makeTempDir('bi-cli-folders-');
let cli: string;
let emu: Emulator;
const buckets = {} as Record<ProviderKind, string>;
const folder = join(temp.dir, 'tree');

function keysEnv(provider: ProviderKind): NodeJS.ProcessEnv {
  return provider === 'cos'
    ? { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: emu.cos.secretKey, BUCKET_INTEGRITY_STATE_DIR: join(temp.dir, 'state') }
    : {
        OSS_ACCESS_KEY_ID: emu.oss.accessKeyId,
        OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret,
        BUCKET_INTEGRITY_STATE_DIR: join(temp.dir, 'state'),
      };
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCliProcess(cli, args, { cwd: temp.dir, env });
}

beforeAll(async () => {
  const [dir, started] = await Promise.all([bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), startTestEmulator()]);
  cli = join(dir, 'cli.js');
  emu = started;
  buckets.cos = await makeCosBucket(emu, 'links');
  buckets.oss = await makeOssBucket(emu, 'links');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'a.txt'), 'alpha');
  writeFileSync(join(folder, 'sub', 'b.txt'), 'beta');
  symlinkSync(join(folder, 'a.txt'), join(folder, 'link-to-file'));
  symlinkSync(join(folder, 'sub'), join(folder, 'link-to-folder'));
});

afterAll(async () => {
  try {
    if (emu) await assertCliLeftNoSecrets({ emulator: emu, folders: [temp.dir] });
  } finally {
    await emu?.close();
    temp.cleanup();
  }
});

const FILES = ['a.txt', 'link-to-file', 'sub/b.txt'];

describe.each(['cos', 'oss'] as const)('a folder with links, to every command (%s)', (provider: ProviderKind) => {
  const remote = (prefix: string): string => `${provider}://${buckets[provider]}/${prefix}`;
  const common = (): string[] => ['--endpoint', emu.endpoint, '--region', provider === 'cos' ? emu.cos.region : emu.oss.region];

  it('upload, compare and crc64 see the same files and say which link was left out', async () => {
    const up = await run(['upload', '--json', ...common(), 'tree', remote('tree/')], keysEnv(provider));
    expect(up.code, up.stderr).toBe(0);
    const uploaded = (JSON.parse(up.stdout) as { files: Array<{ key: string; verified: boolean }> }).files;
    expect(uploaded.map((f) => f.key).sort()).toEqual(FILES.map((f) => `tree/${f}`));
    expect(uploaded.every((f) => f.verified)).toBe(true);
    expect(up.stderr).toMatch(/link-to-folder.*link to a folder/);
    expect((JSON.parse(up.stdout) as { notes: string[] }).notes).toEqual([expect.stringMatching(/link-to-folder.*link to a folder/)]);

    const store = await emulatorStore(emu, provider);
    const page = await store.list(buckets[provider], { prefix: 'tree/' });
    expect(page.objects.map((o) => o.key).sort()).toEqual(FILES.map((f) => `tree/${f}`));

    const cmp = await run(['compare', '--json', ...common(), 'tree', remote('tree/')], keysEnv(provider));
    expect(cmp.code, cmp.stderr).toBe(0);
    const compared = (JSON.parse(cmp.stdout) as { files: Array<{ path: string; status: string }> }).files;
    expect(compared.map((f) => [f.path, f.status])).toEqual(FILES.map((f) => [f, 'match']));
    expect(cmp.stderr).toMatch(/link-to-folder.*link to a folder/);

    const hashed = await run(['crc64', '--json', 'tree']);
    expect(hashed.code, hashed.stderr).toBe(0);
    const rows = JSON.parse(hashed.stdout) as Array<{ path: string }>;
    expect(rows.map((r) => r.path.split(/[\\/]/).slice(1).join('/')).sort()).toEqual(FILES);
    expect(hashed.stderr).toMatch(/link-to-folder.*link to a folder/);
  });
});
