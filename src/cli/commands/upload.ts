import { promises as fs } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createObjectStore } from '../../storage';
import { isFatalForRun } from '../../storage/errors';
import { uploadBatch } from '../../transfer/batch';
import { CheckpointStore } from '../../transfer/checkpoint';
import { serviceOf } from '../../transfer/copyMethod';
import { MiB } from '../../transfer/planner';
import { formatRemoteUrl } from '../../transfer/remoteUrl';
import { nonNegativeIntFlag, parseCommandArgs, positiveIntFlag, stringFlag } from '../args';
import { exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS, remoteUsage } from '../remote';
import { recordTransferred } from '../../record/sources';
import { verifiedObjects } from '../../record/transferred';
import { defaultProfile, recordFile } from '../recordFile';
import { cliLog, exitCodeFor, printNotes, printReports, reportUpload, stateDir } from '../transferOutput';
import * as l10n from '@vscode/l10n';

/** The command's `--help`, in the run's language. */
export function usage(): string {
  return l10n.t(
    `Usage: bucket-integrity upload [options] <localPath> <cos://bucket/key | cos://bucket/prefix/ | oss://…>

Uploads a file (or every file under a folder) and checks the CRC-64 the service computed over what it
stored against the local one, part by part for multipart uploads. An interrupted upload (Ctrl+C, a crash)
resumes from where it stopped when the same command is run again.

A remote ending with "/" is a prefix: the file keeps its name under it. A folder always goes to a prefix.
In a folder, links to files are uploaded under the link's name; links to folders are not followed and
are named on stderr ("skipped …"), as crc64 and compare do.

Options:
  --json                     print {"files":[{"path","key","size","parts","crc64","verified","retriedParts"}],"notes"?}
  --part-size <MiB>          multipart part size (default 8; raised automatically past 10,000 parts)
  --multipart-threshold <MiB>
                             files of at least this size go multipart (default 16)
  --concurrency <n>          parts in flight at once (default 4)
  --part-retries <n>         times a part whose CRC-64 came back wrong is sent again (default 3; 0 allowed)
  --on-cancel keep|abort     on Ctrl+C keep the upload for resume (default) or abort it
  --no-skip-identical        send every file, also one whose object already has its size and CRC-64
                             (by default such a file is reported "already identical" and not sent)
  --state-dir <dir>          where resume checkpoints live (default ~/.local/state/bucket-integrity)
{0}

{1}
`,
    remoteUsage(),
    exitStatusUsage(l10n.t('anything unverified or failed')),
  );
}

const FLAGS = {
  ...REMOTE_FLAGS,
  json: { type: 'boolean' },
  'part-size': { type: 'string' },
  'multipart-threshold': { type: 'string' },
  concurrency: { type: 'string' },
  'part-retries': { type: 'string' },
  'on-cancel': { type: 'string' },
  'state-dir': { type: 'string' },
  // The default; still accepted so scripts written for it keep working.
  'skip-identical': { type: 'boolean' },
  'no-skip-identical': { type: 'boolean' },
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length !== 2) throw new UsageError(l10n.t('expected <localPath> and a remote'));
  const [localArg, remoteArg] = args.positionals;
  const remote = parseRemoteArg(remoteArg);
  const connection = connectionFromArgs(args, remote, io.env);
  const onCancel = stringFlag(args, 'on-cancel') ?? 'keep';
  if (onCancel !== 'keep' && onCancel !== 'abort') throw new UsageError(l10n.t('--on-cancel must be "keep" or "abort"'));
  const partSizeMiB = positiveIntFlag(args, 'part-size');
  const thresholdMiB = positiveIntFlag(args, 'multipart-threshold');
  const localPath = resolve(io.cwd, localArg);
  const stat = await fs.stat(localPath).catch(() => undefined);
  if (!stat) throw new UsageError(l10n.t('{0}: no such file or folder', localArg));
  if (!stat.isFile() && !stat.isDirectory()) throw new UsageError(l10n.t('{0} is neither a file nor a folder', localArg));

  if (stat.isDirectory() && remote.key !== '' && !remote.key.endsWith('/')) {
    throw new UsageError(l10n.t('a folder uploads to a prefix: end the remote with "/"'));
  }

  const json = args.flags.json === true;
  const log = cliLog(io);
  const store = await createObjectStore({ ...connection, log });
  const key = stat.isFile() && (remote.key === '' || remote.key.endsWith('/')) ? remote.key + basename(localPath) : remote.key;
  const report = await uploadBatch([{ store, bucket: remote.bucket, localPath, key, service: serviceOf(connection) }], {
    partSize: partSizeMiB !== undefined ? partSizeMiB * MiB : undefined,
    multipartThreshold: thresholdMiB !== undefined ? thresholdMiB * MiB : undefined,
    concurrency: positiveIntFlag(args, 'concurrency'),
    partRetries: nonNegativeIntFlag(args, 'part-retries'),
    checkpoints: new CheckpointStore(resolve(io.cwd, stateDir(stringFlag(args, 'state-dir'), io.env), 'checkpoints')),
    onCancel: onCancel as 'keep' | 'abort',
    // A re-run sends nothing the bucket already holds, as cp does (one HEAD per file).
    skipIdentical: args.flags['no-skip-identical'] !== true,
    signal: io.signal,
    // Keys rejected, access denied, a missing bucket: one message and exit 2, not one FAILED line per file.
    stopOn: isFatalForRun,
    log,
  });
  // What was verified is what the service stored: a later verify needs no HEAD for it.
  await recordTransferred(
    recordFile(io, stringFlag(args, 'state-dir')),
    { profile: defaultProfile(remote, connection), bucket: remote.bucket },
    'upload',
    verifiedObjects(report.outcomes),
    log,
  );
  printNotes(io, report.notes);
  if (report.stoppedBy) throw report.stoppedBy;
  if (report.cancelled) {
    io.stderr(
      onCancel === 'keep'
        ? 'Upload paused. Run the same command again to resume it.\n'
        : 'Upload cancelled; unfinished multipart uploads were aborted.\n',
    );
    return 130;
  }
  const reports = report.outcomes.map(reportUpload);
  printReports(io, reports, json, (k) => formatRemoteUrl({ ...remote, key: k }), report.notes);
  return exitCodeFor(
    reports,
    report.outcomes.flatMap((o) => (o.ok ? [] : [o.error])),
  );
}
