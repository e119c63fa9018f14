import { StorageError } from '../../storage/errors';
import type { ObjectInfo } from '../../storage/types';
import type { CheckpointPart } from '../checkpoint';
import { partRange, planParts, type PartPlan } from '../planner';
import type { MigrationCheckpoint, MigrationTarget } from './checkpoint';
import { abortUploadQuietly } from './shared';
import { DEFAULT_MIGRATE_PART_SIZE, type MigrateOptions, type MigrationSide } from './types';

/**
 * The destination's multipart upload of one migration: a new one, or the one an interrupted run left
 * (when the source is unchanged and the destination still has its parts).
 */
export interface MigrationSession {
  checkpoint: MigrationCheckpoint;
  plan: PartPlan;
  /** Parts the destination has, with the CRC-64 of the source bytes they were made of. */
  done: Map<number, CheckpointPart>;
  resumedParts: number;
  /** Write the checkpoint with the parts done so far; writes are chained, never out of order. */
  save(): void;
  /** Settles when every checkpoint write asked for so far has landed. */
  readonly saving: Promise<void>;
}

const end = (side: MigrationSide): MigrationTarget['source'] => ({
  provider: side.store.provider,
  service: side.service ?? '',
  bucket: side.bucket,
  key: side.key,
});

export function migrationTarget(options: MigrateOptions): MigrationTarget {
  return { source: end(options.source), destination: end(options.destination) };
}

const sameEtag = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').replace(/"/g, '').toLowerCase() === (b ?? '').replace(/"/g, '').toLowerCase();

export async function openSession(options: MigrateOptions, head: ObjectInfo): Promise<MigrationSession> {
  const target = migrationTarget(options);
  const verify = options.verify !== false;
  let cp = await options.checkpoints?.load(target);
  if (cp && (cp.sourceSize !== head.size || !sameEtag(cp.sourceEtag, head.etag))) {
    options.log?.(`${options.source.key} changed since the interrupted migration; starting over.`);
    await abortUploadQuietly(options, cp.uploadId);
    cp = undefined;
  }
  if (cp) cp = await keepListedParts(options, cp, verify);
  if (!cp) await options.checkpoints?.delete(target);
  const plan = planParts(head.size, {
    partSize: cp?.partSize ?? options.partSize ?? DEFAULT_MIGRATE_PART_SIZE,
    minPartSize: options.minPartSize,
    maxParts: options.maxParts,
  });
  if (plan.raised) options.log?.(`Part size raised to ${plan.partSize} bytes so ${options.source.key} fits in 10,000 parts.`);
  if (!cp) cp = await initiate(options, head, target, plan.partSize);
  // Only parts that fit this plan exactly (and carry our CRC when verifying) are taken over.
  const fits = (p: CheckpointPart): boolean =>
    p.partNumber >= 1 &&
    p.partNumber <= plan.partCount &&
    p.size === partRange(plan, head.size, p.partNumber).length &&
    (!verify || /^\d+$/.test(p.crc64));
  const done = new Map(cp.parts.filter(fits).map((p) => [p.partNumber, p]));
  if (cp.parts.length) options.log?.(`Resuming ${options.destination.key}: ${done.size} of ${plan.partCount} parts already there.`);
  return withSaver(options, { checkpoint: cp, plan, done, resumedParts: done.size });
}

function withSaver(options: MigrateOptions, state: Omit<MigrationSession, 'save' | 'saving'>): MigrationSession {
  let saving: Promise<void> = Promise.resolve();
  return {
    ...state,
    save() {
      const store = options.checkpoints;
      if (!store) return;
      const snapshot = { ...state.checkpoint, parts: [...state.done.values()].sort((a, b) => a.partNumber - b.partNumber) };
      saving = saving
        .then(() => store.save(snapshot))
        .catch((err: unknown) => options.log?.(`Could not save the migration checkpoint: ${(err as Error).message}`));
    },
    get saving() {
      return saving;
    },
  };
}

async function initiate(
  options: MigrateOptions,
  head: ObjectInfo,
  target: MigrationTarget,
  partSize: number,
): Promise<MigrationCheckpoint> {
  const { store, bucket, key } = options.destination;
  const { uploadId } = await store.createMultipartUpload(bucket, key, { signal: options.signal });
  const cp: MigrationCheckpoint = {
    version: 1,
    ...target,
    sourceEtag: head.etag ?? '',
    sourceSize: head.size,
    ...(head.crc64 !== undefined ? { sourceCrc64: head.crc64 } : {}),
    uploadId,
    partSize,
    parts: [],
    createdAt: new Date().toISOString(),
  };
  await options.checkpoints?.save(cp);
  return cp;
}

/** Keep only the checkpoint's parts the destination still lists with the same ETag (and CRC, when listed). */
async function keepListedParts(
  options: MigrateOptions,
  cp: MigrationCheckpoint,
  verify: boolean,
): Promise<MigrationCheckpoint | undefined> {
  const { store, bucket, key } = options.destination;
  let listed;
  try {
    listed = await store.listParts(bucket, key, cp.uploadId, { signal: options.signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-upload') {
      options.log?.(`The interrupted migration to ${key} no longer exists at the destination; starting over.`);
      return undefined;
    }
    throw err;
  }
  const byNumber = new Map(listed.map((p) => [p.partNumber, p]));
  const parts = cp.parts.filter((p) => {
    const there = byNumber.get(p.partNumber);
    if (!there || !sameEtag(there.etag, p.etag)) return false;
    if (there.size !== undefined && there.size !== p.size) return false;
    return !(verify && there.crc64 !== undefined && there.crc64 !== p.crc64);
  });
  return { ...cp, parts };
}
