import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

/**
 * What the transfer sections share: the emulator in its own process (its CPU and memory are not ours),
 * one measured job per fresh child process (so its peak RSS is that job's), and verified/unverified runs
 * alternated, best of two each, so neither mode gets the warmer half of the run.
 */

export interface EmulatorProcess {
  endpoint: string;
  cos: { secretId: string; secretKey: string; region: string };
  oss: { accessKeyId: string; accessKeySecret: string; region: string };
  child: ChildProcess;
}

/**
 * Node flags for the emulator's process (BENCH_EMULATOR_NODE_FLAGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`):
 * on a 2-core machine the emulator's CPU is part of every measured run. Empty by default.
 */
function emulatorNodeFlags(): string[] {
  return (process.env.BENCH_EMULATOR_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
}

/** Start `dist/emulator.js` on a free port; `seedSource` is a CommonJS module run once it is up. */
export async function startEmulatorProcess(
  script: string,
  dataDir: string,
  seedFile: string,
  seedSource: string,
): Promise<EmulatorProcess> {
  writeFileSync(seedFile, seedSource);
  const child = spawn(process.execPath, [...emulatorNodeFlags(), script, '--port', '0', '--data', dataDir, '--seed', seedFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`the emulator exited with ${String(code)}`))),
  ]);
  lines.close();
  return { ...(JSON.parse(first) as Omit<EmulatorProcess, 'child'>), child };
}

export async function stopEmulatorProcess(emulator: EmulatorProcess): Promise<void> {
  const exited = once(emulator.child, 'exit');
  emulator.child.kill('SIGTERM');
  await exited;
}

/** What a measured child prints on stdout. */
export interface ChildMeasure {
  seconds: number;
  peak_rss_MiB: number;
  verified: boolean;
  reason?: string;
}

export interface ModesMeasure {
  /** Best MB/s of each mode. */
  verified: number;
  unverified: number;
  /** Highest peak RSS of any run, MiB. */
  peakRssMiB: number;
}

/**
 * Verified and unverified alternately, twice each, each in a fresh child process (the bench script with
 * `flag`, the job and the emulator's keys in the environment variable `envName`, never on the command
 * line); the best speed of each mode. A verified run that is not verified fails the section.
 */
export async function measureModes(options: {
  label: string;
  sizeBytes: number;
  benchScript: string;
  flag: string;
  envName: string;
  jobFor: (verify: boolean) => unknown;
  log: (line: string) => void;
}): Promise<ModesMeasure> {
  let peakRssMiB = 0;
  const run = async (verify: boolean): Promise<number> => {
    const { stdout } = await promisify(execFile)(process.execPath, [options.benchScript, options.flag], {
      env: { ...process.env, [options.envName]: JSON.stringify(options.jobFor(verify)) },
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(stdout) as ChildMeasure;
    if (verify && !result.verified) throw new Error(`the verified ${options.label} was not verified: ${result.reason}`);
    peakRssMiB = Math.max(peakRssMiB, result.peak_rss_MiB);
    const mbps = options.sizeBytes / 1e6 / result.seconds;
    options.log(
      `${options.label} ${verify ? 'verified' : 'unverified'}: ${mbps.toFixed(1)} MB/s, peak RSS ${result.peak_rss_MiB.toFixed(1)} MiB`,
    );
    return mbps;
  };
  const verified = [await run(true)];
  const unverified = [await run(false)];
  verified.push(await run(true));
  unverified.push(await run(false));
  return { verified: Math.max(...verified), unverified: Math.max(...unverified), peakRssMiB };
}
