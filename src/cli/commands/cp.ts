import { resolve } from 'node:path';
import { createObjectStore } from '../../storage';
import { DEFAULT_TIMEOUT_MS } from '../../storage/shared/connection';
import { StorageError } from '../../storage/errors';
import { describeLocation, locationOf, prefixesOverlap, sameLocation } from '../../storage/locationIdentity';
import type { ConnectionOptions, ObjectStore } from '../../storage/types';
import { PartBufferPool } from '../../transfer/bufferPool';
import { copyMethodFor, serviceOf } from '../../transfer/copyMethod';
import { DEFAULT_MIGRATE_CONCURRENCY, MigrationCheckpointStore, type IfDestinationExists } from '../../transfer/migrate';
import { MiB } from '../../transfer/planner';
import type { RemoteUrl } from '../../transfer/remoteUrl';
import { atVersion } from '../../storage/versions';
import { isCancelled } from '../../util/errors';
import { parseCommandArgs, positiveIntFlag, stringFlag, type ParsedArgs } from '../args';
import { exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { connectionFromArgs, destEnv, parseRemoteArg, REMOTE_FLAGS } from '../remote';
import { stateDir } from '../transferOutput';
import { RESTORE_FLAGS, restoreUsage, restorePolicyFromArgs, withRestore } from '../restore';
import { copyOne, copyPrefix, type CopyPlan } from './cpObjects';
import { copyExitCode, printMany, printOne } from './cpOutput';
import * as l10n from '@vscode/l10n';

/** The command's `--help`, in the run's language. */
export function usage(): string {
  return l10n.t(
    `Usage: bucket-integrity cp [options] <src> <dst>
       bucket-integrity cp --recursive [options] <cos|oss://bucket/prefix/> <cos|oss://bucket/prefix/>

Copies (or moves) an object, or with --recursive every object under a prefix, and checks the copy by
CRC-64. A destination ending with "/" keeps the source's name; with --recursive, "x/k" under the source
prefix lands at "<dst prefix>k".

Within one cloud and one account (same keys, region and endpoint) the copy is server-side, no byte
through this machine: one PUT Object - Copy / CopyObject up to --multipart-threshold, Upload Part - Copy
above it (parts in parallel, their CRC-64s combined). The copy's CRC-64 must equal the source's.

Between clouds (COS <-> OSS) or accounts the bytes stream through this process (no local disk): one GET of
the source feeds a PUT or a multipart upload. The source's stored CRC-64, the CRC-64 of the streamed
bytes and the destination's must all be equal; a part the destination stored damaged is sent again, a
stream that is not the source's is read again, a destination that stays wrong is removed. Ctrl+C keeps
the upload: the same command again sends only the missing parts (ranged GET from the first one).

A source without a CRC-64 is copied and reported "not verified". A copy whose CRC-64 differs is removed.

Options:
  --recursive, -r            copy every object under the source prefix
  --move                     delete each source after a verified copy, only if it is still the object that
                             was read (same ETag and LastModified) and not the destination itself
  --if-exists refuse|skip|overwrite
                             an existing destination: refuse (default, exit 2), leave it, or replace it;
                             one already identical (same CRC-64 and size) counts as copied, so a re-run
                             exits 0 (not with --move)
  --no-skip-identical        apply --if-exists to identical destinations too
  --version-id <id>          copy this version of the source object (not with --recursive or --move: a
                             version is copied, never moved); checked by that version's CRC-64
  --overwrite                the same as --if-exists overwrite
  --json                     print {"source","target","size","method","parts","sourceCrc64","targetCrc64",
                             "verified","outcome","reason"?,"sourceDeleted"?,…}; {"objects":[…],"summary"}
                             with --recursive
  --part-size <MiB>          part size (default 64 server-side, 8 streamed)
  --multipart-threshold <MiB>  larger objects go part by part (default 64 server-side, the part size streamed)
  --concurrency <n>          parts at once (default 4); streamed memory is part size × this
  --objects <n>              objects at once with --recursive (default 4)
  --part-retries <n>         times a streamed part the destination stored damaged is sent again (default 3)
  --on-cancel keep|abort     on Ctrl+C keep a streamed upload for resume (default) or abort it
  --state-dir <dir>          where resume checkpoints live (default ~/.local/state/bucket-integrity)
  --region <region>          region of both sides (or --source-region / --dest-region)
  --endpoint <url>           endpoint of both sides (or --source-endpoint / --dest-endpoint)
  --allow-insecure-endpoint  send keys to a plain http:// endpoint that is not this machine (in clear)
  --provider cos|oss         may be left out: the URLs' schemes say it
  --timeout <seconds>        per request (default {0})
{2}
  Keys come from COS_SECRET_ID / COS_SECRET_KEY [/ COS_SESSION_TOKEN] and OSS_ACCESS_KEY_ID /
  OSS_ACCESS_KEY_SECRET [/ OSS_SESSION_TOKEN]. For another account at the destination, set the same
  names prefixed with BUCKET_INTEGRITY_DEST_ (e.g. BUCKET_INTEGRITY_DEST_COS_SECRET_ID).

{1}
`,
    DEFAULT_TIMEOUT_MS / 1000,
    exitStatusUsage(
      l10n.t('anything not verified or failed (e.g. a CRC-64 that differed), a move that kept its source'),
      l10n.t('a copy onto itself, an existing destination refused'),
    ),
    restoreUsage(),
  );
}

const FLAGS = {
  ...REMOTE_FLAGS,
  ...RESTORE_FLAGS,
  recursive: { type: 'boolean', short: 'r' },
  move: { type: 'boolean' },
  json: { type: 'boolean' },
  'if-exists': { type: 'string' },
  'no-skip-identical': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'part-size': { type: 'string' },
  'multipart-threshold': { type: 'string' },
  concurrency: { type: 'string' },
  objects: { type: 'string' },
  'part-retries': { type: 'string' },
  'on-cancel': { type: 'string' },
  'state-dir': { type: 'string' },
  'source-region': { type: 'string' },
  'source-endpoint': { type: 'string' },
  'dest-region': { type: 'string' },
  'dest-endpoint': { type: 'string' },
  'version-id': { type: 'string' },
} as const;

interface Side {
  remote: RemoteUrl;
  connection: ConnectionOptions;
  service: string;
  /** Destination keys came from BUCKET_INTEGRITY_DEST_*. */
  ownKeys: boolean;
}

/** One side's connection: its own region/endpoint flags win over the shared ones. */
function sideFrom(args: ParsedArgs, remote: RemoteUrl, role: 'source' | 'dest', env: NodeJS.ProcessEnv): Side {
  const flags: ParsedArgs['flags'] = { ...args.flags };
  for (const name of ['region', 'endpoint'] as const) flags[name] = stringFlag(args, `${role}-${name}`) ?? stringFlag(args, name);
  const { env: sideEnv, ownKeys } = role === 'dest' ? destEnv(remote.provider, env) : { env, ownKeys: false };
  const connection = connectionFromArgs({ ...args, flags }, remote, sideEnv);
  return { remote, connection, service: serviceOf(connection), ownKeys };
}

/** The two remotes, checked: keys, prefix forms, no copy onto itself or into itself. */
function parseSides(args: ParsedArgs, env: NodeJS.ProcessEnv): { source: Side; dest: Side; recursive: boolean } {
  if (args.positionals.length !== 2)
    throw new UsageError(l10n.t('expected a source and a destination, each cos://bucket/key or oss://bucket/key'));
  const recursive = args.flags.recursive === true;
  const [src, dst] = args.positionals.map(parseRemoteArg);
  const provider = stringFlag(args, 'provider');
  if (provider !== undefined && src.provider !== dst.provider)
    throw new UsageError(l10n.t('--provider cannot name two clouds; leave it out (the schemes say them)'));
  if (recursive) {
    for (const r of [src, dst]) if (r.key !== '' && !r.key.endsWith('/')) r.key += '/';
  } else {
    if (src.key === '' || src.key.endsWith('/'))
      throw new UsageError(
        l10n.t('the source must be an object, not a prefix (add --recursive to copy everything under {0})', args.positionals[0]),
      );
    if (dst.key === '' || dst.key.endsWith('/')) dst.key += src.key.slice(src.key.lastIndexOf('/') + 1);
  }
  const source = sideFrom(args, src, 'source', env);
  const dest = sideFrom(args, dst, 'dest', env);
  // Identities, not spellings: http://127.0.0.1:P, http://localhost:P/ and no endpoint at all may be one place.
  const from = locationOf(source.connection, src.bucket, src.key);
  const to = locationOf(dest.connection, dst.bucket, dst.key);
  if (!recursive && sameLocation(from, to)) {
    throw new UsageError(
      l10n.t(
        'cannot copy an object onto itself: {0} and {1} are the same object; nothing was copied or deleted',
        describeLocation(from),
        describeLocation(to),
      ),
    );
  }
  if (recursive && prefixesOverlap(from, to)) {
    throw new UsageError(
      l10n.t(
        'the source and destination prefixes overlap in the same bucket ({0}, {1}), so a copy would read what it writes (onto itself); nothing was copied or deleted',
        describeLocation(from),
        describeLocation(to),
      ),
    );
  }
  return { source, dest, recursive };
}

function planFrom(args: ParsedArgs, io: CliIo, stores: [ObjectStore, ObjectStore], sides: { source: Side; dest: Side }): CopyPlan {
  const ifExists = args.flags.overwrite === true ? 'overwrite' : (stringFlag(args, 'if-exists') ?? 'refuse');
  if (!['refuse', 'skip', 'overwrite'].includes(ifExists))
    throw new UsageError(l10n.t('--if-exists must be "refuse", "skip" or "overwrite"'));
  const onCancel = stringFlag(args, 'on-cancel') ?? 'keep';
  if (onCancel !== 'keep' && onCancel !== 'abort') throw new UsageError(l10n.t('--on-cancel must be "keep" or "abort"'));
  const partSize = positiveIntFlag(args, 'part-size');
  const threshold = positiveIntFlag(args, 'multipart-threshold');
  const concurrency = positiveIntFlag(args, 'concurrency');
  const side = (i: 0 | 1, s: Side) => ({ store: stores[i], bucket: s.remote.bucket, service: s.service });
  return {
    method: copyMethodFor(sides.source, sides.dest),
    source: side(0, sides.source),
    destination: side(1, sides.dest),
    ifExists: ifExists as IfDestinationExists,
    skipIdentical: args.flags['no-skip-identical'] !== true,
    move: args.flags.move === true,
    stream: {
      partSize: partSize !== undefined ? partSize * MiB : undefined,
      multipartThreshold: threshold !== undefined ? threshold * MiB : undefined,
      concurrency,
      partRetries: positiveIntFlag(args, 'part-retries'),
      onCancel: onCancel as 'keep' | 'abort',
      checkpoints: new MigrationCheckpointStore(resolve(io.cwd, stateDir(stringFlag(args, 'state-dir'), io.env), 'migrations')),
      // Objects in flight share the part buffers: memory stays at part size × concurrency.
      buffers: new PartBufferPool(concurrency ?? DEFAULT_MIGRATE_CONCURRENCY),
      signal: io.signal,
      log: (line) => io.stderr(`${line}\n`),
    },
    server: {
      signal: io.signal,
      ...(partSize ? { partSizeBytes: partSize * MiB } : {}),
      ...(threshold ? { multipartThresholdBytes: threshold * MiB } : {}),
      ...(concurrency ? { concurrency } : {}),
    },
  };
}

/** A missing bucket on either side is said before anything is read or written. */
async function checkBucket(store: ObjectStore, side: Side, role: string, signal?: AbortSignal): Promise<void> {
  try {
    await store.list(side.remote.bucket, { prefix: side.remote.key, pageSize: 1, signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-bucket') {
      throw new StorageError(
        'no-such-bucket',
        role === 'source'
          ? l10n.t('The source bucket {0} does not exist.', `${side.remote.provider}://${side.remote.bucket}`)
          : l10n.t('The destination bucket {0} does not exist.', `${side.remote.provider}://${side.remote.bucket}`),
        err.hint,
        err.code,
      );
    }
    throw err;
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  const sides = parseSides(args, io.env);
  const log = (line: string): void => io.stderr(`${line}\n`);
  const versionId = stringFlag(args, 'version-id');
  if (versionId !== undefined && (sides.recursive || args.flags.move === true))
    throw new UsageError(l10n.t('--version-id copies one version of one object: not with --recursive or --move'));
  const restore = restorePolicyFromArgs(args, io);
  const made = (await Promise.all([sides.source, sides.dest].map((s) => createObjectStore({ ...s.connection, log })))) as [
    ObjectStore,
    ObjectStore,
  ];
  // Only the source is read: an archived source is restored first with --restore; --version-id reads one version of it.
  const source = withRestore(made[0], restore);
  const stores: [ObjectStore, ObjectStore] = [
    versionId === undefined ? source : atVersion(source, sides.source.remote.bucket, sides.source.remote.key, versionId),
    made[1],
  ];
  const plan = planFrom(args, io, stores, sides);
  await checkBucket(stores[0], sides.source, 'source', io.signal);
  await checkBucket(stores[1], sides.dest, 'destination', io.signal);
  const json = args.flags.json === true;
  try {
    if (sides.recursive) {
      const reports = await copyPrefix(plan, sides.source.remote.key, sides.dest.remote.key, positiveIntFlag(args, 'objects') ?? 4);
      printMany(io, reports, json);
      return copyExitCode(reports);
    }
    const report = await copyOne(plan, sides.source.remote.key, sides.dest.remote.key);
    if (report.error instanceof StorageError && report.error.kind === 'no-such-key') throw report.error;
    printOne(io, report, json);
    return copyExitCode([report]);
  } catch (err) {
    if (!isCancelled(err)) throw err;
    const resumable = plan.method === 'stream' && plan.stream.onCancel === 'keep';
    io.stderr(resumable ? l10n.t('Copy paused. Run the same command again to resume it.\n') : l10n.t('Copy cancelled.\n'));
    return 130;
  }
}
