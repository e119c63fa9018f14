/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl+C so long work stops cleanly (temp files removed, uploads left resumable). */
  signal?: AbortSignal;
  /** The CLI bundle, when the CLI runs as a program: a command with a thread of its own is started from it. */
  script?: string;
}

/** A mistake in how the command was called; printed with the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}
