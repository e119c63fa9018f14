import { promises as fs } from 'node:fs';
import { resolve, sep } from 'node:path';
import { createObjectStore } from '../../storage';
import { isFatalForRun, StorageError } from '../../storage/errors';
import type { ObjectStore } from '../../storage/types';
import { atVersion } from '../../storage/versions';
import { downloadBatch } from '../../transfer/batch';
import type { ExistingFileDecision, ExistingFilePolicy } from '../../transfer/downloader';
import { formatRemoteUrl } from '../../transfer/remoteUrl';
import { parseCommandArgs, positiveIntFlag, stringFlag } from '../args';
import { exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS, remoteUsage } from '../remote';
import { RESTORE_FLAGS, restoreUsage, restorePolicyFromArgs, withRestore } from '../restore';
import { recordTransferred } from '../../record/sources';
import { verifiedObjects } from '../../record/transferred';
import { defaultProfile, recordFile } from '../recordFile';
import { cliLog, exitCodeFor, printNotes, printReports, reportDownload } from '../transferOutput';
import * as l10n from '@vscode/l10n';

/** The command's `--help`, in the run's language. */
export function usage(): string {
  return l10n.t(
    `Usage: bucket-integrity download [options] <cos://bucket/key | cos://bucket/prefix/ | oss://…> <localPath>

Downloads an object (or every object under a prefix ending with "/") and checks its CRC-64 while it
streams into a temporary file; the file is renamed into place only when the check passes. When the
answer carries no CRC-64 the object's own (HEAD) is checked instead; an object stored without any is
saved as a new file and reported as not verified, but never replaces an existing file unless
--allow-unverified is given. Keys that would land outside <localPath> ("../x", absolute paths, drive
letters) are refused; keys ending in "/" are folder markers and never become files.

A remote without "/" that names no object but has objects under "<key>/" is that prefix (as compare and
verify read it). <localPath> is the file to write for one object (an existing folder or a path ending with "/" keeps the
object's name), and the folder to write into for a prefix.

Options:
  --json                       print {"files":[{"path","key","size","parts","crc64","verified","retriedParts"}],"notes"?}
  --if-exists compare|overwrite|skip
                               an existing local file: compare CRC-64s and skip it when it differs
                               (default), replace it, or leave it
  --allow-unverified           let an object without a CRC-64 replace an existing file (with
                               --if-exists overwrite); its bytes cannot be checked
  --concurrency <n>            objects downloaded at once for a prefix (default 3)
  --version-id <id>            one object only: download this version of it (from "verify --all-versions"
                               or the tree's versions); checked by that version's own CRC-64
{2}
{0}

{1}
`,
    remoteUsage(),
    exitStatusUsage(l10n.t('anything unverified, skipped or failed, a body the service never sent whole')),
    restoreUsage(),
  );
}

const FLAGS = {
  ...REMOTE_FLAGS,
  ...RESTORE_FLAGS,
  json: { type: 'boolean' },
  'if-exists': { type: 'string' },
  'allow-unverified': { type: 'boolean' },
  concurrency: { type: 'string' },
  'version-id': { type: 'string' },
} as const;

function policyFor(flag: string): ExistingFilePolicy {
  if (flag === 'compare') return (q) => (q.compared ? 'skip' : 'compare');
  return () => flag as ExistingFileDecision;
}

/** No object at `key`, and at least one under `key/`. */
async function isOnlyAPrefix(store: ObjectStore, bucket: string, key: string, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await store.head(bucket, key, { signal });
    return false;
  } catch (err) {
    if (!(err instanceof StorageError && err.kind === 'no-such-key')) throw err;
  }
  const page = await store.list(bucket, { prefix: `${key}/`, pageSize: 1, signal });
  return page.objects.length > 0;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length !== 2) throw new UsageError(l10n.t('expected a remote and <localPath>'));
  const [remoteArg, localArg] = args.positionals;
  const remote = parseRemoteArg(remoteArg);
  const connection = connectionFromArgs(args, remote, io.env);
  const ifExists = stringFlag(args, 'if-exists') ?? 'compare';
  if (!['compare', 'overwrite', 'skip'].includes(ifExists)) {
    throw new UsageError(l10n.t('--if-exists must be "compare", "overwrite" or "skip"'));
  }
  const concurrency = positiveIntFlag(args, 'concurrency');
  const json = args.flags.json === true;
  const restore = restorePolicyFromArgs(args, io);
  const log = cliLog(io);
  const versionId = stringFlag(args, 'version-id');
  if (versionId !== undefined && (remote.key === '' || remote.key.endsWith('/')))
    throw new UsageError(l10n.t('--version-id names a version of one object: give its key, not a prefix'));
  const current = withRestore(await createObjectStore({ ...connection, log }), restore);
  // A version is read through a view of the store in which the key is that version.
  const store = versionId === undefined ? current : atVersion(current, remote.bucket, remote.key, versionId);
  const localPath = resolve(io.cwd, localArg);
  // `cos://b/site` with no object "site" but objects under "site/" is that prefix, as compare and verify read it.
  if (
    versionId === undefined &&
    remote.key !== '' &&
    !remote.key.endsWith('/') &&
    (await isOnlyAPrefix(store, remote.bucket, remote.key, io.signal))
  ) {
    remote.key += '/';
  }
  const isPrefix = remote.key === '' || remote.key.endsWith('/');
  const intoFolder =
    !isPrefix &&
    (localArg.endsWith('/') || localArg.endsWith(sep) || (await fs.stat(localPath).catch(() => undefined))?.isDirectory() === true);
  const report = await downloadBatch([{ store, bucket: remote.bucket, key: remote.key, isPrefix, intoFolder, localPath }], {
    ifExists: policyFor(ifExists),
    allowUnverified: args.flags['allow-unverified'] === true,
    concurrency,
    signal: io.signal,
    // Keys rejected, access denied, a missing bucket: one message and exit 2, not one FAILED line per file.
    stopOn: isFatalForRun,
    log,
  });
  // The record holds what a key is now: a version that is not current is not recorded.
  if (versionId === undefined)
    await recordTransferred(
      recordFile(io, undefined),
      { profile: defaultProfile(remote, connection), bucket: remote.bucket },
      'download',
      verifiedObjects(report.outcomes),
      log,
    );
  printNotes(io, report.notes);
  if (report.stoppedBy) throw report.stoppedBy;
  if (report.cancelled) {
    io.stderr(l10n.t('Download cancelled; nothing partial was left at the target.\n'));
    return 130;
  }
  const reports = report.outcomes.map(reportDownload);
  printReports(io, reports, json, (key) => formatRemoteUrl({ ...remote, key }), report.notes);
  return exitCodeFor(
    reports,
    report.outcomes.flatMap((o) => (o.ok ? [] : [o.error])),
  );
}
