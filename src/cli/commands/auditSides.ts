import * as l10n from '@vscode/l10n';
import type { AuditSide } from '../../integrity/audit';
import type { InventoryLocation } from '../../inventory';
import { createObjectStore } from '../../storage';
import { ENV_VARS } from '../../storage/envCredentials';
import { folderPrefix } from '../../storage/listing';
import { namingSide, type SideNaming } from '../../storage/namingSide';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../storage/types';
import type { RestorePolicy } from '../../transfer/restore/restoringStore';
import type { RemoteUrl } from '../../transfer/remoteUrl';
import { stringFlag, type ParsedArgs } from '../args';
import type { CliIo } from '../io';
import { defaultProfile } from '../recordFile';
import { connectionFromArgs, DEST_ENV_PREFIX, destEnv, parseRemoteArg } from '../remote';
import { withRestore } from '../restore';
import { inventoryLocationFor } from '../verifyShared';

/**
 * The two remotes of an audit (`verify <remote> <remote>`) from the command line: each one's connection,
 * keys (the second's may be another account's), record profile, store and inventory flags.
 */

export interface Side {
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

export async function makeSide(
  which: 'first' | 'second',
  text: string,
  args: ParsedArgs,
  io: CliIo,
  restore?: RestorePolicy,
): Promise<Side> {
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

/** Where the side's inventory `id` writes its reports: its --inventory-bucket/-prefix flags, else its configuration. */
export function sideInventoryLocation(side: Side, id: string, signal?: AbortSignal): Promise<InventoryLocation> {
  return inventoryLocationFor(side.store, side.remote, id, { bucket: side.inventoryBucket, prefix: side.inventoryPrefix }, signal);
}
