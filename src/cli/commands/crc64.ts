import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createHashPool, isHashFailure } from '../../crc/pool';
import { printable } from '../../util/format';
import { describeSkip, walkFiles } from '../../util/walk';
import { isCancelled } from '../../util/errors';
import { parseCommandArgs, positiveIntFlag } from '../args';
import { EXIT_OK, EXIT_USAGE, exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import * as l10n from '@vscode/l10n';

/** The command's `--help`, in the run's language. */
export function usage(): string {
  return l10n.t(
    `Usage: bucket-integrity crc64 [--json] [--workers <n>] <path>...

Prints the CRC-64 (as COS and OSS compute it: CRC-64/XZ, unsigned decimal) of each file. Folders are
walked recursively: links to files are followed, links to folders are not (they are named on stderr),
the same files upload and compare see.

Options:
  --json           print a JSON array of {"path", "size", "crc64"} (crc64 a decimal string)
  --workers <n>    hashing threads (default one per CPU core)

Output: one line per file, "<crc64>  <path>" (newlines and control characters in a path are escaped,
e.g. "\\n"; --json gives the path as it is).
{0}
`, exitStatusUsage(l10n.t('none (it only reads files)'), l10n.t('a path missing or unreadable (the other files are still printed)')),
  );
}

const FLAGS = {
  json: { type: 'boolean' },
  workers: { type: 'string' },
} as const;

interface Row {
  path: string;
  size: number;
  crc64: string;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length === 0) throw new UsageError(l10n.t('give at least one file or folder'));
  const workers = positiveIntFlag(args, 'workers');
  let exit = EXIT_OK;
  const problem = (path: string, err: unknown) => {
    io.stderr(`bucket-integrity crc64: ${printable(path)}: ${printable(describe(err))}\n`);
    exit = EXIT_USAGE;
  };

  // Files print as given; files found in a folder print as the folder argument joined with their
  // path inside it, so relative arguments give relative output.
  const files: string[] = [];
  const names: string[] = [];
  for (const arg of args.positionals) {
    const abs = resolve(io.cwd, arg);
    const shown = (p: string) => (p === abs ? arg : join(arg, relative(abs, p)));
    try {
      const found = (await stat(abs)).isDirectory()
        ? await walkFiles(abs, {
            signal: io.signal,
            onError: (p, err) => problem(shown(p), err),
            onSkip: (p, reason) => io.stderr(l10n.t('bucket-integrity crc64: skipped {0}: {1}\n', printable(shown(p)), describeSkip(reason))),
          })
        : [abs];
      for (const f of found) {
        files.push(f);
        names.push(shown(f));
      }
    } catch (err) {
      if (isCancelled(err)) throw err;
      problem(arg, err);
    }
  }

  const pool = createHashPool(workers ? { workers } : {});
  const rows: Row[] = [];
  try {
    const results = await pool.hashFiles(files, { signal: io.signal });
    results.forEach((r, i) => {
      const name = names[i];
      if (isHashFailure(r)) {
        problem(name, r.error);
        return;
      }
      rows.push({ path: name, size: r.size, crc64: r.crc64.toString() });
      if (!args.flags.json) io.stdout(`${r.crc64}  ${printable(name)}\n`);
    });
  } finally {
    pool.dispose();
  }
  if (args.flags.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  return exit;
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'not a regular file';
    default:
      return e instanceof Error ? e.message : String(err);
  }
}
