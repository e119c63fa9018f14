import { StorageError } from '../../storage/errors';
import type { ObjectInfo } from '../../storage/types';
import { throwIfAborted } from '../../util/errors';
import { migrateMultipart } from './multipart';
import { refOf } from './shared';
import { migrateSingle } from './single';
import { DEFAULT_MIGRATE_PART_SIZE, DestinationExistsError, type MigrateOptions, type MigrateResult } from './types';

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
    throw new Error(`Cannot copy ${options.source.bucket}/${options.source.key} onto itself.`);
  }
  const head = await options.source.store.head(options.source.bucket, options.source.key, { signal: options.signal });
  const skipped = await checkDestination(options, head);
  if (skipped) return skipped;
  const threshold = options.multipartThreshold ?? options.partSize ?? DEFAULT_MIGRATE_PART_SIZE;
  return head.size > threshold ? migrateMultipart(options, head) : migrateSingle(options, head);
}

/** Same service, bucket and key on both sides. */
export function sameObject(options: Pick<MigrateOptions, 'source' | 'destination'>): boolean {
  const { source: s, destination: d } = options;
  return (
    s.store.provider === d.store.provider &&
    (s.service ?? '') === (d.service ?? '') &&
    s.bucket === d.bucket &&
    s.key === d.key
  );
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
    reason: 'the destination already exists; left as it was',
    outcome: 'skipped',
    retriedParts: [],
    resumedParts: 0,
    sourceRetries: 0,
  };
}
