import { StorageError } from '../../storage/errors';
import type { ObjectStore, UploadedPart } from '../../storage/types';
import { sameLocalFile, type CheckpointPart, type CheckpointTarget, type LocalFileIdentity, type UploadCheckpoint } from '../checkpoint';
import { abortQuietly } from './cleanup';
import type { UploadOptions } from './types';

/**
 * Open-or-resume: find the checkpoint of an interrupted upload of this file to this destination and
 * decide what of it can be taken over. The kept parts are proved against the local bytes later, while
 * the missing parts upload (see `parts.ts`).
 */
export interface Opened {
  /** The upload to continue, its parts reduced to those the service still has; absent: start a new one. */
  resume?: UploadCheckpoint;
  /** The upload is gone but Complete had been sent: it may have landed, HEAD settles it before starting over. */
  maybeCompleted?: UploadCheckpoint;
}

export function checkpointTarget(store: ObjectStore, options: UploadOptions): CheckpointTarget {
  const { bucket, key, localPath } = options;
  return { provider: store.provider, service: options.service ?? '', bucket, key, localPath };
}

export async function openOrResume(store: ObjectStore, options: UploadOptions, identity: LocalFileIdentity): Promise<Opened> {
  const { checkpoints } = options;
  if (!checkpoints) return {};
  const target = checkpointTarget(store, options);
  const cp = await checkpoints.load(target);
  if (!cp) return {};
  if (!sameLocalFile(cp, identity)) {
    options.log?.(`${options.localPath} changed since the interrupted upload; starting over.`);
    await abortQuietly(store, cp, options.log);
    await checkpoints.delete(target);
    return {};
  }
  const listed = await listPartsOrGone(store, cp, options);
  if (!listed) {
    if (cp.completing) return { maybeCompleted: cp };
    options.log?.(`The interrupted upload of ${cp.key} no longer exists; starting over.`);
    await checkpoints.delete(target);
    return {};
  }
  // The identity is refreshed: every kept part is proved against the file as it is now.
  return { resume: { ...cp, ...identity, completing: false, parts: keptParts(cp.parts, listed, options.verify !== false) } };
}

/** The parts the service has for the upload, or `undefined` when the upload is gone (expired, aborted, completed). */
async function listPartsOrGone(store: ObjectStore, cp: UploadCheckpoint, options: UploadOptions): Promise<UploadedPart[] | undefined> {
  try {
    return await store.listParts(cp.bucket, cp.key, cp.uploadId, { signal: options.signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-upload') return undefined;
    throw err;
  }
}

function sameEtag(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string | undefined): string => (s ?? '').replace(/"/g, '').toLowerCase();
  return norm(a) === norm(b);
}

/** Keep only the checkpoint's parts the service still has with the same ETag (and size and CRC, when listed). */
function keptParts(parts: CheckpointPart[], listed: UploadedPart[], verify: boolean): CheckpointPart[] {
  const byNumber = new Map(listed.map((p) => [p.partNumber, p]));
  return parts.filter((p) => {
    const there = byNumber.get(p.partNumber);
    // A part sent without our CRC (verification was off) cannot join a verified upload: send it again.
    if (verify && !/^\d+$/.test(p.crc64)) return false;
    if (!there || !sameEtag(there.etag, p.etag)) return false;
    if (there.size !== undefined && there.size !== p.size) return false;
    if (there.crc64 !== undefined && p.crc64 && there.crc64 !== p.crc64) return false;
    return true;
  });
}

/** Start a new multipart upload and record it, so an interruption from here on can resume. */
export async function initiate(
  store: ObjectStore,
  options: UploadOptions,
  identity: LocalFileIdentity,
  partSize: number,
): Promise<UploadCheckpoint> {
  const { uploadId } = await store.createMultipartUpload(options.bucket, options.key, { signal: options.signal });
  const cp: UploadCheckpoint = {
    version: 1,
    ...checkpointTarget(store, options),
    ...identity,
    uploadId,
    partSize,
    parts: [],
    createdAt: new Date().toISOString(),
  };
  await options.checkpoints?.save(cp);
  return cp;
}
