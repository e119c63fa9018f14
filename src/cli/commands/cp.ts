import { createObjectStore } from '../../storage';
import { CopyRequestError, DestinationExistsError, type CopyOutcome } from '../../transfer/copy/types';
import { copyObjectVerified, moveObjectVerified, type MoveOutcome } from '../../transfer/copy/verifiedCopy';
import { MiB } from '../../transfer/planner';
import { IntegrityError } from '../../util/errors';
import { parseCommandArgs, positiveIntFlag } from '../args';
import { type CliIo, EXIT_OK, EXIT_PROBLEM, UsageError } from '../io';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS, REMOTE_USAGE } from '../remote';

export const usage = `Usage: bucket-integrity cp [options] <cos://bucket/key> <cos://bucket/key | cos://bucket/prefix/>
       (or oss:// on both sides)

Copies an object on the server side (no byte through this machine) and checks the copy's CRC-64 against
the source's: one PUT Object - Copy / CopyObject up to the multipart threshold, Upload Part - Copy above
it (parts in parallel, their CRC-64s combined). A destination ending with "/" keeps the source's name.
When the service returns no CRC-64 (a source stored without one; OSS copies may have none) the copy is
reported "not verified". A copy whose CRC-64 differs is removed.

Options:
  --move                      delete the source after a verified copy (never after an unverified one)
  --overwrite                 replace an existing destination (otherwise it is left alone: exit 1)
  --json                      print {"source","target","size","method","parts","sourceCrc64","targetCrc64",
                              "verified","outcome","reason"?,"sourceDeleted"?}
  --part-size <MiB>           part size of a multipart copy (default 64)
  --multipart-threshold <MiB> larger objects are copied part by part (default 64)
  --concurrency <n>           part copies at once (default 4)
${REMOTE_USAGE}

Exit status: 0 copied (moved) and verified, 1 not verified, destination exists, or the CRC-64 differed,
2 usage or credential errors.
`;

const FLAGS = {
  ...REMOTE_FLAGS,
  json: { type: 'boolean' },
  move: { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'part-size': { type: 'string' },
  'multipart-threshold': { type: 'string' },
  concurrency: { type: 'string' },
} as const;

type Outcome = 'verified' | 'not-verified' | 'exists' | 'failed';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length !== 2) throw new UsageError('expected a source and a destination');
  const source = parseRemoteArg(args.positionals[0]);
  const dest = parseRemoteArg(args.positionals[1]);
  if (source.provider !== dest.provider) throw new UsageError(`copies between ${source.provider}:// and ${dest.provider}:// are not supported; both sides must be on the same cloud`);
  if (source.key === '' || source.key.endsWith('/')) throw new UsageError(`the source must be an object, not a prefix: ${args.positionals[0]}`);
  const target = { bucket: dest.bucket, key: dest.key === '' || dest.key.endsWith('/') ? dest.key + source.key.slice(source.key.lastIndexOf('/') + 1) : dest.key };
  const connection = connectionFromArgs(args, source, io.env);
  const partSize = positiveIntFlag(args, 'part-size');
  const threshold = positiveIntFlag(args, 'multipart-threshold');
  const concurrency = positiveIntFlag(args, 'concurrency');

  const store = await createObjectStore({ ...connection, log: (line) => io.stderr(`${line}\n`) });
  const options = {
    signal: io.signal,
    overwrite: args.flags.overwrite === true,
    ...(partSize ? { partSizeBytes: partSize * MiB } : {}),
    ...(threshold ? { multipartThresholdBytes: threshold * MiB } : {}),
    ...(concurrency ? { concurrency } : {}),
  };
  const from = { bucket: source.bucket, key: source.key };
  const where = (r: { bucket: string; key: string }): string => `${source.provider}://${r.bucket}/${r.key}`;
  let result: CopyOutcome | MoveOutcome;
  try {
    result = args.flags.move ? await moveObjectVerified(store, from, target, options) : await copyObjectVerified(store, from, target, options);
  } catch (err) {
    if (err instanceof CopyRequestError) throw new UsageError(err.message);
    const outcome: Outcome | undefined = err instanceof DestinationExistsError ? 'exists' : err instanceof IntegrityError ? 'failed' : undefined;
    if (!outcome) throw err;
    const reason = outcome === 'exists' ? `${where(target)} exists; pass --overwrite to replace it` : (err as Error).message;
    if (args.flags.json) io.stdout(`${JSON.stringify({ source: where(from), target: where(target), verified: false, outcome, reason }, null, 2)}\n`);
    else io.stderr(`bucket-integrity cp: ${reason}\n`);
    return EXIT_PROBLEM;
  }
  print(io, args.flags.json === true, result, where(from), where(target));
  return result.verified ? EXIT_OK : EXIT_PROBLEM;
}

function print(io: CliIo, json: boolean, r: CopyOutcome | MoveOutcome, from: string, to: string): void {
  const outcome: Outcome = r.verified ? 'verified' : 'not-verified';
  const moved = 'sourceDeleted' in r ? { sourceDeleted: r.sourceDeleted } : {};
  if (json) {
    const out = { source: from, target: to, size: r.size, method: r.method, parts: r.parts, sourceCrc64: r.sourceCrc64 ?? null, targetCrc64: r.targetCrc64 ?? null, verified: r.verified, outcome, ...(r.reason ? { reason: r.reason } : {}), ...moved };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const verb = 'sourceDeleted' in r && r.sourceDeleted ? 'moved' : 'copied';
  const how = r.method === 'multipart' ? ` in ${r.parts} parts` : '';
  if (r.verified) io.stdout(`${verb}${how}  ${from} -> ${to}  CRC-64 ${r.targetCrc64} verified\n`);
  else io.stdout(`copied${how}, NOT verified  ${from} -> ${to}  (${r.reason}${'sourceDeleted' in r ? '; the source was kept' : ''})\n`);
}
