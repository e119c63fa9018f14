import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { lcgBytes } from '../../support/vectors';
import { assertCliLeftNoSecrets, recordCliRun } from '../cli/runCli';

/** `bucket-integrity cp` as users run it: the CLI bundle in its own Node process, against the emulator. */

let cli: string;
let emu: Emulator;

beforeAll(async () => {
  const [dir, started] = await Promise.all([bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), startTestEmulator()]);
  cli = join(dir, 'cli.js');
  emu = started;
});
afterAll(async () => {
  try {
    if (emu) await assertCliLeftNoSecrets({ emulator: emu, folders: [] });
  } finally {
    await emu?.close();
  }
});

function keysEnv(provider: ProviderKind): NodeJS.ProcessEnv {
  return provider === 'cos'
    ? { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: emu.cos.secretKey }
    : { OSS_ACCESS_KEY_ID: emu.oss.accessKeyId, OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret };
}

/** Async on purpose: the emulator answers from this process's event loop. */
function cp(provider: ProviderKind, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const region = provider === 'cos' ? emu.cos.region : emu.oss.region;
  const argv = [cli, 'cp', '--endpoint', emu.endpoint, '--region', region, ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { env: { PATH: process.env.PATH, ...keysEnv(provider) } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      recordCliRun(argv.slice(1), keysEnv(provider), { stdout, stderr });
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bucket-integrity cp: usage', () => {
  it('refuses a copy between clouds without the keys of both, a prefix as source and a missing destination (exit 2)', async () => {
    const cross = await cp('cos', ['cos://a-1250000000/x.txt', 'oss://b/x.txt']);
    expect(cross.code).toBe(2);
    expect(cross.stderr).toMatch(/no OSS keys: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET/);
    const prefix = await cp('cos', ['cos://a-1250000000/folder/', 'cos://b-1250000000/']);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toMatch(/must be an object, not a prefix/);
    const one = await cp('cos', ['cos://a-1250000000/x.txt']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/expected a source and a destination/);
  });
});

describe.each(['cos', 'oss'] as const)('bucket-integrity cp on %s', (provider: ProviderKind) => {
  let store: ObjectStore;
  let bucket: string;
  const url = (key: string): string => `${provider}://${bucket}/${key}`;
  const exists = (key: string): Promise<boolean> =>
    store.head(bucket, key).then(
      () => true,
      (err: unknown) => {
        if (err instanceof StorageError && err.kind === 'no-such-key') return false;
        throw err;
      },
    );

  beforeAll(async () => {
    store = await emulatorStore(emu, provider);
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'clicp') : await makeOssBucket(emu, 'clicp');
    await store.put(bucket, 'docs/a.txt', Buffer.from('alpha\n'));
    await store.put(bucket, 'big.bin', Buffer.from(lcgBytes(3, 3 * 1024 * 1024 + 17)));
    await emu.putLegacyObject(provider, bucket, 'legacy.txt', 'old bytes');
  });

  it('copies and verifies, keeping the name under a destination prefix (exit 0, --json)', async () => {
    const r = await cp(provider, ['--json', url('docs/a.txt'), url('backup/')]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const head = await store.head(bucket, 'docs/a.txt');
    expect(out).toMatchObject({
      source: url('docs/a.txt'),
      target: url('backup/a.txt'),
      method: 'copy',
      verified: true,
      outcome: 'verified',
      sourceCrc64: head.crc64,
      targetCrc64: head.crc64,
    });
    expect((await store.head(bucket, 'backup/a.txt')).crc64).toBe(head.crc64);
  });

  it('copies a large object part by part and verifies the combined CRC-64', async () => {
    const r = await cp(provider, ['--json', '--part-size', '1', '--multipart-threshold', '1', url('big.bin'), url('big-copy.bin')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ method: 'multipart', parts: 4, verified: true });
    expect((await store.head(bucket, 'big-copy.bin')).crc64).toBe((await store.head(bucket, 'big.bin')).crc64);
  });

  it('says "not verified" for a source without a CRC-64 and keeps it on --move (exit 1)', async () => {
    const r = await cp(provider, ['--move', url('legacy.txt'), url('legacy-moved.txt')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT verified .*the source was kept/);
    expect(await exists('legacy.txt')).toBe(true);
  });

  it('leaves an existing destination alone without --overwrite (exit 2), refuses a copy onto itself (exit 2), moves when verified', async () => {
    await store.put(bucket, 'taken.txt', Buffer.from('keep me'));
    const exists1 = await cp(provider, [url('docs/a.txt'), url('taken.txt')]);
    expect(exists1.code).toBe(2);
    expect(exists1.stderr).toMatch(/exists; pass --overwrite/);
    expect((await store.head(bucket, 'taken.txt')).size).toBe('keep me'.length);
    const itself = await cp(provider, [url('docs/a.txt'), url('docs/a.txt')]);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toMatch(/onto itself/);
    await store.put(bucket, 'to-move.txt', Buffer.from('move me'));
    const moved = await cp(provider, ['--move', '--overwrite', url('to-move.txt'), url('taken.txt')]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/^moved .* verified/);
    expect(await exists('to-move.txt')).toBe(false);
    expect((await store.head(bucket, 'taken.txt')).size).toBe('move me'.length);
  });
});
