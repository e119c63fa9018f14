import { StorageError } from '../storage/errors';
import { isCancelled } from '../util/errors';
import { type CliIo, EXIT_USAGE, processIo, UsageError } from './io';

/**
 * `bucket-integrity <command> …`: the same core as the extension, for terminals and CI pipelines.
 * Sub-commands load on demand so `crc64` never pays for the cloud SDKs.
 */

interface CommandModule {
  run(argv: string[], io: CliIo): Promise<number>;
  usage: string;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

const COMMANDS: Record<string, CommandEntry> = {
  crc64: { summary: 'print the CRC-64 of files and folders', load: () => import('./commands/crc64') },
  upload: { summary: 'upload files with CRC-64 verification (resumable)', load: () => import('./commands/upload') },
  download: { summary: 'download objects with CRC-64 verification', load: () => import('./commands/download') },
  compare: { summary: 'compare a local folder with a remote prefix by CRC-64', load: () => import('./commands/compare') },
  verify: { summary: 'verify a bucket or prefix by CRC-64 (inventory reports, a record of what was checked)', load: () => import('./commands/verify') },
  append: { summary: 'append the new bytes of a growing file to an OSS object, verified by CRC-64', load: () => import('./commands/append') },
  cp: { summary: 'copy or move objects between buckets and clouds, verified by CRC-64 (resumable)', load: () => import('./commands/cp') },
};

function mainUsage(): string {
  const width = Math.max(0, ...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: bucket-integrity <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "bucket-integrity <command> --help" for a command's options.\n`;
}

/** Runs one invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(mainUsage());
    return name ? 0 : EXIT_USAGE;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr(`bucket-integrity: unknown command "${name}"\n\n${mainUsage()}`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    return reportFailure(name, command, err, io);
  }
}

function reportFailure(name: string, command: CommandModule, err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    io.stderr(`bucket-integrity ${name}: ${err.message}\n\n${command.usage}`);
  } else if (isCancelled(err)) {
    io.stderr(`bucket-integrity ${name}: cancelled\n`);
    return 130;
  } else if (err instanceof StorageError) {
    io.stderr(`bucket-integrity ${name}: ${err.message}${err.hint ? `\n${err.hint}` : ''}\n`);
  } else {
    io.stderr(`bucket-integrity ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  return EXIT_USAGE;
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  runCli(process.argv.slice(2), { ...processIo(), signal: controller.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`bucket-integrity: ${String(err)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
