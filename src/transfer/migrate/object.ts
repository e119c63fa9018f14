import * as l10n from '@vscode/l10n';
import { StorageError } from '../../storage/errors';
import { identityAt, sameLocation, type LocationIdentity } from '../../storage/locationIdentity';
import type { ObjectInfo } from '../../storage/types';
import { throwIfAborted } from '../../util/errors';
import { CopyRequestError } from '../copy/types';
import { migrateMultipart } from './multipart';
import { refOf } from './shared';
import { migrateSingle } from './single';
import { DEFAULT_MIGRATE_PART_SIZE, DestinationExistsError, type MigrateOptions, type MigrateResult, type MigrationSide } from './types';

/**
 * Copy one object from a store to a store (another cloud, another account, or the same) through this
 * process, with no local disk: one streamed GET feeding a single PUT or a multipart upload. The source's
 * stored CRC-64, the CRC-64 of the streamed bytes and the destination's CRC-64 must all be equal for the
 * result to be `verified`; a mismatch on the way is read or sent again, and a destination that stays
 * wrong is removed (never reported as a good copy).
 *
 * Throws `IntegrityError`, `StorageError`, `DestinationExistsError`, `SourceChangedError` or `CancelledError`.
 */
export async function migrateObject(options: MigrateOptions): Promise<MigrateResult> {
  throwIfAborted(options.signal);
  if (sameObject(options)) {
    throw new CopyRequestError(
      l10n.t(
        '{0} cannot be copied onto itself (the destination is the same object); nothing was written or deleted.',
        `${options.source.store.provider}://${options.source.bucket}/${options.source.key}`,
      ),
    );
  }
  const head = await options.source.store.head(options.source.bucket, options.source.key, { signal: options.signal });
  const skipped = await checkDestination(options, head);
  if (skipped) return { ...skipped, sourceInfo: head };
  const threshold = options.multipartThreshold ?? options.partSize ?? DEFAULT_MIGRATE_PART_SIZE;
  const result = head.size > threshold ? await migrateMultipart(options, head) : await migrateSingle(options, head);
  return { ...result, sourceInfo: head };
}

/** The same object on both sides: same cloud, canonical service (see `locationIdentity`), bucket and key. */
export function sameObject(options: Pick<MigrateOptions, 'source' | 'destination'>): boolean {
  return sameLocation(identityOf(options.source), identityOf(options.destination));
}

/** A side's identity; its `service` is already canonical (`serviceOf`), an absent one is ''. */
export function identityOf(side: MigrationSide): LocationIdentity {
  return identityAt(side.store.provider, side.service ?? '', side.bucket, side.key);
}

/** `refuse` (default) throws when the destination exists; `skip` returns the skipped result. */
async function checkDestination(options: MigrateOptions, head: ObjectInfo): Promise<MigrateResult | undefined> {
  const policy = options.ifExists ?? 'refuse';
  if (policy === 'overwrite') return undefined;
  const { store, bucket, key } = options.destination;
  try {
    await store.head(bucket, key, { signal: options.signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-key') return undefined;
    throw err;
  }
  if (policy === 'refuse') throw new DestinationExistsError(refOf(options.destination));
  return {
    source: refOf(options.source),
    destination: refOf(options.destination),
    size: head.size,
    parts: 0,
    verified: false,
    reason: l10n.t('the destination already exists; left as it was'),
    outcome: 'skipped',
    retriedParts: [],
    resumedParts: 0,
    sourceRetries: 0,
  };
}
