import * as l10n from '@vscode/l10n';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import {
  auditBasisText,
  auditBuckets,
  auditCombinedLine,
  auditJournal,
  auditPlaces,
  auditRunId,
  reportAgeWarning,
  requestsText,
  writeAuditReport,
  type AuditOptions,
  type AuditResult,
  type AuditSummary,
} from '../../integrity/audit';
import { countsLine } from '../../integrity/verdict';
import { runFolderDate } from '../../inventory/import';
import type { CrcRecord } from '../../record';
import { formatCount, formatDuration } from '../../util/format';
import { parseCommandArgs, positiveIntFlag, stringFlag, type ParsedArgs } from '../args';
import { exitCodeOfRun, exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { RESTORE_FLAGS, restorePolicyFromArgs, restoreUsage } from '../restore';
import { DEST_ENV_PREFIX, remoteUsage } from '../remote';
import { sayVerify, VERIFY_FLAGS, withVerifyRecord } from '../verifyShared';
import { importSide, inventoryJson, type SideImport } from './auditInventories';
import { isUnstreamable, reportsAlone, reportsKnown, reportWarnings, unstreamableText } from '../../integrity/audit/streamedReports';
import { openReports, streamedImports } from './auditStreamed';
import { makeSide, type Side } from './auditSides';

/** How the second side gets another account's keys (the form `cp`'s destination uses). */
function destKeysUsage(): string {
  return l10n.t(
    '  For another account on the second side, set its keys under the same names prefixed with\n  {0} (e.g. {1}): each side then uses its own.',
    DEST_ENV_PREFIX,
    `${DEST_ENV_PREFIX}COS_SECRET_ID`,
  );
}

/** The audit form's `--help` (after verify's own). */
export function usage(): string {
  return l10n.t(
    `Usage: bucket-integrity verify [options] <cos://bucket/prefix | oss://…> <cos://bucket/prefix | oss://…>

Audits a copy: every object below the first prefix against the object of the same relative key below
the second (COS and OSS, any buckets and prefixes), by the CRC-64 both services store, without reading
a byte of object data. Each side's CRC-64s come from its inventory report (imported into the CRC record)
and its live listing: only objects changed since the report are HEADed. Constant memory at any size; a
stopped run (Ctrl+C) continues where it stopped when run again.

Options:
  --inventory <id>          the first side's inventory (it must include Crc64); also the second's
                            unless --inventory2 is given
  --inventory2 <id>         the second side's inventory
  --inventory-bucket <b>    where the first side's inventory writes, and
  --inventory-prefix <p>    its report prefix (default: read from the inventory's configuration)
  --inventory-bucket2 <b>   where the second side's inventory writes, and
  --inventory-prefix2 <p>   its report prefix
  --head                    a side whose inventory has no Crc64 is checked by listing it and one HEAD
                            per object (without this flag the audit stops and says what that costs)
  --record-only             judge the two inventories (the record) alone, without listing either side:
                            no requests, as fresh as the reports
  --stream-reports          judge the two newest inventory reports as they are read, without importing
                            them into the record and without listing: the fastest one-off audit, as
                            fresh as the reports (later runs do not learn their CRC-64s). A report must
                            be in key order (checked on every row); if one is not, both are imported
  --live                    with --stream-reports: list both sides as well, and HEAD only the objects
                            changed since the reports (what the HEADs learn is recorded)
  --download                objects stored without a CRC-64 on a side are read and hashed (streamed,
                            nothing written to disk) instead of being reported "?"; with --restore,
                            an archived one is restored first (the restore options below)
  --combined <file>         every object, one line each: "= path" match, "* path" differ, "+ path" only
                            in the first, "- path" only in the second, "? path" no CRC-64, "! path" error
  --report <file>           counts and every object that did not match: CSV, or JSON if it ends in .json
  --json                    print {"summary","requests","resumed","inventories","notes","issues":[…]}
  --restart                 start over instead of continuing a stopped run
  --concurrency <n>         HEAD requests (and downloads) at once, per side (default 16)
  --endpoint2 <url>         the second side's endpoint, and
  --region2 <region>        its region, when they differ from the first's
  --profile <name>          name the record files the first side under (default "<provider>:<endpoint or region>")
  --profile2 <name>         the same for the second side
  --state-dir <dir>         where the record lives (default ~/.local/state/bucket-integrity)
{0}

Output: a line per object that did not match ("<symbol> <path>  (why)"), then the counts and the requests.
{1}
`,
    `${remoteUsage()}\n${destKeysUsage()}\n${restoreUsage()}`,
    exitStatusUsage(
      l10n.t('something differs, is missing on one side or has no CRC-64'),
      l10n.t('unreadable objects, the record in use, a side without a CRC inventory, overlapping prefixes'),
    ),
  );
}

const FLAGS = {
  ...VERIFY_FLAGS,
  endpoint2: { type: 'string' },
  region2: { type: 'string' },
  inventory2: { type: 'string' },
  'inventory-bucket2': { type: 'string' },
  'inventory-prefix2': { type: 'string' },
  head: { type: 'boolean' },
  download: { type: 'boolean' },
  'stream-reports': { type: 'boolean' },
  live: { type: 'boolean' },
  ...RESTORE_FLAGS,
  profile2: { type: 'string' },
} as const;

/** Whether `argv` names two remotes: the bucket-against-bucket form of `verify`. */
export function isAudit(argv: readonly string[]): boolean {
  return argv.filter((a) => /^(cos|oss):\/\//i.test(a)).length === 2;
}

const say = sayVerify;

function openCombined(args: ParsedArgs, io: CliIo, append: boolean): WriteStream | undefined {
  const file = stringFlag(args, 'combined');
  return file ? createWriteStream(resolve(io.cwd, file), { flags: append ? 'a' : 'w' }) : undefined;
}

function printIssue(io: CliIo, r: AuditResult): void {
  io.stdout(`${auditCombinedLine(r)}${r.detail ? `  (${r.detail})` : ''}\n`);
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length !== 2)
    throw new UsageError(l10n.t('expected two remotes, e.g. cos://bucket-1250000000/data oss://bucket/data'));
  const restore = restorePolicyFromArgs(args, io);
  if (restore && args.flags.download !== true) throw new UsageError(l10n.t('--restore needs --download (only --download reads objects)'));
  const first = await makeSide('first', args.positionals[0], args, io, restore);
  const second = await makeSide('second', args.positionals[1], args, io, restore);
  const refused = auditPlaces(
    { connection: first.connection, bucket: first.remote.bucket, prefix: first.remote.key },
    { connection: second.connection, bucket: second.remote.bucket, prefix: second.remote.key },
  );
  if (refused) throw new UsageError(refused);
  const streaming = args.flags['stream-reports'] === true;
  const live = args.flags.live === true;
  if (live && !streaming) throw new UsageError(l10n.t('--live goes with --stream-reports (without it the audit lists both sides already)'));
  if (live && args.flags['record-only'] === true) throw new UsageError(l10n.t('--live and --record-only contradict each other'));
  return withVerifyRecord(io, args, async (record) => {
    const streamed = streaming ? await auditStreamed(args, io, record, first, second, live) : undefined;
    if (streamed !== undefined) return streamed;
    const imports = [await importSide(first, record, args, io), await importSide(second, record, args, io)];
    let listing = args.flags['record-only'] !== true && (!streaming || live);
    const notes: string[] = [];
    if (!listing && imports.some((i) => !i.result)) {
      listing = true;
      const flag = args.flags['stream-reports'] === true ? '--stream-reports' : '--record-only';
      say(io, `${flag} needs an inventory with Crc64 on both sides: listing both instead`);
    }
    const now = Date.now();
    for (const i of imports) {
      if (i.byHead) notes.push(`${i.side.audit.label} has no CRC inventory: checked by listing and HEAD`);
      if (!i.result) continue;
      const warning = reportAgeWarning(i.side.audit.label, i.result.createdAt ?? runFolderDate(i.result.run), now, listing);
      if (warning) {
        notes.push(warning);
        say(io, `warning: ${warning}`);
      }
    }
    const summary = await audit(args, io, record, first, second, listing);
    await output(args, io, record, { first, second, listing, notes, imports }, summary);
    const c = summary.counts;
    const couldNotCheck = c.error > 0 || imports.some((i) => (i.result?.failed.length ?? 0) > 0);
    return exitCodeOfRun({ couldNotCheck, dataProblem: c.match !== c.total });
  });
}

/**
 * `--stream-reports`: the exit code, or undefined when the reports cannot be streamed (no inventory or no
 * Crc64 on a side, a report out of key order, a data file not read whole) and the audit imports them instead.
 * Nothing judged is printed before the whole run is: a report found out of order late would make it wrong.
 */
async function auditStreamed(
  args: ParsedArgs,
  io: CliIo,
  record: CrcRecord,
  first: Side,
  second: Side,
  live: boolean,
): Promise<number | undefined> {
  const reports = await openReports([first, second], io.signal);
  if (typeof reports === 'string') {
    say(io, `${reports}: importing the reports instead of streaming them`);
    return undefined;
  }
  const notes = reportWarnings(reports, Date.now(), live);
  for (const n of notes) say(io, `warning: ${n}`);
  const streamed = live ? reportsKnown(reports, io.signal) : reportsAlone(reports, io.signal);
  let summary: AuditSummary;
  try {
    summary = await audit(args, io, record, first, second, live, streamed);
  } catch (err) {
    if (!isUnstreamable(err)) throw err;
    auditJournal(record).clear(auditRunId({ first: first.audit, second: second.audit, listing: live, ...streamed }));
    say(io, `${unstreamableText(err)}: importing both reports into the record instead`);
    return undefined;
  }
  if (!args.flags.json) for (const r of auditJournal(record).issues(summary.runId)) printIssue(io, r);
  const imports = streamedImports([first, second], reports);
  await output(args, io, record, { first, second, listing: live, notes, imports }, summary);
  const c = summary.counts;
  return exitCodeOfRun({ couldNotCheck: c.error > 0, dataProblem: c.match !== c.total });
}

async function audit(
  args: ParsedArgs,
  io: CliIo,
  record: CrcRecord,
  first: Side,
  second: Side,
  listing: boolean,
  streamed?: Pick<AuditOptions, 'readSide' | 'knownSide' | 'total'>,
): Promise<AuditSummary> {
  const restart = args.flags.restart === true;
  const ids = { first: first.audit, second: second.audit, listing, ...streamed };
  const saved = auditJournal(record).state(auditRunId(ids));
  const resuming = !restart && saved !== undefined && !saved.finished;
  if (resuming) say(io, 'continuing the run that was stopped (--restart starts over)');
  const combined = openCombined(args, io, resuming);
  const concurrency = positiveIntFlag(args, 'concurrency');
  try {
    return await auditBuckets({
      record,
      first: first.audit,
      second: second.audit,
      listing,
      restart,
      download: args.flags.download === true,
      ...(concurrency ? { concurrency } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      reportMatches: combined !== undefined,
      ...streamed,
      onResult: (r) => {
        combined?.write(`${auditCombinedLine(r)}\n`);
        // Streamed reports: printed once the whole run is judged (see auditStreamed).
        if (r.status !== 'match' && !args.flags.json && !streamed) printIssue(io, r);
      },
      onProgress: (p) =>
        say(
          io,
          `${formatCount(p.done)}${p.total ? `/${formatCount(p.total)}` : ''} objects, ${formatCount(p.objectsPerSecond)}/s, ETA ${formatDuration(p.etaSeconds)}, ${formatCount(p.requests.first.head + p.requests.second.head)} HEAD requests`,
        ),
    });
  } finally {
    if (combined) await new Promise((done) => combined.end(done));
  }
}

interface Context {
  first: Side;
  second: Side;
  listing: boolean;
  notes: string[];
  imports: SideImport[];
}

async function output(args: ParsedArgs, io: CliIo, record: CrcRecord, ctx: Context, summary: AuditSummary): Promise<void> {
  const issues = () => auditJournal(record).issues(summary.runId);
  const target = {
    first: ctx.first.audit.label,
    second: ctx.second.audit.label,
    checkedAt: new Date(),
    basis: auditBasisText({
      listing: ctx.listing,
      ...(ctx.imports.some((i) => i.streamed) ? { streamed: 2 } : { imported: ctx.imports.filter((i) => i.result).length }),
    }),
    notes: ctx.notes,
  };
  const reportFile = stringFlag(args, 'report');
  if (reportFile) await writeAuditReport(resolve(io.cwd, reportFile), target, summary, issues());
  if (args.flags.json) {
    const json = {
      summary: summary.counts,
      requests: summary.requests,
      resumed: summary.resumed,
      seconds: summary.seconds,
      inventories: ctx.imports.map(inventoryJson),
      notes: ctx.notes,
      issues: [...issues()],
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const { total } = summary.counts;
    io.stdout(
      `\n${formatCount(total)} ${total === 1 ? 'object' : 'objects'} audited, ${target.first} against ${target.second}: ${countsLine(summary.counts)}; requests: ${requestsText(summary.requests)}\n`,
    );
  }
}
