import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createHashPool } from '../../crc/pool';
import { poolHasher, type LocalHasher } from '../../crc/hashers';
import { folderPrefix } from '../../storage/listing';
import { resultLine } from '../../integrity/check/format';
import {
  combinedLine,
  countsLine,
  VERIFY_STATUSES,
  verifyJournal,
  verifyPrefix,
  verifyRunId,
  writeReport,
  type VerifyResult,
  type VerifySummary,
} from '../../integrity/verify';
import { isVersionLister } from '../../storage/capabilities';
import { verifyAllVersions, type VersionResult } from '../../integrity/versions/verifyVersions';
import { versionLine, versionsExitCode, versionsLine, type VersionsRun } from './verifyVersionsOutput';
import {
  importInventory,
  InventoryError,
  readInventoryVersions,
  versionKey,
  type ImportResult,
  type InventoryLocation,
  type InventoryVersions,
} from '../../inventory';
import type { CrcRecord } from '../../record';
import { createObjectStore } from '../../storage';
import { defaultProfile } from '../recordFile';
import { inventoryLocationFor, sayVerify, VERIFY_FLAGS, withVerifyRecord } from '../verifyShared';
import { isAudit, run as runAudit, usage as auditUsage } from './audit';

import type { ObjectStore } from '../../storage/types';
import type { ObjectVersion } from '../../storage/versions';
import type { RemoteUrl } from '../../transfer/remoteUrl';
import { formatCount, formatDuration } from '../../util/format';
import { parseCommandArgs, positiveIntFlag, stringFlag, type ParsedArgs } from '../args';
import { exitCodeOfRun, exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { connectionFromArgs, parseRemoteArg, remoteUsage } from '../remote';
import * as l10n from '@vscode/l10n';

/** The command's `--help`, in the run's language. */
export function usage(): string {
  return (
    l10n.t(
      `Usage: bucket-integrity verify [options] <cos://bucket/prefix | oss://bucket/prefix> [localDir]

Verifies every object below the prefix (taken as a folder), like "rclone check": against the file of the
same relative path under [localDir], or, without one, against the CRC record (an object whose CRC-64
changed while its ETag did not is flagged). CRC-64s come from the record (filled by inventory reports,
uploads, downloads and earlier runs); the live listing is compared with it by ETag, size and
LastModified and only new or changed objects are HEADed. A stopped run (Ctrl+C) continues where it stopped when run again.

Options:
  --inventory <id>          first import the newest report of this inventory (it must include Crc64)
  --inventory-bucket <b>    the bucket the inventory writes to, and
  --inventory-prefix <p>    its report prefix (default: read from the inventory's configuration)
  --combined <file>         every object, one line each: "= path" match, "* path" differ, "+ path" only
                            local, "- path" only in the bucket, "? path" no CRC-64, "! path" error
  --report <file>           counts and every object that did not match: CSV, or JSON if it ends in .json
  --json                    print {"summary","requests","resumed","inventory","issues":[…]}
  --record-only             check what the record holds without listing the bucket (no requests at all;
                            as fresh as the record: objects added or replaced since are not seen)
  --all-versions            also check every version of every object (versioned buckets): each is HEADed
                            by its version id and must have a CRC-64 and the size and ETag the versions
                            listing gives; delete markers are listed. With --inventory of a report of
                            all versions, a version it lists with a CRC-64 needs no HEAD. Download one
                            with "download --version-id <id>"
  --restart                 start over instead of continuing a stopped run
  --concurrency <n>         HEAD requests at once (default 16)
  --workers <n>             hashing threads (default one per CPU core)
  --profile <name>          name the record files objects under (default "<provider>:<endpoint or region>")
  --state-dir <dir>         where the record lives (default ~/.local/state/bucket-integrity)
{0}

Output: a line per object that did not match ("<symbol> <path>  (why)"), then the counts.
{1}
`,
      remoteUsage(),
      exitStatusUsage(
        l10n.t('something differs, is missing on one side or has no CRC-64'),
        l10n.t('unreadable objects or files, the record in use, a damaged inventory file'),
      ),
    ) + `\n${auditUsage()}`
  );
}

const FLAGS = {
  ...VERIFY_FLAGS,
  'all-versions': { type: 'boolean' },
  workers: { type: 'string' },
} as const;

interface Job {
  args: ParsedArgs;
  io: CliIo;
  remote: RemoteUrl;
  profile: string;
  localDir?: string;
  store: ObjectStore;
  record: CrcRecord;
}

const say = sayVerify;

/** Where the inventory `id` writes (`--inventory-bucket`, `--inventory-prefix`, else its configuration). */
function inventoryLocationOf(job: Job, id: string): Promise<InventoryLocation> {
  const given = { bucket: stringFlag(job.args, 'inventory-bucket'), prefix: stringFlag(job.args, 'inventory-prefix') };
  return inventoryLocationFor(job.store, job.remote, id, given, job.io.signal);
}

/** The inventory's rows into the record, or `undefined` (with the reason said) to fall back to HEAD. */
async function runImport(job: Job): Promise<ImportResult | undefined> {
  const id = stringFlag(job.args, 'inventory');
  if (!id) return undefined;
  const { remote, io } = job;
  try {
    const location = await inventoryLocationOf(job, id);
    const result = await importInventory({
      store: job.store,
      record: job.record,
      profile: job.profile,
      location,
      prefix: folderPrefix(remote.key),
      signal: io.signal,
      onProgress: (p) => say(io, `inventory: ${p.filesDone}/${p.files} files, ${formatCount(p.rows)} objects`),
    });
    for (const f of result.failed) say(io, `inventory file ${f.key} was not imported: ${f.message}`);
    say(io, `inventory "${id}" of ${result.run}: ${formatCount(result.rows)} objects recorded; the live listing covers what changed since`);
    return result;
  } catch (err) {
    if (!(err instanceof InventoryError) || err.kind !== 'no-crc64-field') throw err;
    const estimate = err.objectCount !== undefined ? `about ${formatCount(err.objectCount)} HEAD requests` : 'one HEAD request per object';
    say(io, `${err.message} Falling back to HEAD: ${estimate}.`);
    return undefined;
  }
}

function openCombined(job: Job, resuming: boolean): WriteStream | undefined {
  const file = stringFlag(job.args, 'combined');
  return file ? createWriteStream(resolve(job.io.cwd, file), { flags: resuming ? 'a' : 'w' }) : undefined;
}

/** The key below the prefix: how lines name an object. */
function pathOf(r: VerifyResult, prefix: string): string {
  return r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key;
}

async function verify(job: Job): Promise<{ summary: VerifySummary; inventory?: ImportResult }> {
  const { io, remote } = job;
  const prefix = folderPrefix(remote.key);
  const inventory = await runImport(job);
  const target = { profile: job.profile, bucket: remote.bucket, prefix, localDir: job.localDir };
  const restart = job.args.flags.restart === true;
  const saved = verifyJournal(job.record).state(verifyRunId(target));
  const resuming = !restart && saved !== undefined && !saved.finished;
  if (resuming) say(io, 'continuing the run that was stopped (--restart starts over)');
  const combined = openCombined(job, resuming);
  const workers = positiveIntFlag(job.args, 'workers');
  const concurrency = positiveIntFlag(job.args, 'concurrency');
  const pool = job.localDir ? createHashPool(workers ? { workers } : {}) : undefined;
  const hashFiles: LocalHasher | undefined = pool ? poolHasher(pool) : undefined;
  try {
    const summary = await verifyPrefix({
      store: job.store,
      record: job.record,
      ...target,
      restart,
      listing: job.args.flags['record-only'] !== true,
      signal: io.signal,
      ...(hashFiles ? { hashFiles } : {}),
      ...(concurrency ? { concurrency } : {}),
      // Matching objects are only written to --combined; without it the record can check itself in SQL.
      reportMatches: combined !== undefined,
      onResult: (r) => {
        combined?.write(`${combinedLine(r, prefix)}\n`);
        if (r.status !== 'match' && !job.args.flags.json) io.stdout(`${resultLine(r, pathOf(r, prefix))}\n`);
      },
      onProgress: (p) =>
        say(
          io,
          `${formatCount(p.done)}${p.total ? `/${formatCount(p.total)}` : ''} objects, ${formatCount(p.objectsPerSecond)}/s, ETA ${formatDuration(p.etaSeconds)}, ${formatCount(p.heads)} HEAD requests`,
        ),
    });
    if (job.args.flags['record-only'] === true) sayRecordDate(job, prefix);
    return { summary, ...(inventory ? { inventory } : {}) };
  } finally {
    pool?.dispose();
    if (combined) await new Promise((done) => combined.end(done));
  }
}

/** A verdict without a listing is only as fresh as what the record learnt: say since when. */
function sayRecordDate(job: Job, prefix: string): void {
  const dates = job.record.objects.checkedBetween({ profile: job.profile, bucket: job.remote.bucket }, prefix);
  if (!dates) return;
  const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const span = when(dates.oldest) === when(dates.newest) ? when(dates.oldest) : `${when(dates.oldest)} (newest ${when(dates.newest)})`;
  say(job.io, `verdict from the CRC record as of ${span}, without listing the bucket: objects added or replaced since are not seen`);
}

async function output(job: Job, summary: VerifySummary, inventory: ImportResult | undefined, versions?: VersionsRun): Promise<void> {
  const { io, remote } = job;
  const prefix = folderPrefix(remote.key);
  const where = `${remote.provider}://${remote.bucket}/${prefix}`;
  const reportFile = stringFlag(job.args, 'report');
  if (reportFile) {
    const target = { remote: where, ...(job.localDir ? { localDir: job.localDir } : {}), checkedAt: new Date() };
    await writeReport(resolve(io.cwd, reportFile), target, summary, verifyJournal(job.record).issues(summary.runId));
  }
  if (job.args.flags.json) {
    const issues = [...verifyJournal(job.record).issues(summary.runId)];
    const inv = inventory
      ? { run: inventory.run, manifest: inventory.manifestKey, objects: inventory.rows, failedFiles: inventory.failed }
      : null;
    const allVersions = versions ? { versions: { ...versions.summary, issues: versions.issues } } : {};
    io.stdout(
      `${JSON.stringify({ summary: summary.counts, requests: summary.requests, resumed: summary.resumed, inventory: inv, issues, ...allVersions }, null, 2)}\n`,
    );
  } else {
    const { total } = summary.counts;
    const line = [formatCount(total), where, countsLine(summary), formatCount(summary.requests.list), formatCount(summary.requests.head)];
    io.stdout(
      total === 1
        ? l10n.t('\n{0} object verified in {1}: {2}; {3} list and {4} HEAD requests\n', ...line)
        : l10n.t('\n{0} objects verified in {1}: {2}; {3} list and {4} HEAD requests\n', ...line),
    );
    if (versions) io.stdout(`${versionsLine(versions.summary)}\n`);
  }
}

function exitCode(summary: VerifySummary, inventory: ImportResult | undefined): number {
  const c = summary.counts;
  // A damaged inventory file was skipped: what it listed was not checked from it, so the check is not complete.
  const couldNotCheck = c.error > 0 || (inventory?.failed.length ?? 0) > 0;
  return exitCodeOfRun({ couldNotCheck, dataProblem: !VERIFY_STATUSES.every((s) => s === 'match' || c[s] === 0) });
}

/** `--all-versions`: every version under the prefix, HEADed by its id; lines for what did not match. */
async function verifyVersions(job: Job): Promise<VersionsRun> {
  const { io, remote, store } = job;
  if (!isVersionLister(store)) throw new UsageError(l10n.t('--all-versions: {0} buckets have no versions here', remote.provider));
  const prefix = folderPrefix(remote.key);
  const issues: VersionResult[] = [];
  const report = await reportOfAllVersions(job, prefix);
  const summary = await verifyAllVersions({
    store,
    bucket: remote.bucket,
    prefix,
    signal: io.signal,
    ...(report ? { known: (v: ObjectVersion) => report.byVersion.get(versionKey(v.key, v.versionId)) } : {}),
    ...(positiveIntFlag(job.args, 'concurrency') ? { concurrency: positiveIntFlag(job.args, 'concurrency') } : {}),
    onResult: (r) => {
      if (r.status === 'match') return;
      issues.push(r);
      if (!job.args.flags.json) io.stdout(`${versionLine(r, prefix)}\n`);
    },
  });
  if (report)
    say(
      io,
      l10n.t(
        'inventory "{0}" of {1}: {2} versions checked from the report, the others by a HEAD each',
        String(stringFlag(job.args, 'inventory')),
        report.run,
        formatCount(summary.fromInventory),
      ),
    );
  return { summary, issues };
}

/**
 * With `--inventory`, its latest report's versions (a report of all versions); undefined, with the reason
 * said, when it lists current versions only: every version is then HEADed.
 */
async function reportOfAllVersions(job: Job, prefix: string): Promise<InventoryVersions | undefined> {
  const id = stringFlag(job.args, 'inventory');
  if (!id) return undefined;
  try {
    return await readInventoryVersions(job.store, await inventoryLocationOf(job, id), prefix, job.io.signal);
  } catch (err) {
    if (!(err instanceof InventoryError)) throw err;
    say(job.io, `${err.message} ${err.hint ?? ''}`.trim());
    return undefined;
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  // Two remotes: a bucket-against-bucket audit, with its own options.
  if (isAudit(argv)) return runAudit(argv, io);
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length < 1 || args.positionals.length > 2)
    throw new UsageError(l10n.t('expected a remote and an optional <localDir>'));
  const remote = parseRemoteArg(args.positionals[0]);
  const connection = connectionFromArgs(args, remote, io.env);
  let localDir: string | undefined;
  if (args.positionals[1] !== undefined) {
    localDir = resolve(io.cwd, args.positionals[1]);
    if (!(await stat(localDir).catch(() => undefined))?.isDirectory())
      throw new UsageError(l10n.t('{0} is not a folder', args.positionals[1]));
  }
  const profile = stringFlag(args, 'profile') ?? defaultProfile(remote, connection);
  return withVerifyRecord(io, args, async (record) => {
    const store = await createObjectStore({ ...connection, log: (line) => io.stderr(`${line}\n`) });
    const job: Job = { args, io, remote, profile, store, record, ...(localDir ? { localDir } : {}) };
    const { summary, inventory } = await verify(job);
    const versions = job.args.flags['all-versions'] === true ? await verifyVersions(job) : undefined;
    await output(job, summary, inventory, versions);
    return Math.max(exitCode(summary, inventory), versions ? versionsExitCode(versions.summary) : 0);
  });
}
