import * as l10n from '@vscode/l10n';
import { crc64Combine, formatCrc64, parseCrc64 } from '../../crc';
import type { CompleteResult, ObjectInfo } from '../../storage/types';
import { StorageError } from '../../storage/errors';
import { CancelledError, IntegrityError, isCancelled } from '../../util/errors';
import { isTransientError } from '../../storage/retry';
import { partRange } from '../planner';
import { streamParts, type StreamedParts } from './parts';
import { migrationTarget, openSession, type MigrationSession } from './session';
import { abortUploadQuietly, refOf, removeCorruptDestination } from './shared';
import { SourceChangedError } from './sourceStream';
import { type MigrateOptions, type MigrateResult } from './types';
import { verdict } from './verdict';
import { retryBudget } from '../retryBudget';

/**
 * A large object as a multipart upload fed by one streamed GET. Complete is only called once the
 * stream's CRC-64 (combined over parts) is the source's; the destination's Complete CRC must then equal
 * it too, or the assembled object is removed.
 */
export async function migrateMultipart(options: MigrateOptions, head: ObjectInfo): Promise<MigrateResult> {
  const retries = retryBudget('sourceRereads', options.sourceRetries);
  for (let attempt = 0; ; attempt++) {
    const session = await openSession(options, head);
    const streamed = await streamOrStop(options, head, session);
    const whole = combined(session, streamed, head.size);
    if (whole === undefined || streamed.sourceCrc === undefined || whole === streamed.sourceCrc) {
      return complete(options, head, session, streamed, whole, attempt);
    }
    // Which part was damaged on the way cannot be told: nothing of this stream is kept.
    await abortUploadQuietly(options, session.checkpoint.uploadId);
    await options.checkpoints?.delete(migrationTarget(options));
    const what = l10n.t(
      "The bytes streamed from {0} have CRC-64 {1} but the source's is {2}",
      options.source.key,
      formatCrc64(whole),
      formatCrc64(streamed.sourceCrc),
    );
    if (attempt >= retries) {
      throw new IntegrityError(
        l10n.t('{0} (streamed {1} times). Nothing was completed at the destination.', what, attempt + 1),
        formatCrc64(streamed.sourceCrc),
        formatCrc64(whole),
      );
    }
    options.log?.(`${what}; streaming it again.`);
  }
}

async function streamOrStop(options: MigrateOptions, head: ObjectInfo, session: MigrationSession): Promise<StreamedParts> {
  try {
    return await streamParts(options, head, session);
  } catch (err) {
    const cancelled = options.signal?.aborted || isCancelled(err);
    const keep =
      options.checkpoints !== undefined &&
      (cancelled ? (options.onCancel ?? 'keep') === 'keep' : !(err instanceof IntegrityError || err instanceof SourceChangedError));
    if (!keep) {
      await abortUploadQuietly(options, session.checkpoint.uploadId);
      await options.checkpoints?.delete(migrationTarget(options));
    }
    if (cancelled) {
      throw new CancelledError(
        keep ? l10n.t('Migration paused; it can be resumed.') : l10n.t('Migration cancelled; nothing was left at the destination.'),
      );
    }
    throw err;
  }
}

/**
 * Complete is not idempotent: when its answer is lost (or a retry finds the upload gone), the object may
 * have been assembled. It counts as completed only if the destination has its size and expected CRC-64.
 */
async function completedAnyway(
  options: MigrateOptions,
  err: unknown,
  size: number,
  whole: bigint | undefined,
): Promise<CompleteResult | undefined> {
  const lost = isTransientError(err) || (err instanceof StorageError && err.kind === 'no-such-upload');
  if (!lost || whole === undefined || options.signal?.aborted) return undefined;
  const { store, bucket, key } = options.destination;
  const info = await store.head(bucket, key).catch(() => undefined);
  if (!info || info.size !== size || parseCrc64(info.crc64) !== whole) return undefined;
  options.log?.(`Complete ${key}: the answer was lost, but the destination holds the expected object.`);
  return { etag: info.etag, crc64: info.crc64 };
}

/** The whole object's CRC-64 from the part CRCs: no second read of anything. */
function combined(session: MigrationSession, streamed: StreamedParts, size: number): bigint | undefined {
  if (streamed.crcs.size === 0) return undefined;
  let whole = 0n;
  for (let n = 1; n <= session.plan.partCount; n++) {
    whole = crc64Combine(whole, streamed.crcs.get(n)!, partRange(session.plan, size, n).length);
  }
  return whole;
}

async function complete(
  options: MigrateOptions,
  head: ObjectInfo,
  session: MigrationSession,
  streamed: StreamedParts,
  whole: bigint | undefined,
  sourceRetries: number,
): Promise<MigrateResult> {
  const { store, bucket, key } = options.destination;
  const parts = [...session.done.values()].sort((a, b) => a.partNumber - b.partNumber);
  let completed: CompleteResult;
  try {
    completed = await store.completeMultipartUpload(bucket, key, session.checkpoint.uploadId, parts, { signal: options.signal });
  } catch (err) {
    const landed = await completedAnyway(options, err, head.size, whole);
    if (!landed) {
      if (!options.checkpoints) await abortUploadQuietly(options, session.checkpoint.uploadId);
      throw err;
    }
    completed = landed;
  }
  await options.checkpoints?.delete(migrationTarget(options));
  const base = {
    source: refOf(options.source),
    destination: refOf(options.destination),
    size: head.size,
    parts: parts.length,
    partSize: session.plan.partSize,
    outcome: 'copied' as const,
    retriedParts: [...streamed.retriedParts].sort((a, b) => a - b),
    resumedParts: session.resumedParts,
    sourceRetries,
  };
  if (whole === undefined) return { ...base, verified: false, reason: l10n.t('verification was switched off') };
  const destination = parseCrc64(completed.crc64);
  if (destination !== undefined && destination !== whole) {
    const removed = await removeCorruptDestination(options);
    throw new IntegrityError(
      l10n.t(
        "The assembled object {0} has CRC-64 {1} but the stream's is {2}. {3}",
        key,
        formatCrc64(destination),
        formatCrc64(whole),
        removed,
      ),
      formatCrc64(whole),
      formatCrc64(destination),
    );
  }
  return { ...base, ...verdict(streamed.sourceCrc, whole, destination) };
}
