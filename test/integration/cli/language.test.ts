import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { assertCliLeftNoSecrets, runCliProcess, type CliRun } from './runCli';

/**
 * The CLI speaks Simplified Chinese when the locale says zh (LC_ALL, then LC_MESSAGES, then LANG, as
 * POSIX orders them) or `--lang zh-CN`, English otherwise; `--json` output is the same in every locale.
 */

const temp = makeTempDir('bi-cli-lang-');
let cli: string;
let emu: Emulator;
let bucket: string;

const ZH = { LANG: 'zh_CN.UTF-8' };
const C = { LANG: 'C' };

function run(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return runCliProcess(cli, args, { cwd: temp.dir, env });
}

beforeAll(async () => {
  const [dir, started] = await Promise.all([bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), startTestEmulator()]);
  cli = join(dir, 'cli.js');
  emu = started;
  bucket = await makeCosBucket(emu, 'lang');
  mkdirSync(join(temp.dir, 'site'), { recursive: true });
  writeFileSync(join(temp.dir, 'site', 'same.txt'), 'alpha');
  writeFileSync(join(temp.dir, 'site', 'changed.txt'), 'local!');
  writeFileSync(join(temp.dir, 'site', 'new.txt'), 'only here');
  const store = await emulatorStore(emu, 'cos');
  await store.put(bucket, 'site/same.txt', Buffer.from('alpha'));
  await store.put(bucket, 'site/changed.txt', Buffer.from('cloud!'));
  await store.put(bucket, 'site/gone.txt', Buffer.from('only there'));
  await emu.putLegacyObject('cos', bucket, 'site/legacy.txt', 'legacy');
});

afterAll(async () => {
  try {
    if (emu) await assertCliLeftNoSecrets({ emulator: emu, folders: [temp.dir] });
  } finally {
    await emu?.close();
    temp.cleanup();
  }
});

describe('bucket-integrity in Simplified Chinese', () => {
  it('LANG=zh_CN.UTF-8 --help reads Chinese; LANG=C (or no locale) reads English', async () => {
    const zh = await run(['--help'], ZH);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('用法：bucket-integrity <命令> [选项]');
    expect(zh.stdout).toContain('命令：');
    expect(zh.stdout).toMatch(/^ {2}crc64 +输出文件和文件夹的 CRC64$/m);
    expect(zh.stdout).not.toContain('Usage:');
    for (const env of [C, {}]) {
      const en = await run(['--help'], env);
      expect(en.stdout).toContain('Usage: bucket-integrity <command> [options]');
      expect(en.stdout).toMatch(/^ {2}crc64 +print the CRC-64 of files and folders$/m);
    }
  });

  it('follows POSIX precedence (LC_ALL, LC_MESSAGES, LANG) and --lang over all of them', async () => {
    expect((await run(['--help'], { LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' })).stdout).toContain('用法：');
    expect((await run(['--help'], { LANG: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8' })).stdout).toContain('Usage:');
    expect((await run(['--help'], { LC_ALL: 'zh_SG.UTF-8' })).stdout).toContain('用法：');
    expect((await run(['--lang', 'zh-CN', '--help'], C)).stdout).toContain('用法：');
    expect((await run(['--help', '--lang=en'], ZH)).stdout).toContain('Usage:');
  });

  it("a command's --help, its exit-status table and a usage error read Chinese", async () => {
    const help = await run(['crc64', '--help'], ZH);
    expect(help.stdout).toContain('用法：bucket-integrity crc64');
    expect(help.stdout).toContain('退出码（所有命令相同）');
    expect(help.stdout).toMatch(/^ {2}--workers <n> +计算哈希的线程数/m);
    const remoteHelp = await run(['compare', '--help'], ZH);
    expect(remoteHelp.stdout).toContain('密钥来自 COS_SECRET_ID');
    const usage = await run(['crc64'], ZH);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('bucket-integrity crc64: 请至少指定一个文件或文件夹');
    expect(usage.stderr).toContain('运行 "bucket-integrity crc64 --help" 查看它的选项。');
  });

  it('a compare report reads Chinese: the details of each line and the summary words', async () => {
    const common = ['--provider', 'cos', '--endpoint', emu.endpoint, '--region', emu.cos.region];
    const keys = { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: emu.cos.secretKey };
    const r = await run(['compare', ...common, 'site', `cos://${bucket}/site/`], { ...keys, ...ZH });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('* changed.txt  (CRC64 不一致)');
    expect(r.stdout).toContain('- gone.txt  (本地没有该文件)');
    expect(r.stdout).toContain(`已将 5 个文件与 cos://${bucket}/site/ 比较`);
  });

  it('--json output is the same under zh_CN as under C: stable keys and symbols, no translated words', async () => {
    const common = ['--provider', 'cos', '--endpoint', emu.endpoint, '--region', emu.cos.region];
    const keys = { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: emu.cos.secretKey };
    const args = ['compare', '--json', ...common, 'site', `cos://${bucket}/site/`];
    const zh = await run(args, { ...keys, ...ZH });
    const en = await run(args, { ...keys, ...C });
    expect(zh.code).toBe(1);
    expect(en.code).toBe(1);
    const strip = (s: string): unknown => {
      const v = JSON.parse(s) as { files: Array<Record<string, unknown>>; summary: unknown };
      // Only what the run itself varies (the order results arrive in) is set aside.
      return { ...v, files: [...v.files].sort((a, b) => String(a.path).localeCompare(String(b.path))) };
    };
    expect(strip(zh.stdout)).toEqual(strip(en.stdout));
    expect(zh.stdout).not.toMatch(/[\u3000-\u9fff]/);
    expect(zh.stdout).toContain('differ');
    const crcZh = await run(['crc64', '--json', 'site'], ZH);
    const crcEn = await run(['crc64', '--json', 'site'], C);
    expect(crcZh.stdout).toBe(crcEn.stdout);
  });
});
