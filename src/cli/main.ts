import { StorageError } from '../storage/errors';
import { isCancelled } from '../util/errors';
import { EXIT_OK, EXIT_USAGE, exitCodeOfError } from './exitCodes';
import { version } from '../../package.json';
import { didYouMean } from './args';
import { type CliIo, processIo, UsageError } from './io';
import { commandJob, CRC64_THREAD_LIMITS, runInThread, serveCommand, type ThreadLimits, VERIFY_THREAD_LIMITS } from './commandThread';
import { isMainThread } from 'node:worker_threads';
import { takeLanguage, useLanguage } from './lang';
import * as l10n from '@vscode/l10n';

/**
 * `bucket-integrity <command> …`: the same core as the extension, for terminals and CI pipelines.
 * Sub-commands load on demand so `crc64` never pays for the cloud SDKs.
 */

interface CommandModule {
  run(argv: string[], io: CliIo): Promise<number>;
  /** The command's `--help`, in the run's language. */
  usage(): string;
}

interface CommandEntry {
  summary: () => string;
  load: () => Promise<CommandModule>;
  /** Runs on a thread of its own with a heap of these limits (`commandThread.ts`), when the CLI runs as a program. */
  ownThread?: ThreadLimits;
}

const COMMANDS: Record<string, CommandEntry> = {
  crc64: {
    summary: () => l10n.t('print the CRC-64 of files and folders'),
    load: () => import('./commands/crc64'),
    ownThread: CRC64_THREAD_LIMITS,
  },
  upload: { summary: () => l10n.t('upload files with CRC-64 verification (resumable)'), load: () => import('./commands/upload') },
  download: { summary: () => l10n.t('download objects with CRC-64 verification'), load: () => import('./commands/download') },
  compare: { summary: () => l10n.t('compare a local folder with a remote prefix by CRC-64'), load: () => import('./commands/compare') },
  verify: {
    summary: () => l10n.t('verify a bucket or prefix by CRC-64 (inventory reports, a record of what was checked)'),
    load: () => import('./commands/verify'),
    ownThread: VERIFY_THREAD_LIMITS,
  },
  append: {
    summary: () => l10n.t('append the new bytes of a growing file to an OSS object, verified by CRC-64'),
    load: () => import('./commands/append'),
  },
  cp: {
    summary: () => l10n.t('copy or move objects between buckets and clouds, verified by CRC-64 (resumable)'),
    load: () => import('./commands/cp'),
  },
};

function mainUsage(): string {
  const width = Math.max(0, ...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary()}`);
  return `${l10n.t('Usage: bucket-integrity <command> [options]')}\n\n${l10n.t('Commands:')}\n${lines.join('\n')}\n\n${l10n.t('Run "bucket-integrity <command> --help" for a command\'s options.')}\n`;
}

/** Where every option's description starts in `--help`, whatever column a usage was written with. */
const HELP_COLUMN = 29;

/**
 * Option lines (`  --flag <v>   text`) and their continuation lines put in one column, so the options of
 * every command (and the shared remote ones) read as one table.
 */
export function alignHelp(usage: string): string {
  const out: string[] = [];
  let inOption = false;
  for (const line of usage.split('\n')) {
    const option = /^ {2}(-\S(?:\S| (?! ))*)(?: {2,}(\S.*))?$/.exec(line);
    if (option) {
      inOption = true;
      const [, flag, text] = option;
      if (text === undefined) out.push(`  ${flag}`);
      else if (flag.length + 4 <= HELP_COLUMN) out.push(`  ${flag.padEnd(HELP_COLUMN - 2)}${text}`);
      else out.push(`  ${flag}`, `${' '.repeat(HELP_COLUMN)}${text}`);
    } else if (inOption && /^ {6,}\S/.test(line)) out.push(`${' '.repeat(HELP_COLUMN)}${line.trimStart()}`);
    else {
      inOption = false;
      out.push(line);
    }
  }
  return out.join('\n');
}

/** The line after a usage error: where the whole usage is, instead of printing it all. */
const HELP_HINT = (name: string): string =>
  `${name ? l10n.t('Run "bucket-integrity {0} --help" for its options.', name) : l10n.t('Run "bucket-integrity --help" for the commands.')}\n`;

/** Runs one invocation and returns its exit code (`exitCodes`); never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const chosen = takeLanguage(argv, io.env);
  useLanguage(chosen.language);
  const [name, ...rest] = chosen.argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(mainUsage());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`bucket-integrity ${version}\n`);
    return EXIT_OK;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const known = name.startsWith('-') ? ['--help', '--version'] : Object.keys(COMMANDS);
    const unknown = name.startsWith('-') ? l10n.t('unknown option "{0}"', name) : l10n.t('unknown command "{0}"', name);
    io.stderr(`bucket-integrity: ${unknown}${didYouMean(name, known)}\n${HELP_HINT('')}`);
    return EXIT_USAGE;
  }
  if (entry.ownThread && io.script) {
    try {
      return await runInThread(io.script, { command: name, argv: rest, language: chosen.language, cwd: io.cwd }, io, entry.ownThread);
    } catch (err) {
      return reportFailure(name, err, io);
    }
  }
  return runCommand(name, entry, rest, io);
}

/** Loads and runs one command (or prints its usage); never throws. */
async function runCommand(name: string, entry: CommandEntry, rest: string[], io: CliIo): Promise<number> {
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(alignHelp(command.usage()));
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (err) {
    return reportFailure(name, err, io);
  }
}

/** Whatever ended a command is said in one clear line (and where its usage is, for a usage error); never a stack. */
function reportFailure(name: string, err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    io.stderr(`bucket-integrity ${name}: ${err.message}\n${HELP_HINT(name)}`);
  } else if (isCancelled(err)) {
    io.stderr(`bucket-integrity ${name}: ${l10n.t('cancelled')}\n`);
  } else if (err instanceof StorageError) {
    io.stderr(`bucket-integrity ${name}: ${err.message}${err.hint ? `\n${err.hint}` : ''}\n`);
  } else if (err instanceof Error && !isProgramFault(err)) {
    io.stderr(`bucket-integrity ${name}: ${err.message}\n`);
  } else {
    // Not an error of ours: say so plainly, without a stack, and that the run stopped.
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    io.stderr(
      `bucket-integrity ${name}: ${l10n.t('stopped by an unexpected error ({0}). Nothing was reported as verified by this run.', what)}\n`,
    );
  }
  return exitCodeOfError(err);
}

/** Errors no command throws on purpose (a fault in the program or the runtime, e.g. a string too long). */
function isProgramFault(err: Error): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError;
}

if (commandJob()) {
  void serveCommand((job, io) => {
    useLanguage(job.language);
    return runCommand(job.command, COMMANDS[job.command], job.argv, io);
  });
} else if (require.main === module && isMainThread) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  runCli(process.argv.slice(2), { ...processIo(), signal: controller.signal, script: __filename }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `bucket-integrity: ${l10n.t('stopped by an unexpected error ({0}).', err instanceof Error ? err.message : String(err))}\n`,
      );
      process.exitCode = EXIT_USAGE;
    },
  );
  // An error thrown outside any awaited call (a stray callback, a stream): one line and exit 2, never a stack.
  const last = (err: unknown): void => {
    process.stderr.write(
      `bucket-integrity: ${l10n.t('stopped by an unexpected error ({0}).', err instanceof Error ? err.message : String(err))}\n`,
    );
    process.exit(exitCodeOfError(err));
  };
  process.on('uncaughtException', last);
  process.on('unhandledRejection', last);
}
