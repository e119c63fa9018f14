import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createHashPool } from '../../crc/pool';
import { poolHasher } from '../../crc/hashers';
import { compareFolder, folderPrefix, summarize, type FileResult } from '../../integrity/compare';
import { exportedResult, resultLine, writeExport } from '../../integrity/check/format';
import { countsLine } from '../../integrity/verdict';
import { createObjectStore } from '../../storage';
import { printable } from '../../util/format';
import { describeSkip } from '../../util/walk';
import { parseCommandArgs, positiveIntFlag, stringFlag } from '../args';
import { exitCodeOfRun, exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS, remoteUsage } from '../remote';
import * as l10n from '@vscode/l10n';

/** The command's `--help`, in the run's language. */
export function usage(): string {
  return l10n.t(
    `Usage: bucket-integrity compare [options] <localDir> <cos://bucket/prefix | oss://bucket/prefix>

Compares every file under <localDir> with the object of the same relative path under the prefix (taken
as a folder: "cos://b/site" means "site/"), like "rclone check". Local files are hashed, remote CRC-64s
come from the service (HEAD); sizes that differ are a mismatch without hashing. Nothing is downloaded.
Links to files are followed, links to folders are not (they are named on stderr), as upload and crc64 do.

Statuses (with the symbols of "rclone check --combined", as in verify):
  = match         same size and CRC-64
  * differ        the sizes or the CRC-64s differ
  + only-local    the file has no object (only in the source)
  - only-remote   the object has no file (only in the destination)
  ? no-crc        the object was stored without a CRC-64 and cannot be checked this way
  ! error         the file or the object could not be read (details on stderr)

Options:
  --json              print {"files":[{"path","status","localCrc64","remoteCrc64",…}],"summary":{…}}
  --report <file>     counts and every file, one row each: CSV, or JSON if it ends in .json (the
                      columns and fields of "verify --report")
  --concurrency <n>   HEAD requests at once (default 8)
  --workers <n>       hashing threads (default one per CPU core)
{0}

Output: one line per file, "<symbol> <relative path>  (why)" as in verify and "rclone check --combined"
(newlines and control characters escaped, e.g. "\\n"), then the counts.
{1}
`,
    remoteUsage(),
    exitStatusUsage(l10n.t('a file mismatches, is missing or has no CRC-64'), l10n.t('unreadable files or objects')),
  );
}

const FLAGS = {
  ...REMOTE_FLAGS,
  json: { type: 'boolean' },
  report: { type: 'string' },
  concurrency: { type: 'string' },
  workers: { type: 'string' },
} as const;

interface JsonFile {
  path: string;
  status: FileResult['status'];
  localCrc64: string | null;
  remoteCrc64: string | null;
  key: string;
  localSize: number | null;
  remoteSize: number | null;
  detail?: string;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length !== 2) throw new UsageError(l10n.t('expected <localDir> and a remote'));
  const [localArg, remoteArg] = args.positionals;
  const remote = parseRemoteArg(remoteArg);
  const connection = connectionFromArgs(args, remote, io.env);
  const concurrency = positiveIntFlag(args, 'concurrency');
  const workers = positiveIntFlag(args, 'workers');
  const localDir = resolve(io.cwd, localArg);
  const localStat = await stat(localDir).catch(() => undefined);
  if (!localStat?.isDirectory()) throw new UsageError(l10n.t('{0} is not a folder', localArg));

  const store = await createObjectStore({ ...connection, log: (line) => io.stderr(`${printable(line)}\n`) });
  const pool = createHashPool(workers ? { workers } : {});
  const hashFiles = poolHasher(pool);
  let results: FileResult[];
  try {
    results = await compareFolder(
      {
        store,
        hashFiles,
        signal: io.signal,
        onSkip: (path, reason) => io.stderr(l10n.t('bucket-integrity compare: skipped {0}: {1}\n', printable(path), describeSkip(reason))),
        ...(concurrency ? { concurrency } : {}),
      },
      { localDir, bucket: remote.bucket, prefix: remote.key },
    );
  } finally {
    pool.dispose();
  }

  const summary = summarize(results);
  const where = `${remote.provider}://${remote.bucket}/${folderPrefix(remote.key)}`;
  const reportFile = stringFlag(args, 'report');
  if (reportFile)
    await writeExport(
      resolve(io.cwd, reportFile),
      { remote: where, localDir, checkedAt: new Date(), counts: summary },
      results.map(exportedResult),
    );
  for (const r of results) {
    if (r.status === 'error') io.stderr(`bucket-integrity compare: ${printable(r.relativePath)}: ${printable(r.detail ?? 'failed')}\n`);
  }
  if (args.flags.json) {
    const files: JsonFile[] = results.map((r) => ({
      path: r.relativePath,
      status: r.status,
      localCrc64: r.localCrc64 ?? null,
      remoteCrc64: r.remoteCrc64 ?? null,
      key: r.key,
      localSize: r.localSize ?? null,
      remoteSize: r.remoteSize ?? null,
      ...(r.detail ? { detail: r.detail } : {}),
    }));
    io.stdout(`${JSON.stringify({ files, summary }, null, 2)}\n`);
  } else {
    // The lines and the counts of verify: one symbol table, one format.
    for (const r of results) io.stdout(`${resultLine(r, r.relativePath)}\n`);
    io.stdout(
      summary.total === 1
        ? l10n.t('\n{0} file compared with {1}: {2}\n', summary.total, where, countsLine(summary))
        : l10n.t('\n{0} files compared with {1}: {2}\n', summary.total, where, countsLine(summary)),
    );
  }
  return exitCodeOfRun({ couldNotCheck: summary.error > 0, dataProblem: summary.match !== summary.total });
}
