import { spawn } from 'node:child_process';
import type { Emulator } from '../../support/emulator';
import { assertNoSecrets, requestLogText, secretsOfEnv, type Secret } from '../../support/secretSweep';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What the CLI printed in this test file, and the key variables it was given: the secrets sweep reads both. */
const transcripts: { name: string; text: string }[] = [];
const givenSecrets: Secret[] = [];

/** Keeps one run's output and keys for `assertCliLeftNoSecrets` (runs in this process call it themselves). */
export function recordCliRun(args: readonly string[], env: NodeJS.ProcessEnv | undefined, run: { stdout: string; stderr: string }): void {
  const name = `bucket-integrity ${args.slice(0, 2).join(' ')} (run ${transcripts.length / 2 + 1})`;
  transcripts.push({ name: `stdout of ${name}`, text: run.stdout }, { name: `stderr of ${name}`, text: run.stderr });
  givenSecrets.push(...secretsOfEnv(env ?? {}));
}

/**
 * The secrets sweep at the end of a CLI suite: no key it gave the CLI (nor the emulator's own keys) in
 * the CLI's output, in the folders it wrote (state, checkpoints, the CRC record, reports), or in the
 * emulator's request log and data.
 */
export async function assertCliLeftNoSecrets(options: { emulator: Emulator; folders: readonly string[] }): Promise<void> {
  const emu = options.emulator;
  const secrets: Secret[] = [
    ...givenSecrets,
    { label: 'emulator COS SecretId', value: emu.cos.secretId },
    { label: 'emulator COS SecretKey', value: emu.cos.secretKey },
    { label: 'emulator OSS AccessKeyId', value: emu.oss.accessKeyId },
    { label: 'emulator OSS AccessKeySecret', value: emu.oss.accessKeySecret },
  ];
  if (transcripts.length === 0) throw new Error('secrets sweep: no CLI run was recorded, so there is nothing to prove');
  await assertNoSecrets({
    secrets,
    texts: [...transcripts, { name: "the emulator's request log", text: requestLogText(emu.requests()) }],
    folders: [...options.folders, emu.dataDir],
  });
}

/**
 * The CLI bundle in its own Node process, as users run it. Asynchronous on purpose: the emulator answers
 * from this process's event loop.
 */
export function runCliProcess(cli: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      recordCliRun(args, options.env, { stdout, stderr });
      resolve({ code, stdout, stderr });
    });
  });
}
