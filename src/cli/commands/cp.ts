import { resolve } from 'node:path';
import { createObjectStore } from '../../storage';
import { StorageError } from '../../storage/errors';
import { ENV_VARS } from '../../storage/envCredentials';
import type { ConnectionOptions, ObjectStore } from '../../storage/types';
import {
  DestinationExistsError,
  MigrationCheckpointStore,
  migrateObject,
  migratePrefix,
  type IfDestinationExists,
  type MigrateOutcome,
  type MigrateTuning,
} from '../../transfer/migrate';
import { MiB } from '../../transfer/planner';
import type { RemoteUrl } from '../../transfer/remoteUrl';
import { isCancelled } from '../../util/errors';
import { parseCommandArgs, positiveIntFlag, stringFlag, type ParsedArgs } from '../args';
import { type CliIo, EXIT_USAGE, UsageError } from '../io';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS } from '../remote';
import { stateDir } from '../transferOutput';
import { printCopyReports, copyExitCode } from './cpOutput';

export const usage = `Usage: bucket-integrity cp [options] <src> <dst>
       bucket-integrity cp --recursive [options] <cos|oss://bucket/prefix/> <cos|oss://bucket/prefix/>

Copies an object (or, with --recursive, every object under a prefix) from one bucket to another: COS to
OSS, OSS to COS, another account or the same cloud. The bytes stream through this process (no local
disk): one GET of the source feeds a PUT or a multipart upload of the destination. The source's stored
CRC-64, the CRC-64 of the streamed bytes and the destination's CRC-64 must all be equal for a copy to
be "verified"; a part the destination stored damaged is sent again, a stream that is not the source's is
read again, and a destination that stays wrong is removed. A source stored without a CRC-64 is copied
and reported "copied, not verified against the source". Every pair, also within one cloud, is streamed
through this process; nothing is copied server-side.

An interrupted copy (Ctrl+C, a crash) resumes when the same command is run again: only the parts the
destination does not have are read (with a ranged GET) and sent.

A <dst> ending with "/" keeps the source's name under that prefix. With --recursive, "x/k" under the
source prefix lands at "<dst prefix>k".

Options:
  --recursive, -r            copy every object under the source prefix
  --json                     print {"objects":[…],"summary":{…}}
  --if-exists refuse|skip|overwrite
                             an existing destination object: refuse to copy (default, exit 2), leave it,
                             or replace it
  --part-size <MiB>          multipart part size (default 8); larger objects go multipart
  --concurrency <n>          parts in flight at once (default 4); memory is part size × this
  --objects <n>              objects copied at once with --recursive (default 4)
  --part-retries <n>         times a part the destination stored damaged is sent again (default 3)
  --on-cancel keep|abort     on Ctrl+C keep the destination's upload for resume (default) or abort it
  --state-dir <dir>          where resume checkpoints live (default ~/.local/state/bucket-integrity)
  --region <region>          region of both sides (or --source-region / --dest-region)
  --endpoint <url>           endpoint of both sides (or --source-endpoint / --dest-endpoint)
  --timeout <seconds>        per request (default 60)
  Keys come from COS_SECRET_ID / COS_SECRET_KEY [/ COS_SESSION_TOKEN] and OSS_ACCESS_KEY_ID /
  OSS_ACCESS_KEY_SECRET [/ OSS_SESSION_TOKEN]. For another account at the destination, set the same
  names prefixed with BUCKET_INTEGRITY_DEST_ (e.g. BUCKET_INTEGRITY_DEST_COS_SECRET_ID).

Exit status: 0 every object verified (or skipped as asked), 1 anything unverified or failed, 2 usage or
credential errors, a missing bucket, an existing destination refused, 130 cancelled.
`;

// No --provider: each URL's scheme names its cloud.
const FLAGS = {
  endpoint: REMOTE_FLAGS.endpoint,
  region: REMOTE_FLAGS.region,
  timeout: REMOTE_FLAGS.timeout,
  recursive: { type: 'boolean', short: 'r' },
  json: { type: 'boolean' },
  'if-exists': { type: 'string' },
  'part-size': { type: 'string' },
  concurrency: { type: 'string' },
  objects: { type: 'string' },
  'part-retries': { type: 'string' },
  'on-cancel': { type: 'string' },
  'state-dir': { type: 'string' },
  'source-region': { type: 'string' },
  'source-endpoint': { type: 'string' },
  'dest-region': { type: 'string' },
  'dest-endpoint': { type: 'string' },
} as const;

const DEST_ENV_PREFIX = 'BUCKET_INTEGRITY_DEST_';

interface Side {
  remote: RemoteUrl;
  connection: ConnectionOptions;
  service: string;
}

/** One side's connection: its own region/endpoint flags win over the shared ones. */
function sideFrom(args: ParsedArgs, remote: RemoteUrl, role: 'source' | 'dest', env: NodeJS.ProcessEnv): Side {
  const flags: ParsedArgs['flags'] = { ...args.flags };
  for (const name of ['region', 'endpoint'] as const) flags[name] = stringFlag(args, `${role}-${name}`) ?? stringFlag(args, name);
  let sideEnv = env;
  if (role === 'dest') {
    const names = Object.values(ENV_VARS[remote.provider]);
    if (names.some((n) => env[DEST_ENV_PREFIX + n])) {
      sideEnv = { ...env };
      for (const n of names) sideEnv[n] = env[DEST_ENV_PREFIX + n];
    }
  }
  const connection = connectionFromArgs({ ...args, flags }, remote, sideEnv);
  return { remote, connection, service: connection.endpoint ?? `${connection.provider}:${connection.region}` };
}

function sameAccount(a: Side, b: Side): boolean {
  return a.remote.provider === b.remote.provider && a.service === b.service && a.connection.credentials.accessKeyId === b.connection.credentials.accessKeyId;
}

function tuning(args: ParsedArgs, io: CliIo): MigrateTuning {
  const ifExists = stringFlag(args, 'if-exists') ?? 'refuse';
  if (!['refuse', 'skip', 'overwrite'].includes(ifExists)) throw new UsageError('--if-exists must be "refuse", "skip" or "overwrite"');
  const onCancel = stringFlag(args, 'on-cancel') ?? 'keep';
  if (onCancel !== 'keep' && onCancel !== 'abort') throw new UsageError('--on-cancel must be "keep" or "abort"');
  const partSizeMiB = positiveIntFlag(args, 'part-size');
  return {
    partSize: partSizeMiB !== undefined ? partSizeMiB * MiB : undefined,
    concurrency: positiveIntFlag(args, 'concurrency'),
    partRetries: positiveIntFlag(args, 'part-retries'),
    ifExists: ifExists as IfDestinationExists,
    onCancel: onCancel as 'keep' | 'abort',
    checkpoints: new MigrationCheckpointStore(resolve(io.cwd, stateDir(stringFlag(args, 'state-dir'), io.env), 'migrations')),
    signal: io.signal,
    log: (line) => io.stderr(`${line}\n`),
  };
}

/** A missing bucket on either side is said before anything is read or written. */
async function checkBucket(store: ObjectStore, side: Side, role: string, signal?: AbortSignal): Promise<void> {
  try {
    await store.list(side.remote.bucket, { prefix: side.remote.key, pageSize: 1, signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-bucket') {
      throw new StorageError('no-such-bucket', `The ${role} bucket ${side.remote.provider}://${side.remote.bucket} does not exist.`, err.hint, err.code);
    }
    throw err;
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length !== 2) throw new UsageError('expected <src> and <dst>, each cos://bucket/key or oss://bucket/key');
  const recursive = args.flags.recursive === true;
  const source = sideFrom(args, parseRemoteArg(args.positionals[0]), 'source', io.env);
  const dest = sideFrom(args, parseRemoteArg(args.positionals[1]), 'dest', io.env);
  if (recursive) {
    for (const side of [source, dest]) if (side.remote.key !== '' && !side.remote.key.endsWith('/')) side.remote.key += '/';
  } else {
    if (source.remote.key === '' || source.remote.key.endsWith('/')) throw new UsageError('the source is a prefix: add --recursive to copy everything under it');
    if (dest.remote.key === '' || dest.remote.key.endsWith('/')) dest.remote.key += source.remote.key.split('/').pop();
  }
  const samePlace = source.remote.bucket === dest.remote.bucket && source.remote.provider === dest.remote.provider && source.service === dest.service;
  if (samePlace && !recursive && source.remote.key === dest.remote.key) throw new UsageError('cannot copy an object onto itself');
  if (samePlace && recursive && (dest.remote.key.startsWith(source.remote.key) || source.remote.key.startsWith(dest.remote.key))) {
    throw new UsageError('the source and destination prefixes overlap in the same bucket');
  }
  const options = tuning(args, io);
  const json = args.flags.json === true;
  const [from, to] = await Promise.all([source, dest].map((s) => createObjectStore({ ...s.connection, log: options.log })));
  await checkBucket(from, source, 'source', io.signal);
  await checkBucket(to, dest, 'destination', io.signal);
  if (sameAccount(source, dest)) options.log?.('Both sides are in one account; the bytes stream through this process.');
  const outcomes: MigrateOutcome[] = [];
  try {
    if (recursive) {
      const summary = await migratePrefix({
        ...options,
        objectConcurrency: positiveIntFlag(args, 'objects'),
        source: { store: from, bucket: source.remote.bucket, prefix: source.remote.key, service: source.service },
        destination: { store: to, bucket: dest.remote.bucket, prefix: dest.remote.key, service: dest.service },
      });
      outcomes.push(...summary.outcomes);
    } else {
      const result = await migrateObject({
        ...options,
        source: { store: from, bucket: source.remote.bucket, key: source.remote.key, service: source.service },
        destination: { store: to, bucket: dest.remote.bucket, key: dest.remote.key, service: dest.service },
      }).catch((error: unknown) => {
        if (isCancelled(error) || error instanceof DestinationExistsError || (error instanceof StorageError && error.kind === 'no-such-key')) throw error;
        return { error: error as Error };
      });
      outcomes.push('error' in result ? { ok: false, key: source.remote.key, destinationKey: dest.remote.key, error: result.error } : { ok: true, result });
    }
  } catch (err) {
    if (err instanceof DestinationExistsError) {
      io.stderr(`bucket-integrity cp: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (!isCancelled(err)) throw err;
    io.stderr(options.onCancel === 'keep' ? 'Copy paused. Run the same command again to resume it.\n' : 'Copy cancelled; unfinished uploads were aborted.\n');
    return 130;
  }
  printCopyReports(io, outcomes, json, { source: source.remote, destination: dest.remote });
  return copyExitCode(io, outcomes);
}
