import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { CliIo } from './io';
import type { CliLanguage } from './lang';

/**
 * A command run on a thread of its own, with a young generation of a few MiB and a bounded old one.
 *
 * `crc64` of a large tree makes short-lived garbage for every file (paths, file states, results), and the
 * main thread's default heap lets it pile up: measured on 4 KiB files, peak RSS went from 107 MiB at 20,000
 * files to 146 MiB at 100,000 while the live heap stayed at 11 MiB. A Worker's `resourceLimits` are the
 * only way to size a heap from inside the program, and with them the same run stays at 107–109 MiB
 * whatever the tree. The main thread only prints what the command writes, in order, and passes Ctrl+C on.
 */

/** 4 MiB of young generation; 1 GiB of old generation is far above what a walk keeps (one folder's names at most). */
export const COMMAND_THREAD_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 1024 };

export interface CommandJob {
  command: string;
  argv: string[];
  language: CliLanguage;
}

type FromThread = { kind: 'stdout' | 'stderr'; text: string } | { kind: 'exit'; code: number };

const JOB_KEY = 'bucketIntegrityCommand';

/**
 * Runs `job` on a thread started from `script` (the CLI bundle itself) and resolves with its exit code.
 * A thread that dies (out of its memory, a fault) is rejected with its error, for the caller to report.
 */
export function runInThread(script: string, job: CommandJob, io: CliIo): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { [JOB_KEY]: job }, resourceLimits: COMMAND_THREAD_LIMITS });
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
      else reject(failure ?? new Error('the command thread stopped without a result'));
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
    cwd: process.cwd(),
    signal: controller.signal,
  });
  send({ kind: 'exit', code });
  // The abort listener keeps the port open; the command is done.
  port.close();
}
