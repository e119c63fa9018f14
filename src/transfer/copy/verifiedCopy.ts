import * as l10n from '@vscode/l10n';
import { crc64Combine, formatCrc64 } from '../../crc';
import { computeRemoteCrc64 } from '../read/remoteCrc';
import { StorageError } from '../../storage/errors';
import { identityAt, sameLocation, type LocationIdentity } from '../../storage/locationIdentity';
import type { ObjectInfo, ObjectStore, UploadedPart } from '../../storage/types';
import { runLimited } from '../../util/concurrency';
import { IntegrityError, throwIfAborted } from '../../util/errors';
import { listParts, MiB, planParts } from '../planner';
import { deleteSourceIfProven } from './sourceRemoval';
import {
  CopyRequestError,
  DestinationExistsError,
  type VerifiedCopyOptions,
  type CopyOutcome,
  type ObjectRef,
  type ServerCopyStore,
} from './types';

const DEFAULT_THRESHOLD = 64 * MiB;
const DEFAULT_PART_SIZE = 64 * MiB;

/**
 * Server-side copy whose destination is checked against the source by CRC-64, with no byte through the
 * client: one PUT Object - Copy / CopyObject up to `multipartThresholdBytes`, Upload Part - Copy (parts in
 * parallel, each conditional on the source's ETag) above it, the part CRCs combined and compared with
 * the source's and with Complete's. A destination whose CRC-64 differs is removed and `IntegrityError`
 * thrown. When the service gives no CRC-64 (a source stored without one; OSS copies may have none) the
 * outcome is `verified: false` with the reason — "copied, not verified"; `verifyCopyByStreaming` can
 * then check it by reading both.
 */
export async function copyObjectVerified(
  store: ServerCopyStore,
  source: ObjectRef,
  target: ObjectRef,
  options: VerifiedCopyOptions = {},
): Promise<CopyOutcome> {
  const places = identities(store, source, target);
  if (sameLocation(places.source, places.destination)) {
    throw new CopyRequestError(l10n.t('{0} cannot be copied onto itself: pick another name or folder.', `${source.bucket}/${source.key}`));
  }
  const { signal } = options;
  throwIfAborted(signal);
  const info = await store.head(source.bucket, source.key, { signal });
  if (!options.overwrite) {
    const existing = await headIfExists(store, target, signal);
    if (existing) throw new DestinationExistsError(target, existing);
  }
  const threshold = options.multipartThresholdBytes ?? DEFAULT_THRESHOLD;
  const job: CopyJob = { store, source, target, info, options };
  const outcome = info.size <= threshold || info.size === 0 ? await copyInOne(job) : await copyInParts(job);
  try {
    await throwIfSourceChanged(store, source, info, signal);
  } catch (err) {
    await removeQuietly(store, target);
    throw err;
  }
  return outcome;
}

function sourceChanged(source: ObjectRef): CopyRequestError {
  return new CopyRequestError(
    l10n.t('{0} changed while it was copied, so the copy was not kept. Copy it again.', `${source.bucket}/${source.key}`),
  );
}

/** The service's "If-Match failed" on the source as the same message as a change seen by HEAD. */
function sourceChangedOr(err: unknown, source: ObjectRef): unknown {
  return err instanceof StorageError && err.kind === 'precondition-failed' ? sourceChanged(source) : err;
}

/** A source replaced while its parts were copied would give a mix of two versions: refuse the copy. */
async function throwIfSourceChanged(
  store: Pick<ObjectStore, 'head'>,
  source: ObjectRef,
  before: ObjectInfo,
  signal?: AbortSignal,
): Promise<void> {
  const now = await store.head(source.bucket, source.key, { signal });
  if (now.etag !== before.etag || now.size !== before.size || now.crc64 !== before.crc64) {
    throw sourceChanged(source);
  }
}

/** One copy within a store, its source as HEAD read it: what both ways of copying take. */
interface CopyJob {
  store: ServerCopyStore;
  source: ObjectRef;
  target: ObjectRef;
  info: ObjectInfo;
  options: VerifiedCopyOptions;
}

/** The copy's CRC-64 as the service stored it: from its answer, else by HEAD (OSS may leave it out of the answer yet store one). */
async function storedCrc64({ store, target, options }: CopyJob, answered: string | undefined): Promise<string | undefined> {
  return answered ?? (await store.head(target.bucket, target.key, { signal: options.signal })).crc64;
}

async function copyInOne(job: CopyJob): Promise<CopyOutcome> {
  const { store, source, target, info, options } = job;
  const { signal } = options;
  const res = await store
    .copyObject(source.bucket, source.key, target.bucket, target.key, { signal, ifMatch: info.etag })
    .catch((err: unknown) => {
      throw sourceChangedOr(err, source);
    });
  const targetCrc64 = await storedCrc64(job, res.crc64);
  options.onProgress?.(info.size, info.size);
  const base = { source, target, size: info.size, method: 'copy' as const, parts: 1, info };
  return judge(store, base, info.crc64, targetCrc64);
}

async function copyInParts(job: CopyJob): Promise<CopyOutcome> {
  const { store, source, target, info, options } = job;
  const { signal } = options;
  const plan = planParts(info.size, { partSize: options.partSizeBytes ?? DEFAULT_PART_SIZE, minPartSize: options.minPartSize });
  const { uploadId } = await store.createMultipartUpload(target.bucket, target.key, { signal });
  const parts: Array<UploadedPart & { size: number }> = [];
  let done = 0;
  let completed;
  let combined: string | undefined;
  try {
    await runLimited(
      listParts(plan, info.size),
      options.concurrency ?? 4,
      async (p, sig) => {
        const range = { start: p.offset, end: p.offset + p.length - 1 };
        const part = await store
          .uploadPartCopy(target.bucket, target.key, uploadId, p.partNumber, {
            srcBucket: source.bucket,
            srcKey: source.key,
            range,
            ifMatch: info.etag,
            signal: sig,
          })
          .catch((err: unknown) => {
            throw sourceChangedOr(err, source);
          });
        parts[p.partNumber - 1] = { ...part, partNumber: p.partNumber, size: p.length };
        done += p.length;
        options.onProgress?.(done, info.size);
      },
      { signal },
    );
    combined = combinePartCrcs(parts);
    if (combined && info.crc64 && combined !== info.crc64) {
      await throwIfSourceChanged(store, source, info, signal);
      throw new IntegrityError(
        l10n.t(
          "The parts copied for {0} combine to CRC-64 {1}, the source's is {2}: the copy was not completed.",
          `${target.bucket}/${target.key}`,
          combined,
          info.crc64,
        ),
        info.crc64,
        combined,
      );
    }
    completed = await store.completeMultipartUpload(
      target.bucket,
      target.key,
      uploadId,
      parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
      { signal },
    );
  } catch (err) {
    await store.abortMultipartUpload(target.bucket, target.key, uploadId).catch(() => undefined);
    throw err;
  }
  const targetCrc64 = await storedCrc64(job, completed.crc64);
  if (combined && targetCrc64 && combined !== targetCrc64) {
    await removeQuietly(store, target);
    throw new IntegrityError(
      l10n.t(
        'Complete gave {0} CRC-64 {1}, its parts combine to {2}: the copy was removed.',
        `${target.bucket}/${target.key}`,
        targetCrc64,
        combined,
      ),
      combined,
      targetCrc64,
    );
  }
  const base = { source, target, size: info.size, method: 'multipart' as const, parts: plan.partCount, info };
  return judge(store, base, info.crc64, targetCrc64 ?? combined);
}

/** The whole object's CRC-64 from its parts' (in order), or undefined when any part has none. */
export function combinePartCrcs(parts: ReadonlyArray<{ crc64?: string; size: number }>): string | undefined {
  let whole = 0n;
  for (const p of parts) {
    if (!p?.crc64) return undefined;
    whole = crc64Combine(whole, BigInt(p.crc64), p.size);
  }
  return formatCrc64(whole);
}

type OutcomeBase = Omit<CopyOutcome, 'verified' | 'reason' | 'sourceCrc64' | 'targetCrc64'>;

/** Verified when both CRC-64 values are known and equal; a damaged destination is removed. */
async function judge(
  store: ServerCopyStore,
  base: OutcomeBase,
  sourceCrc64: string | undefined,
  targetCrc64: string | undefined,
): Promise<CopyOutcome> {
  const crcs = { ...(sourceCrc64 ? { sourceCrc64 } : {}), ...(targetCrc64 ? { targetCrc64 } : {}) };
  if (!sourceCrc64)
    return {
      ...base,
      ...crcs,
      verified: false,
      reason: l10n.t('the source was stored without a CRC-64, so the service gave none to compare'),
    };
  if (!targetCrc64) return { ...base, ...crcs, verified: false, reason: l10n.t('the service returned no CRC-64 for the copy') };
  if (sourceCrc64 !== targetCrc64) {
    await removeQuietly(store, base.target);
    throw new IntegrityError(
      l10n.t(
        'The copy {0} has CRC-64 {1}, its source {2}: the copy was removed.',
        `${base.target.bucket}/${base.target.key}`,
        targetCrc64,
        sourceCrc64,
      ),
      sourceCrc64,
      targetCrc64,
    );
  }
  return { ...base, ...crcs, verified: true };
}

export interface MoveOutcome extends CopyOutcome {
  /** True when the source was deleted: only after a verified copy of a source proven unchanged. */
  sourceDeleted: boolean;
  /** Why the source was kept, when it was. */
  keptBecause?: string;
}

/** Both ends of a copy within one store: one connection, so one service. */
function identities(
  store: Pick<ServerCopyStore, 'provider'>,
  source: ObjectRef,
  target: ObjectRef,
): { source: LocationIdentity; destination: LocationIdentity } {
  return {
    source: identityAt(store.provider, 'this connection', source.bucket, source.key),
    destination: identityAt(store.provider, 'this connection', target.bucket, target.key),
  };
}

/**
 * Move = verified copy, then `deleteSourceIfProven`: the source goes only when the copy was verified and a
 * HEAD just before the delete shows the object that was copied. Otherwise it is kept (`sourceDeleted:
 * false`, `keptBecause`); `verifyCopyByStreaming` and the same rule are the way on from an unverified copy.
 */
export async function moveObjectVerified(
  store: ServerCopyStore,
  source: ObjectRef,
  target: ObjectRef,
  options: VerifiedCopyOptions = {},
): Promise<MoveOutcome> {
  const outcome = await copyObjectVerified(store, source, target, options);
  const removal = await deleteSourceIfProven(store, {
    ...identities(store, source, target),
    ...source,
    read: outcome.info,
    verified: outcome.verified,
    signal: options.signal,
  });
  return { ...outcome, ...removal };
}

export interface StreamCheck {
  verified: boolean;
  sourceCrc64: string;
  targetCrc64: string;
}

/**
 * Checks a copy the service could not vouch for by streaming it (never to disk) and comparing its
 * CRC-64 with the source's: the stored one when it has one, otherwise the source is streamed too.
 */
export async function verifyCopyByStreaming(
  store: Pick<ObjectStore, 'get' | 'head'>,
  source: ObjectRef,
  target: ObjectRef,
  signal?: AbortSignal,
): Promise<StreamCheck> {
  const stored = (await store.head(source.bucket, source.key, { signal })).crc64;
  const sourceCrc64 = stored ?? (await computeRemoteCrc64(store, source.bucket, source.key, { signal })).crc64;
  const targetCrc64 = (await computeRemoteCrc64(store, target.bucket, target.key, { signal })).crc64;
  return { verified: sourceCrc64 === targetCrc64, sourceCrc64, targetCrc64 };
}

async function headIfExists(store: Pick<ObjectStore, 'head'>, ref: ObjectRef, signal?: AbortSignal): Promise<ObjectInfo | undefined> {
  try {
    return await store.head(ref.bucket, ref.key, { signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-key') return undefined;
    throw err;
  }
}

async function removeQuietly(store: Pick<ObjectStore, 'deleteObject'>, ref: ObjectRef): Promise<void> {
  await store.deleteObject(ref.bucket, ref.key).catch(() => undefined);
}
