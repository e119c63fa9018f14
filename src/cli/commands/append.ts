import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { createObjectStore, isAppendable, providerTraits } from '../../storage';
import { AppendMismatchError, appendFile, type AppendResult } from '../../transfer/append';
import { MiB } from '../../transfer/planner';
import { IntegrityError } from '../../util/errors';
import { parseCommandArgs, positiveIntFlag } from '../args';
import { EXIT_OK, EXIT_PROBLEM, exitStatusUsage } from '../exitCodes';
import { type CliIo, UsageError } from '../io';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS, remoteUsage } from '../remote';
import * as l10n from '@vscode/l10n';

/** The command's `--help`, in the run's language. */
export function usage(): string {
  return l10n.t(
    `Usage: bucket-integrity append [options] <localFile> <oss://bucket/key>

Appends the new bytes of a growing local file (a log) to an OSS appendable object, from the object's
current length (a missing object is created appendable). Nothing already stored is read back: the CRC-64
of the file's first N bytes must be the object's (N = its length), else nothing is appended, and after
each append the service's whole-object CRC-64 must equal the previous one combined with the CRC-64 of the
appended bytes. If someone else appended meanwhile, the position is read again and appending goes on only
while the object is still the start of the file; nothing is ever written twice.

Options:
  --json                  print {"path","key","previousSize","size","appendedBytes","appends","crc64",
                          "remoteCrc64","verified","outcome","conflicts","reason"?}
  --chunk-size <MiB>      bytes per append request (default 8)
{0}

{1}
`,
    remoteUsage(),
    exitStatusUsage(
      l10n.t('not verified, the file no longer starts with the object, or an object stored damaged'),
      l10n.t('a COS remote (COS has no appendable objects)'),
    ),
  );
}

const FLAGS = { ...REMOTE_FLAGS, json: { type: 'boolean' }, 'chunk-size': { type: 'string' } } as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, FLAGS);
  if (args.positionals.length !== 2) throw new UsageError(l10n.t('expected <localFile> and oss://bucket/key'));
  const [localArg, remoteArg] = args.positionals;
  const remote = parseRemoteArg(remoteArg);
  if (!providerTraits(remote.provider).appendable)
    throw new UsageError(l10n.t('appends need an OSS object: COS has no appendable objects'));
  if (remote.key === '' || remote.key.endsWith('/'))
    throw new UsageError(l10n.t('the remote must be an object, not a prefix: {0}', remoteArg));
  const localPath = resolve(io.cwd, localArg);
  if (!(await fs.stat(localPath).catch(() => undefined))?.isFile()) throw new UsageError(l10n.t('{0}: no such file', localArg));
  const connection = connectionFromArgs(args, remote, io.env);
  const chunk = positiveIntFlag(args, 'chunk-size');
  const log = (line: string): void => io.stderr(`${line}\n`);
  const store = await createObjectStore({ ...connection, log });
  if (!isAppendable(store)) throw new UsageError(l10n.t('appends need an OSS object: COS has no appendable objects'));
  let result: AppendResult;
  try {
    result = await appendFile(store, {
      bucket: remote.bucket,
      key: remote.key,
      localPath,
      signal: io.signal,
      log,
      ...(chunk ? { chunkSize: chunk * MiB } : {}),
    });
  } catch (err) {
    if (!(err instanceof AppendMismatchError || err instanceof IntegrityError)) throw err;
    io.stderr(`bucket-integrity append: ${err.message}\n`);
    return EXIT_PROBLEM;
  }
  if (args.flags.json === true) {
    io.stdout(`${JSON.stringify(result)}\n`);
  } else if (result.outcome === 'up-to-date') {
    io.stdout(`up to date  ${localArg} -> ${remoteArg}  (${result.size} bytes, CRC-64 ${result.crc64})\n`);
  } else {
    const check = result.verified ? `CRC-64 ${result.crc64} verified` : `NOT verified (${result.reason})`;
    io.stdout(`appended ${result.appendedBytes} bytes  ${localArg} -> ${remoteArg}  now ${result.size} bytes, ${check}\n`);
  }
  return result.verified ? EXIT_OK : EXIT_PROBLEM;
}
