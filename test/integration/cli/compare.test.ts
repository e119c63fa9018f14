import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import type { ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { assertCliLeftNoSecrets, runCliProcess, type CliRun } from './runCli';

/** `bucket-integrity compare` as users run it: the CLI bundle in its own Node process, against the emulator. */

const temp = makeTempDir('bi-cli-compare-');
let cli: string;
let emu: Emulator;
const buckets = {} as Record<ProviderKind, string>;

function keysEnv(provider: ProviderKind, secret?: string): NodeJS.ProcessEnv {
  return provider === 'cos'
    ? { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: secret ?? emu.cos.secretKey }
    : { OSS_ACCESS_KEY_ID: emu.oss.accessKeyId, OSS_ACCESS_KEY_SECRET: secret ?? emu.oss.accessKeySecret };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return runCliProcess(cli, ['compare', ...args], { cwd: temp.dir, env });
}

const crcOf = (text: string): string => formatCrc64(crc64(Buffer.from(text)));

function write(rel: string, text: string): void {
  const path = join(temp.dir, ...rel.split('/'));
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(async () => {
  const [dir, started] = await Promise.all([bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), startTestEmulator()]);
  cli = join(dir, 'cli.js');
  emu = started;
  buckets.cos = await makeCosBucket(emu, 'cli');
  buckets.oss = await makeOssBucket(emu, 'cli');
  write('all-match/a.txt', 'alpha');
  write('all-match/sub/b.txt', 'beta');
  write('mixed/a.txt', 'alpha');
  write('mixed/changed.txt', 'local!');
  write('mixed/legacy.txt', 'legacy');
  write('mixed/new.txt', 'only here');
  for (let i = 0; i < 40; i++) write(`many/f${String(i).padStart(2, '0')}.txt`, `file ${i}`);
  for (const provider of ['cos', 'oss'] as const) {
    const store = await emulatorStore(emu, provider);
    const b = buckets[provider];
    await store.put(b, 'good/a.txt', Buffer.from('alpha'));
    await store.put(b, 'good/sub/b.txt', Buffer.from('beta'));
    await store.put(b, 'mixed/a.txt', Buffer.from('alpha'));
    await store.put(b, 'mixed/changed.txt', Buffer.from('cloud!'));
    await emu.putLegacyObject(provider, b, 'mixed/legacy.txt', 'legacy');
    await store.put(b, 'mixed/gone.txt', Buffer.from('only there'));
    for (let i = 0; i < 40; i++) await store.put(b, `many/f${String(i).padStart(2, '0')}.txt`, Buffer.from(`file ${i}`));
  }
});

afterAll(async () => {
  try {
    if (emu) await assertCliLeftNoSecrets({ emulator: emu, folders: [temp.dir] });
  } finally {
    await emu?.close();
    temp.cleanup();
  }
});

describe.each(['cos', 'oss'] as const)('bucket-integrity compare with %s', (provider: ProviderKind) => {
  const remote = (prefix: string): string => `${provider}://${buckets[provider]}/${prefix}`;
  const common = (): string[] => [
    '--provider',
    provider,
    '--endpoint',
    emu.endpoint,
    '--region',
    provider === 'cos' ? emu.cos.region : emu.oss.region,
  ];

  it('exits 0 and prints one line per file and a summary when everything matches', async () => {
    const r = await run([...common(), 'all-match', remote('good')], keysEnv(provider));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `= a.txt\n= sub/b.txt\n\n2 files compared with ${remote('good/')}: 2 = match, 0 * differ, 0 + only-local, 0 - only-remote, 0 ? no-crc, 0 ! error\n`,
    );
  });

  it('exits 1 on mismatches and missing files, printed with the symbols of verify and rclone check --combined (+ only local, - only in the bucket); --json gives files and a summary', async () => {
    const text = await run([...common(), 'mixed', remote('mixed/')], keysEnv(provider));
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n').slice(0, 5)).toEqual([
      '= a.txt',
      '* changed.txt  (CRC-64 differs)',
      '- gone.txt  (no local file)',
      '? legacy.txt  (the object was stored without a CRC-64)',
      '+ new.txt  (no such object in the bucket)',
    ]);

    const r = await run(['--json', ...common(), 'mixed', remote('mixed')], keysEnv(provider));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { files: Array<Record<string, unknown>>; summary: Record<string, number> };
    expect(out.summary).toEqual({ total: 5, match: 1, differ: 1, 'no-crc': 1, 'only-local': 1, 'only-remote': 1, error: 0 });
    expect(out.files[0]).toMatchObject({ path: 'a.txt', status: 'match', localCrc64: crcOf('alpha'), remoteCrc64: crcOf('alpha') });
    expect(out.files[1]).toMatchObject({
      path: 'changed.txt',
      status: 'differ',
      localCrc64: crcOf('local!'),
      remoteCrc64: crcOf('cloud!'),
    });
    expect(out.files[3]).toMatchObject({ path: 'legacy.txt', status: 'no-crc', localCrc64: null, remoteCrc64: null });
  });

  it('--report writes every file as CSV or JSON, in the columns and fields of verify --report', async () => {
    const csv = await run([...common(), '--report', `cmp-${provider}.csv`, 'mixed', remote('mixed/')], keysEnv(provider));
    expect(csv.code).toBe(1);
    const rows = readFileSync(join(temp.dir, `cmp-${provider}.csv`), 'utf8')
      .trim()
      .split('\n');
    expect(rows[0]).toBe('status,key,size,local_size,local_crc64,remote_crc64,previous_crc64,detail');
    expect(rows.slice(1)).toEqual([
      `match,mixed/a.txt,5,5,${crcOf('alpha')},${crcOf('alpha')},,`,
      `differ,mixed/changed.txt,6,6,${crcOf('local!')},${crcOf('cloud!')},,CRC-64 differs`,
      'only-remote,mixed/gone.txt,10,,,,,no local file',
      'no-crc,mixed/legacy.txt,6,6,,,,the object was stored without a CRC-64',
      'only-local,mixed/new.txt,,9,,,,no such object in the bucket',
    ]);

    const json = await run([...common(), '--report', `cmp-${provider}.json`, 'mixed', remote('mixed')], keysEnv(provider));
    expect(json.code).toBe(1);
    const report = JSON.parse(readFileSync(join(temp.dir, `cmp-${provider}.json`), 'utf8'));
    expect(report).toMatchObject({
      remote: remote('mixed/'),
      local: join(temp.dir, 'mixed'),
      counts: { total: 5, match: 1, differ: 1, 'no-crc': 1, 'only-local': 1, 'only-remote': 1, error: 0 },
    });
    expect(report.results.map((r: { key: string; status: string }) => [r.key, r.status])).toEqual([
      ['mixed/a.txt', 'match'],
      ['mixed/changed.txt', 'differ'],
      ['mixed/gone.txt', 'only-remote'],
      ['mixed/legacy.txt', 'no-crc'],
      ['mixed/new.txt', 'only-local'],
    ]);
  });

  it('many files with many HEADs at once: all match, nothing on stderr', async () => {
    const r = await run([...common(), '--concurrency', '16', 'many', remote('many')], keysEnv(provider));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^40 files compared with .*: 40 = match, 0 \* differ/);
  });

  it('bad credentials: exit 2 with one clear message, nothing on stdout, no secret', async () => {
    const wrong = 'wrong-secret-for-the-cli-0000';
    const r = await run([...common(), 'all-match', remote('good')], keysEnv(provider, wrong));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/rejected the credentials/);
    expect(r.stderr).toMatch(provider === 'cos' ? /COS_SECRET_ID\/COS_SECRET_KEY/ : /OSS_ACCESS_KEY_ID\/OSS_ACCESS_KEY_SECRET/);
    expect(r.stderr).not.toContain(wrong);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('missing keys and a missing folder are usage errors (exit 2)', async () => {
    const noKeys = await run([...common(), 'all-match', remote('good')], {});
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(provider === 'cos' ? /COS_SECRET_ID/ : /OSS_ACCESS_KEY_ID/);
    const noDir = await run([...common(), 'no-such-folder', remote('good')], keysEnv(provider));
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/no-such-folder is not a folder/);
  });

  it('a missing bucket exits 2 naming the bucket', async () => {
    const name = provider === 'cos' ? `absent-${emu.cos.appId}` : 'absent-bucket';
    const r = await run([...common(), 'all-match', `${provider}://${name}/x`], keysEnv(provider));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(name);
    expect(r.stdout).toBe('');
  });
});
