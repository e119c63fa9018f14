import * as l10n from '@vscode/l10n';
import { isMainThread, parentPort, Worker, workerData, type WorkerOptions } from 'node:worker_threads';
import type { CliIo } from './io';
import type { CliLanguage } from './lang';

/**
 * A command run on a thread of its own, its heap sized for its work. A Worker's `resourceLimits` are the
 * only way to size a heap from inside the program. The main thread only prints what the command writes,
 * in order, and passes Ctrl+C on.
 */

export type ThreadLimits = NonNullable<WorkerOptions['resourceLimits']>;

/**
 * `crc64`: 4 MiB of young generation. A large tree makes short-lived garbage for every file (paths, file
 * states, results), and the main thread's default heap lets it pile up: measured on 4 KiB files, peak RSS
 * went from 107 MiB at 20,000 files to 146 MiB at 100,000 while the live heap stayed at 11 MiB; on this
 * thread the same run stays at 107–109 MiB whatever the tree. 1 GiB of old generation is far above what a
 * walk keeps (one folder's names at most).
 */
export const CRC64_THREAD_LIMITS: ThreadLimits = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 1024 };

/**
 * `verify`: 192 MiB of young generation (semi-spaces of 64 MiB). An audit or a verify holds a few listing
 * pages and report batches in flight, each thousands of objects that live for some tens of milliseconds:
 * with the default 16 MiB semi-space they outlive a scavenge and are copied to the old generation. Measured
 * on the audit with the live listings at 1M a side (`--stream-reports --live`): 1.5–2.5 s of CPU in
 * scavenges with 16 MiB semi-spaces (342 MB promoted in one run), 0.5–1.3 s with 64 MiB ones. The old
 * generation keeps Node's default.
 */
export const VERIFY_THREAD_LIMITS: ThreadLimits = { maxYoungGenerationSizeMb: 192 };

export interface CommandJob {
  command: string;
  argv: string[];
  language: CliLanguage;
  /** The caller's working directory (a thread shares the process's, which a caller's `io.cwd` may not be). */
  cwd: string;
}

type FromThread = { kind: 'stdout' | 'stderr'; text: string } | { kind: 'exit'; code: number };

const JOB_KEY = 'bucketIntegrityCommand';

/**
 * Runs `job` on a thread started from `script` (the CLI bundle itself) and resolves with its exit code.
 * A thread that dies (out of its memory, a fault) is rejected with its error, for the caller to report.
 */
export function runInThread(script: string, job: CommandJob, io: CliIo, limits: ThreadLimits): Promise<number> {
  return new Promise((resolve, reject) => {
    // The caller's environment, not the process's: credentials come from it (a variable left undefined is unset).
    const env = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined));
    const worker = new Worker(script, { workerData: { [JOB_KEY]: job }, env, resourceLimits: limits });
    let code: number | undefined;
    let failure: Error | undefined;
    const abort = (): void => worker.postMessage('abort');
    io.signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (m: FromThread) => {
      if (m.kind === 'stdout') io.stdout(m.text);
      else if (m.kind === 'stderr') io.stderr(m.text);
      else if (m.kind === 'exit') code = m.code;
    });
    worker.on('error', (err) => (failure = err));
    worker.on('exit', () => {
      io.signal?.removeEventListener('abort', abort);
      if (code !== undefined) resolve(code);
      else reject(failure ?? new Error(l10n.t('the command stopped without saying how it ended')));
    });
  });
}

/** The job this thread was started for, when it is a command thread. */
export function commandJob(): CommandJob | undefined {
  if (isMainThread || typeof workerData !== 'object' || workerData === null) return undefined;
  return (workerData as Record<string, CommandJob | undefined>)[JOB_KEY];
}

/** The command thread's side: runs the command with its output sent to the main thread, then says its exit code. */
export async function serveCommand(run: (job: CommandJob, io: CliIo) => Promise<number>): Promise<void> {
  const job = commandJob();
  const port = parentPort;
  if (!job || !port) return;
  const controller = new AbortController();
  port.on('message', (m) => m === 'abort' && controller.abort());
  const send = (m: FromThread): void => port.postMessage(m);
  const code = await run(job, {
    stdout: (text) => send({ kind: 'stdout', text }),
    stderr: (text) => send({ kind: 'stderr', text }),
    env: process.env,
    cwd: job.cwd,
    signal: controller.signal,
  });
  send({ kind: 'exit', code });
  // The abort listener keeps the port open; the command is done.
  port.close();
}
