import * as l10n from '@vscode/l10n';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import {
  auditBuckets,
  auditCombinedLine,
  auditJournal,
  auditPlaces,
  auditRunId,
  reportAgeWarning,
  requestsText,
  writeAuditReport,
  type AuditResult,
  type AuditSide,
  type AuditSummary,
} from '../../integrity/audit';
import { countsLine } from '../../integrity/verdict';
import {
  findLatestManifest,
  importInventory,
  importJournal,
  InventoryError,
  type ImportResult,
  type InventoryLocation,
} from '../../inventory';
import { runFolderDate } from '../../inventory/import';
import type { CrcRecord } from '../../record';
import { createObjectStore } from '../../storage';
import { folderPrefix } from '../../storage/listing';
import { ENV_VARS } from '../../storage/envCredentials';
import { namingSide, type SideNaming } from '../../storage/namingSide';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../storage/types';
import type { RemoteUrl } from '../../transfer/remoteUrl';
import { formatCount, formatDuration } from '../../util/format';
import { parseCommandArgs, positiveIntFlag, stringFlag, type ParsedArgs } from '../args';
import { exitCodeOfRun, exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { RESTORE_FLAGS, restorePolicyFromArgs, restoreUsage, withRestore } from '../restore';
import type { RestorePolicy } from '../../transfer/restore/restoringStore';
import { connectionFromArgs, DEST_ENV_PREFIX, destEnv, parseRemoteArg, remoteUsage } from '../remote';
import { defaultProfile } from '../recordFile';
import { inventoryLocationFor, sayVerify, VERIFY_FLAGS, withVerifyRecord } from '../verifyShared';

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
  ...RESTORE_FLAGS,
  profile2: { type: 'string' },
} as const;

/** Whether `argv` names two remotes: the bucket-against-bucket form of `verify`. */
export function isAudit(argv: readonly string[]): boolean {
  return argv.filter((a) => /^(cos|oss):\/\//i.test(a)).length === 2;
}

interface Side {
  which: 'first' | 'second';
  remote: RemoteUrl;
  connection: ConnectionOptions;
  profile: string;
  store: ObjectStore;
  audit: AuditSide;
  inventoryId?: string;
  inventoryBucket?: string;
  inventoryPrefix?: string;
}

interface SideImport {
  side: Side;
  result?: ImportResult;
  /** The side has no CRC inventory and is checked by listing + HEAD. */
  byHead?: boolean;
}

const say = sayVerify;

function label(remote: RemoteUrl): string {
  return `${remote.provider}://${remote.bucket}/${folderPrefix(remote.key)}`;
}

/** The second side's connection: its own --endpoint2/--region2 over the shared flags. */
function secondArgs(args: ParsedArgs): ParsedArgs {
  const flags = { ...args.flags };
  if (stringFlag(args, 'endpoint2') !== undefined) flags.endpoint = args.flags.endpoint2;
  if (stringFlag(args, 'region2') !== undefined) flags.region = args.flags.region2;
  return { ...args, flags };
}

/** How many objects an inventory without Crc64 lists (its newest manifest's count), for the cost of HEADing them. */
async function inventoryObjectCount(side: Side, err: InventoryError, signal?: AbortSignal): Promise<number | undefined> {
  if (err.objectCount !== undefined) return err.objectCount;
  try {
    const config = await side.store.getInventory(side.remote.bucket, side.inventoryId!, { signal });
    const loc: InventoryLocation = {
      provider: side.remote.provider,
      sourceBucket: side.remote.bucket,
      inventoryId: side.inventoryId!,
      destinationBucket: config.destination.bucket,
      destinationPrefix: config.destination.prefix ?? '',
    };
    return (await findLatestManifest(side.store, loc, signal)).manifest.objectCount;
  } catch {
    return undefined;
  }
}

function headCost(objects: number | undefined): string {
  return objects === undefined
    ? 'one list request per 1,000 objects and one HEAD request per object'
    : `about ${formatCount(Math.ceil(objects / 1000))} list and ${formatCount(objects)} HEAD requests`;
}

/** The side's inventory into the record (skipped when its newest report was imported already). */
async function importSide(side: Side, record: CrcRecord, args: ParsedArgs, io: CliIo): Promise<SideImport> {
  const id = side.inventoryId;
  if (!id) {
    say(io, `${side.audit.label}: no inventory given: what the record does not know is HEADed (${headCost(undefined)})`);
    return { side };
  }
  const { remote } = side;
  try {
    const location = await inventoryLocationFor(
      side.store,
      remote,
      id,
      { bucket: side.inventoryBucket, prefix: side.inventoryPrefix },
      io.signal,
    );
    const journalKey = `audit-import:${JSON.stringify([side.profile, remote.bucket, id, location.destinationBucket, location.destinationPrefix, folderPrefix(remote.key)])}`;
    const result = await importInventory({
      store: side.store,
      record,
      profile: side.profile,
      location,
      prefix: folderPrefix(remote.key),
      // The report imported before is not read again (a resumed audit starts at once).
      skipManifest: importJournal(record).state(journalKey),
      signal: io.signal,
      onProgress: (p) => say(io, `${side.audit.label} inventory: ${p.filesDone}/${p.files} files, ${formatCount(p.rows)} objects`),
    });
    for (const f of result.failed) say(io, `${side.audit.label}: inventory file ${f.key} was not imported: ${f.message}`);
    if (result.unchanged) say(io, `${side.audit.label}: inventory "${id}" of ${result.run} was imported before`);
    else {
      if (result.failed.length === 0) importJournal(record).setState(journalKey, result.manifestKey);
      say(io, `${side.audit.label}: inventory "${id}" of ${result.run}: ${formatCount(result.rows)} objects recorded`);
    }
    return { side, result };
  } catch (err) {
    if (!(err instanceof InventoryError) || err.kind !== 'no-crc64-field') throw err;
    const cost = headCost(await inventoryObjectCount(side, err, io.signal));
    if (args.flags.head === true) {
      say(io, `${side.audit.label}: ${err.message} Checking it by listing and HEAD instead: ${cost}.`);
      return { side, byHead: true };
    }
    throw new InventoryError(
      'no-crc64-field',
      `${side.audit.label}: ${err.message}`,
      l10n.t(
        'It can be checked by listing it and one HEAD per object instead ({0}): run again with --head. Or add Crc64 to the inventory (Enable CRC Inventory…) and wait for its next report.',
        cost,
      ),
    );
  }
}

function openCombined(args: ParsedArgs, io: CliIo, append: boolean): WriteStream | undefined {
  const file = stringFlag(args, 'combined');
  return file ? createWriteStream(resolve(io.cwd, file), { flags: append ? 'a' : 'w' }) : undefined;
}

function printIssue(io: CliIo, r: AuditResult): void {
  io.stdout(`${auditCombinedLine(r)}${r.detail ? `  (${r.detail})` : ''}\n`);
}

/**
 * An error that stops the run says which remote it came from and, for refused keys, which variables that
 * remote's keys are read from (the second's may be another account's).
 */
function sideNaming(which: 'first' | 'second', provider: ProviderKind, ownKeys: boolean): SideNaming {
  const names = ENV_VARS[provider];
  const own = (n: string): string => (ownKeys ? DEST_ENV_PREFIX + n : n);
  return {
    side: which === 'first' ? l10n.t('first remote') : l10n.t('second remote'),
    hint: (err) => {
      if (err.kind !== 'credentials' && err.kind !== 'access-denied') return undefined;
      if (which === 'first' || ownKeys) return l10n.t('Its keys are read from {0} and {1}: check them.', own(names.id), own(names.secret));
      return l10n.t(
        "Its keys are read from {0} and {1}. If its bucket belongs to another account, set that account's keys as {2} and {3}.",
        names.id,
        names.secret,
        DEST_ENV_PREFIX + names.id,
        DEST_ENV_PREFIX + names.secret,
      );
    },
  };
}

async function makeSide(which: 'first' | 'second', text: string, args: ParsedArgs, io: CliIo, restore?: RestorePolicy): Promise<Side> {
  const remote = parseRemoteArg(text);
  const own = which === 'first' ? args : secondArgs(args);
  // The second remote may be another account: its own BUCKET_INTEGRITY_DEST_* keys, as cp's destination.
  const keys = which === 'first' ? { env: io.env, ownKeys: false } : destEnv(remote.provider, io.env);
  const connection = connectionFromArgs(own, remote, keys.env);
  const suffix = which === 'first' ? '' : '2';
  const profile = stringFlag(args, `profile${suffix}`) ?? defaultProfile(remote, connection);
  const created = await createObjectStore({ ...connection, log: (line) => io.stderr(`${line}\n`) });
  const store = namingSide(created, sideNaming(which, remote.provider, keys.ownKeys));
  const inventoryId = stringFlag(args, `inventory${suffix}`) ?? (which === 'second' ? stringFlag(args, 'inventory') : undefined);
  return {
    which,
    remote,
    connection,
    profile,
    store,
    // Only --download reads bytes: with --restore an archived object is restored before it is read.
    audit: { store: withRestore(store, restore), profile, bucket: remote.bucket, prefix: folderPrefix(remote.key), label: label(remote) },
    ...(inventoryId ? { inventoryId } : {}),
    ...(stringFlag(args, `inventory-bucket${suffix}`) !== undefined
      ? { inventoryBucket: stringFlag(args, `inventory-bucket${suffix}`) }
      : {}),
    ...(stringFlag(args, `inventory-prefix${suffix}`) !== undefined
      ? { inventoryPrefix: stringFlag(args, `inventory-prefix${suffix}`) }
      : {}),
  };
}

function inventoryJson(i: SideImport): unknown {
  if (i.byHead) return { route: 'listing+head', reason: 'the inventory has no Crc64' };
  if (!i.result) return null;
  return {
    run: i.result.run,
    manifest: i.result.manifestKey,
    objects: i.result.rows,
    unchanged: i.result.unchanged === true,
    failedFiles: i.result.failed,
  };
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
  return withVerifyRecord(io, args, async (record) => {
    const imports = [await importSide(first, record, args, io), await importSide(second, record, args, io)];
    let listing = args.flags['record-only'] !== true;
    const notes: string[] = [];
    if (!listing && imports.some((i) => !i.result)) {
      listing = true;
      say(io, '--record-only needs an inventory with Crc64 on both sides: listing both instead');
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

async function audit(args: ParsedArgs, io: CliIo, record: CrcRecord, first: Side, second: Side, listing: boolean): Promise<AuditSummary> {
  const restart = args.flags.restart === true;
  const ids = { first: first.audit, second: second.audit, listing };
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
      onResult: (r) => {
        combined?.write(`${auditCombinedLine(r)}\n`);
        if (r.status !== 'match' && !args.flags.json) printIssue(io, r);
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

/** How the CRC-64s of this run were known, in words. */
export function basisText(listing: boolean, inventories: number): string {
  const inv = inventories === 2 ? 'both inventories' : inventories === 1 ? 'one inventory and the CRC record' : 'the CRC record';
  return listing ? `${inv} and the live listings (changed objects HEADed)` : `${inv} alone, without listing (as fresh as the reports)`;
}

async function output(args: ParsedArgs, io: CliIo, record: CrcRecord, ctx: Context, summary: AuditSummary): Promise<void> {
  const issues = () => auditJournal(record).issues(summary.runId);
  const target = {
    first: ctx.first.audit.label,
    second: ctx.second.audit.label,
    checkedAt: new Date(),
    basis: basisText(ctx.listing, ctx.imports.filter((i) => i.result).length),
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
