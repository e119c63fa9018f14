import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForTest } from '../../support/bundle';
import { makeTempDir } from '../../support/tempDir';
import { loadVectors, vectorBytes } from '../../support/vectors';

/** `bucket-integrity crc64` as users run it: the CLI bundle (with its worker bundle beside it) in Node. */

const temp = makeTempDir('bi-cli-crc-');
let cli: string;
const { vectors } = loadVectors();
const picked = vectors.filter((v) => v.length <= 5 * 1024 * 1024);

function run(args: string[], nodeFlags: string[] = [], as?: { uid: number; gid: number }) {
  const r = spawnSync(process.execPath, [...nodeFlags, cli, 'crc64', ...args], { cwd: temp.dir, encoding: 'utf8', ...as });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const dir = await bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']);
  cli = join(dir, 'cli.js');
  mkdirSync(join(temp.dir, 'vectors', 'nested'), { recursive: true });
  picked.forEach((v, i) => {
    writeFileSync(join(temp.dir, 'vectors', i % 2 ? 'nested' : '', v.name), vectorBytes(v.gen));
  });
});
afterAll(() => temp.cleanup());

describe('bucket-integrity crc64', () => {
  it('prints "<crc64>  <path>" for a file, as given', () => {
    const v = picked.find((x) => x.name === 'check-123456789')!;
    const r = run([join('vectors', picked.indexOf(v) % 2 ? 'nested' : '', v.name)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^11051210869376104954 {2}vectors\/(nested\/)?check-123456789\n$/);
  });

  it('walks a folder recursively and matches every fixture vector', () => {
    const r = run(['vectors']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(picked.length);
    const byName = new Map(
      lines.map((l) => {
        const [crc, path] = l.split('  ');
        return [path.split('/').at(-1)!, crc] as const;
      }),
    );
    for (const v of picked) expect(byName.get(v.name), v.name).toBe(v.crc64);
  });

  it('falls back to the JS kernel where WebAssembly is unavailable (node --jitless)', () => {
    const r = run(['--json', 'vectors'], ['--jitless']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ path: string; crc64: string }>;
    expect(rows.length).toBe(picked.length);
    for (const row of rows) expect(row.crc64).toBe(picked.find((x) => row.path.endsWith(`/${x.name}`))!.crc64);
  });

  it('stops on Ctrl+C (SIGINT) with "cancelled" and exit 130, the lines already printed whole', async () => {
    // Many files, so the run is still going when the signal comes; each line is a whole line.
    const tree = join(temp.dir, 'many');
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(tree, `d${d}`), { recursive: true });
      for (let f = 0; f < 500; f++) writeFileSync(join(tree, `d${d}`, `f${f}`), `${d}/${f}`);
    }
    const child = spawn(process.execPath, [cli, 'crc64', 'many'], { cwd: temp.dir });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // One Ctrl+C: a second one is the shell's "stop now", which Node answers by dying of the signal.
      if (!signalled && stdout.includes('\n')) signalled = child.kill('SIGINT');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('bucket-integrity crc64: cancelled\n');
    expect(code).toBe(130);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(20_000);
    for (const line of lines) expect(line).toMatch(/^\d+ {2}many\/d\d+\/f\d+$/);
  });

  it('--json gives an array of {path, size, crc64} with decimal strings', () => {
    const r = run(['--json', 'vectors']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ path: string; size: number; crc64: string }>;
    expect(rows.length).toBe(picked.length);
    for (const row of rows) {
      const v = picked.find((x) => row.path.endsWith(`/${x.name}`))!;
      expect(row).toEqual({ path: row.path, size: v.length, crc64: v.crc64 });
    }
  });

  it('reports a missing path on stderr, still prints the others, exits 2', () => {
    const r = run(['--json', 'nope.bin', 'vectors/empty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.bin: no such file or folder');
    expect(JSON.parse(r.stdout)).toEqual([{ path: 'vectors/empty', size: 0, crc64: '0' }]);
  });

  it('reports a path that is not a readable regular file, exits 2', () => {
    execFileSync('mkfifo', [join(temp.dir, 'a-fifo')]);
    const r = run(['a-fifo', 'vectors/empty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a-fifo: not a regular file');
    expect(r.stdout).toBe('0  vectors/empty\n');
  });

  it('rejects bad usage with exit 2 and where the usage is', () => {
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Run "bucket-integrity crc64 --help" for its options.');
    const bad = run(['--bogus', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bogus');
  });
  it('prints a file name holding a newline on one escaped line, so it cannot forge another', () => {
    mkdirSync(join(temp.dir, 'odd'), { recursive: true });
    writeFileSync(join(temp.dir, 'odd', 'a\n0  forged'), '123456789');
    const r = run(['odd']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('11051210869376104954  odd/a\\n0  forged\n');
  });

  it('names an unreadable folder and an unreadable file on stderr, prints the rest in walk order, exits 2', () => {
    const dir = join(temp.dir, 'perm');
    mkdirSync(join(dir, 'b-locked'), { recursive: true });
    writeFileSync(join(dir, 'a'), '123456789');
    writeFileSync(join(dir, 'b-locked', 'hidden'), 'x');
    writeFileSync(join(dir, 'c-secret'), 'x');
    writeFileSync(join(dir, 'd'), '');
    chmodSync(join(dir, 'b-locked'), 0o000);
    chmodSync(join(dir, 'c-secret'), 0o000);
    // Root reads everything: run as "nobody" then, with the bundle and the folder readable to it.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    if (as) for (const p of [temp.dir, dirname(cli)]) chmodSync(p, 0o755);
    const r = run(['perm'], [], as);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('11051210869376104954  perm/a\n0  perm/d\n');
    expect(r.stderr).toContain('perm/b-locked: permission denied');
    expect(r.stderr).toContain('perm/c-secret: permission denied');
    expect(r.stderr).not.toContain('hidden');
  });

  it('prints nothing for an empty folder (an empty array with --json), exits 0', () => {
    mkdirSync(join(temp.dir, 'empty-dir', 'also-empty'), { recursive: true });
    expect(run(['empty-dir'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(run(['--json', 'empty-dir'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });
});
