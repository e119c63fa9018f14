import { join, relative, resolve, sep } from 'node:path';
import { createHashPool, isHashFailure } from '../../crc/pool';
import { hashTree } from '../../crc/treeHash';
import { printable } from '../../util/format';
import { describeSkip } from '../../util/walk';
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

Output: one line per file, "<crc64>  <path>", in walk order (names sorted within each folder), printed
as files are hashed (newlines and control characters in a path are escaped,
e.g. "\\n"; --json gives the path as it is).
{0}
`,
    exitStatusUsage(l10n.t('none (it only reads files)'), l10n.t('a path missing or unreadable (the other files are still printed)')),
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
  const out = new BatchedOutput(io);
  const problem = (path: string, err: unknown) => {
    out.stderr(`bucket-integrity crc64: ${printable(path)}: ${printable(describe(err))}\n`);
    exit = EXIT_USAGE;
  };

  // Files print as given; files found in a folder print as the folder argument joined with their
  // path inside it, so relative arguments give relative output. Each line is printed as soon as its
  // file and every one before it are hashed (walk order), so memory does not grow with the tree.
  const roots = args.positionals.map((arg) => resolve(io.cwd, arg));
  // The walk joins each name to its root, so the path inside the root is what follows the root's prefix.
  const prefixes = roots.map((r) => (r.endsWith(sep) ? r : r + sep));
  const shown = (p: string, root: number) =>
    p === roots[root]
      ? args.positionals[root]
      : join(args.positionals[root], p.startsWith(prefixes[root]) ? p.slice(prefixes[root].length) : relative(roots[root], p));
  const pool = createHashPool(workers ? { workers } : {});
  let rows = 0;
  try {
    await hashTree(
      pool,
      roots,
      (r, root) => {
        const name = shown(r.path, root);
        if (isHashFailure(r)) {
          problem(name, r.error);
          return;
        }
        const row: Row = { path: name, size: r.size, crc64: r.crc64.toString() };
        // The same text as JSON.stringify(rows, null, 2), one element at a time.
        if (args.flags.json) out.stdout(`${rows === 0 ? '[\n' : ',\n'}${JSON.stringify(row, null, 2).replace(/^/gm, '  ')}`);
        else out.stdout(`${row.crc64}  ${printable(name)}\n`);
        rows++;
      },
      {
        signal: io.signal,
        onError: (p, err, root) => problem(shown(p, root), err),
        onSkip: (p, reason, root) =>
          out.stderr(l10n.t('bucket-integrity crc64: skipped {0}: {1}\n', printable(shown(p, root)), describeSkip(reason))),
      },
    );
  } finally {
    pool.dispose();
    out.flush();
  }
  if (args.flags.json) io.stdout(rows === 0 ? '[]\n' : '\n]\n');
  return exit;
}

/**
 * stdout in one write per turn of the event loop instead of one per line: results arrive a chunk at a
 * time, and a write is a system call when stdout is a file or a pipe, one per file otherwise. No line
 * waits longer than the chunk it came with; stderr flushes stdout first, so the two keep their order.
 */
class BatchedOutput {
  private pending = '';
  private scheduled = false;

  constructor(private readonly io: CliIo) {}

  stdout(text: string): void {
    this.pending += text;
    if (this.pending.length >= 1 << 16) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  stderr(text: string): void {
    this.flush();
    this.io.stderr(text);
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.io.stdout(text);
  }
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
