import * as l10n from '@vscode/l10n';
import { crc64, crc64Combine, formatCrc64, parseCrc64 } from '../../crc';
import { StorageError } from '../../storage/errors';
import type { CompleteResult, ObjectInfo, ObjectStore } from '../../storage/types';
import { IntegrityError } from '../../util/errors';
import type { CheckpointPart, UploadCheckpoint } from '../checkpoint';
import type { PartPlan } from '../planner';
import { removeCorruptObject } from './cleanup';
import { checkpointTarget } from './open';
import type { PartsOutcome } from './parts';
import type { UploadOptions, UploadResult } from './types';
import { uploadVerdict } from './verdict';

/** Complete was answered NoSuchUpload and the object under the key is not this file: nothing to resume. */
export class UploadGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadGoneError';
  }
}

/** The whole-object CRC-64 follows from the part CRCs: no second read of the file. */
export function combinedCrc(parts: readonly CheckpointPart[]): bigint {
  let whole = crc64(new Uint8Array(0));
  for (const p of parts) whole = crc64Combine(whole, BigInt(p.crc64), p.size);
  return whole;
}

/** HEAD the key: the stored object when it has this size and (when given) this CRC-64, else `undefined`. */
export async function storedObjectMatching(
  store: ObjectStore,
  options: UploadOptions,
  size: number,
  crc: bigint | undefined,
): Promise<ObjectInfo | undefined> {
  let info: ObjectInfo;
  try {
    info = await store.head(options.bucket, options.key, { signal: options.signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-key') return undefined;
    throw err;
  }
  if (info.size !== size) return undefined;
  if (crc !== undefined && parseCrc64(info.crc64) !== crc) return undefined;
  return info;
}

/**
 * Finish: combine the part CRCs, Complete (with recovery), and judge. The checkpoint is marked
 * `completing` first, so a run that dies before Complete's answer settles it next time by HEAD.
 */
export async function finish(
  store: ObjectStore,
  options: UploadOptions,
  cp: UploadCheckpoint,
  plan: PartPlan,
  outcome: PartsOutcome,
  size: number,
): Promise<UploadResult> {
  const { checkpoints } = options;
  const verify = options.verify !== false;
  const whole = verify ? combinedCrc(outcome.parts) : undefined;
  await checkpoints?.save({ ...cp, parts: outcome.parts, completing: true });
  let completed: CompleteResult & { notes?: string[] };
  try {
    completed = await completeWithRecovery(store, options, cp.uploadId, outcome.parts, whole, size);
  } catch (err) {
    // A gone upload cannot be resumed; any other failure keeps the checkpoint for the next run to settle.
    if (err instanceof UploadGoneError) await checkpoints?.delete(checkpointTarget(store, options));
    throw err;
  }
  await checkpoints?.delete(checkpointTarget(store, options));

  const base = {
    path: options.localPath,
    bucket: options.bucket,
    key: options.key,
    size,
    parts: outcome.parts.length,
    partSize: plan.partSize,
    retriedParts: outcome.retriedParts,
    resumedParts: outcome.resumedParts,
    uploadId: cp.uploadId,
  };
  const remote = parseCrc64(completed.crc64);
  const partsWithoutCrc = outcome.parts.filter((p) => !p.verified).map((p) => p.partNumber);
  return resultOf(store, options, base, { local: whole, remote, partsWithoutCrc, extraNotes: completed.notes ?? [] });
}

type ResultBase = Omit<UploadResult, 'verified' | 'crc64' | 'remoteCrc64' | 'reason' | 'notes'>;

/** The result for a verdict; an integrity failure removes the object and throws. */
export async function resultOf(
  store: ObjectStore,
  options: UploadOptions,
  base: ResultBase,
  input: { local?: bigint; remote?: bigint; partsWithoutCrc: number[]; extraNotes: string[] },
): Promise<UploadResult> {
  const verdict = uploadVerdict({ ...input, via: 'complete' });
  if (verdict.kind === 'integrity-failure') {
    const [ours, theirs] = [formatCrc64(verdict.expected), formatCrc64(verdict.actual)];
    const removed = await removeCorruptObject(store, options.bucket, options.key, options.log);
    throw new IntegrityError(
      l10n.t("The assembled object {0} has CRC-64 {1} but the local file's is {2}. {3}", options.key, theirs, ours, removed),
      ours,
      theirs,
    );
  }
  const crcs = {
    ...(input.local !== undefined ? { crc64: formatCrc64(input.local) } : {}),
    ...(input.local !== undefined && input.remote !== undefined ? { remoteCrc64: formatCrc64(input.remote) } : {}),
  };
  const notes = [...input.extraNotes, ...verdict.notes];
  const withNotes = notes.length ? { notes } : {};
  if (verdict.kind === 'verified') return { ...base, ...crcs, verified: true, ...withNotes };
  return { ...base, ...crcs, verified: false, reason: verdict.reason, ...withNotes };
}

/**
 * Complete the upload. Complete is not idempotent: when its answer is lost after it landed, the adapter's
 * retry finds the upload gone (NoSuchUpload). The stored object then settles it: the same size and our
 * combined CRC-64 mean it is ours and complete; anything else fails the upload.
 */
async function completeWithRecovery(
  store: ObjectStore,
  options: UploadOptions,
  uploadId: string,
  parts: CheckpointPart[],
  expectedCrc: bigint | undefined,
  size: number,
): Promise<CompleteResult & { notes?: string[] }> {
  const { bucket, key } = options;
  const list = parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
  try {
    return await store.completeMultipartUpload(bucket, key, uploadId, list, { signal: options.signal });
  } catch (err) {
    if (!(err instanceof StorageError && err.kind === 'no-such-upload')) throw err;
  }
  let info: ObjectInfo | undefined;
  try {
    info = await storedObjectMatching(store, options, size, expectedCrc);
  } catch (err) {
    const why = (err as Error).message;
    const message = l10n.t(
      'Complete of {0}: the service no longer knows the upload, and the stored object could not be checked ({1}). Run the upload again: it checks the stored object without sending the parts again.',
      key,
      why,
    );
    throw err instanceof StorageError
      ? new StorageError(err.kind, message, err.hint, err.code, err.requestId, err.status)
      : new Error(message);
  }
  if (!info) {
    throw new UploadGoneError(
      expectedCrc !== undefined
        ? l10n.t(
            'Complete of {0}: the service no longer knows the upload, and the object stored under that key is not this file (not {1} bytes with CRC-64 {2}). The upload was not completed; upload it again.',
            key,
            size,
            formatCrc64(expectedCrc),
          )
        : l10n.t(
            'Complete of {0}: the service no longer knows the upload, and the object stored under that key is not this file (not {1} bytes). The upload was not completed; upload it again.',
            key,
            size,
          ),
    );
  }
  options.log?.(`Complete ${key}: its answer was lost but it had succeeded; the stored object matches.`);
  const same = expectedCrc !== undefined ? 'size and CRC-64' : 'size';
  return {
    etag: info.etag,
    crc64: info.crc64,
    notes: [`the answer to Complete was lost; HEAD showed the stored object with the same ${same}`],
  };
}
