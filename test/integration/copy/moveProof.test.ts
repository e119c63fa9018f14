import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore, textIfExists } from '../../support/emulatorStore';
import { assertCliLeftNoSecrets, runCliProcess } from '../cli/runCli';

/**
 * `cp --move` never deletes the only copy: the same object reached through two spellings of one endpoint
 * is refused, and a source that changed between the copy and the delete is kept. The CLI bundle in its own
 * Node process, against the emulator, both clouds.
 */

let cli: string;
let emu: Emulator;
/** The CLI's state folder (migration checkpoints): never the user's. */
const stateDir = mkdtempSync(join(tmpdir(), 'bi-moveproof-'));
const stores = {} as Record<ProviderKind, ObjectStore>;
const buckets = {} as Record<ProviderKind, string>;

beforeAll(async () => {
  const [dir, started] = await Promise.all([bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), startTestEmulator()]);
  cli = join(dir, 'cli.js');
  emu = started;
  for (const p of ['cos', 'oss'] as const) {
    stores[p] = await emulatorStore(emu, p);
    buckets[p] = p === 'cos' ? await makeCosBucket(emu, 'mvproof') : await makeOssBucket(emu, 'mvproof');
  }
});
afterAll(async () => {
  try {
    if (emu) await assertCliLeftNoSecrets({ emulator: emu, folders: [stateDir] });
  } finally {
    await emu?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
afterEach(() => {
  emu?.faults.clear();
});

const keysEnv = (): NodeJS.ProcessEnv => ({
  COS_SECRET_ID: emu.cos.secretId,
  COS_SECRET_KEY: emu.cos.secretKey,
  OSS_ACCESS_KEY_ID: emu.oss.accessKeyId,
  OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret,
  BUCKET_INTEGRITY_STATE_DIR: stateDir,
});

/** Async on purpose: the emulator answers from this process's event loop. */
function cli_(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliProcess(cli, ['cp', ...args], { cwd: stateDir, env: keysEnv() });
}

const regionOf = (p: ProviderKind): string => (p === 'cos' ? emu.cos.region : emu.oss.region);
const url = (p: ProviderKind, key: string): string => `${p}://${buckets[p]}/${key}`;

const body = (p: ProviderKind, key: string): Promise<string | undefined> => textIfExists(stores[p], buckets[p], key);

describe.each(['cos', 'oss'] as const)('cp --move onto the same object spelled another way (%s)', (p: ProviderKind) => {
  const port = (): number => emu.port;
  const spellings = (): Array<[string, string]> => [
    [`http://127.0.0.1:${port()}`, `http://127.0.0.1:${port()}/`],
    [`http://127.0.0.1:${port()}`, `http://localhost:${port()}`],
    [`http://LOCALHOST:${port()}/`, `HTTP://127.0.0.1:${port()}`],
  ];

  it('keeps a single object whatever the endpoint spelling (non-zero exit, says why)', async () => {
    for (const [i, [a, b]] of spellings().entries()) {
      const key = `single/${i}.txt`;
      await stores[p].put(buckets[p], key, Buffer.from(`only copy ${i}\n`));
      const r = await cli_([
        '--move',
        '--overwrite',
        '--region',
        regionOf(p),
        '--source-endpoint',
        a,
        '--dest-endpoint',
        b,
        url(p, key),
        url(p, key),
      ]);
      expect(await body(p, key), `${a} vs ${b}: ${r.stdout}${r.stderr}`).toBe(`only copy ${i}\n`);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/onto itself/);
      expect(r.stdout).not.toMatch(/sourceDeleted": true|^moved/m);
    }
  });

  it('keeps every object of a prefix moved onto itself with -r', async () => {
    const keys = ['tree/a.txt', 'tree/b/c.txt', 'tree/d.txt'];
    for (const k of keys) await stores[p].put(buckets[p], k, Buffer.from(k));
    for (const [a, b] of spellings()) {
      const r = await cli_([
        '-r',
        '--move',
        '--overwrite',
        '--region',
        regionOf(p),
        '--source-endpoint',
        a,
        '--dest-endpoint',
        b,
        url(p, 'tree/'),
        url(p, 'tree/'),
      ]);
      for (const k of keys) expect(await body(p, k), `${a} vs ${b}: ${r.stdout}${r.stderr}`).toBe(k);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/overlap|onto itself/);
    }
  });
});

describe.each([
  ['cos', 'oss'],
  ['oss', 'cos'],
  ['cos', 'cos'],
  ['oss', 'oss'],
] as const)('cp --move %s -> %s: a source that changed after the copy is kept', (from: ProviderKind, to: ProviderKind) => {
  it('re-reads the source just before the delete and keeps it when it is not the object that was copied', async () => {
    const key = `changing/${from}-${to}.txt`;
    const target = `moved/${from}-${to}.txt`;
    await stores[from].put(buckets[from], key, Buffer.from('first version\n'));
    // Another client overwrites the source once the destination holds the copy: at the first read of the
    // source that follows the destination's write.
    let written = false;
    const writes = new Set(['PutObject', 'CopyObject', 'CompleteMultipartUpload']);
    emu.faults.hook({ dialect: to, bucket: buckets[to], key: target }, (req) => {
      if (writes.has(req.op)) written = true;
    });
    let overwritten = false;
    emu.faults.hook({ dialect: from, op: 'HeadObject', bucket: buckets[from], key }, async () => {
      // The hook runs before the request's own handler: let the destination's write land first.
      await new Promise((r) => setTimeout(r, 0));
      if (!written || overwritten) return;
      overwritten = true;
      await stores[from].put(buckets[from], key, Buffer.from('second version, written by someone else\n'));
    });
    emu.faults.hook({ dialect: from, op: 'GetObjectMeta', bucket: buckets[from], key }, async () => {
      if (!written || overwritten) return;
      overwritten = true;
      await stores[from].put(buckets[from], key, Buffer.from('second version, written by someone else\n'));
    });
    const args = [
      '--move',
      '--json',
      '--source-region',
      regionOf(from),
      '--dest-region',
      regionOf(to),
      '--endpoint',
      emu.endpoint,
      url(from, key),
      url(to, target),
    ];
    const r = await cli_(args);
    expect(overwritten, r.stderr).toBe(true);
    expect(await body(from, key), r.stdout + r.stderr).toBe('second version, written by someone else\n');
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { sourceDeleted?: boolean; reason?: string };
    expect(out.sourceDeleted).not.toBe(true);
    expect(out.reason ?? '').toMatch(/changed/);
  });
});
