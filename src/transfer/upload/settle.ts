import type { promises as fs } from 'node:fs';
import { crc64, crc64Combine, parseCrc64 } from '../../crc';
import type { ObjectStore } from '../../storage/types';
import { runLimited } from '../../util/concurrency';
import { PartBufferPool } from '../bufferPool';
import type { UploadCheckpoint } from '../checkpoint';
import { partRange, type PartPlan } from '../planner';
import { resultOf, storedObjectMatching } from './finish';
import { readFully, startHash } from './localFile';
import { checkpointTarget } from './open';
import { DEFAULT_CONCURRENCY, type UploadOptions, type UploadResult } from './types';

/** CRC-64 of the whole local file, read part by part through the buffer pool and `hashPart`, in lanes. */
async function hashLocalFile(handle: fs.FileHandle, plan: PartPlan, size: number, options: UploadOptions): Promise<bigint> {
  const crcs: bigint[] = [];
  const numbers = Array.from({ length: plan.partCount }, (_, i) => i + 1);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const pool = options.buffers ?? new PartBufferPool(concurrency);
  await runLimited(
    numbers,
    concurrency,
    async (n, signal) => {
      const range = partRange(plan, size, n);
      const buffer = await pool.acquire(plan.partSize, signal);
      try {
        await readFully(handle, buffer, range.length, range.offset, options.localPath);
        crcs[n - 1] = await startHash(options, buffer.subarray(0, range.length));
      } finally {
        pool.release(buffer);
      }
    },
    { signal: options.signal },
  );
  let whole = crc64(new Uint8Array(0));
  for (let n = 1; n <= plan.partCount; n++) whole = crc64Combine(whole, crcs[n - 1], partRange(plan, size, n).length);
  return whole;
}

/**
 * An earlier run sent Complete and the upload is now gone: it most likely landed with its answer lost.
 * The stored object settles it: the local file as it is now, hashed, against HEAD's size and CRC-64. A
 * match is the verified result, with no part sent again; otherwise `undefined`, and the caller starts over.
 */
export async function settleEarlierComplete(
  store: ObjectStore,
  options: UploadOptions,
  cp: UploadCheckpoint,
  plan: PartPlan,
  handle: fs.FileHandle,
): Promise<UploadResult | undefined> {
  const size = cp.localSize;
  const target = checkpointTarget(store, options);
  // Without our CRC there is nothing to settle it with.
  const local = options.verify !== false ? await hashLocalFile(handle, plan, size, options) : undefined;
  const info = local !== undefined ? await storedObjectMatching(store, options, size, local) : undefined;
  await options.checkpoints?.delete(target);
  if (!info) {
    options.log?.(`The interrupted upload of ${options.key} no longer exists and the stored object is not this file; starting over.`);
    return undefined;
  }
  options.log?.(`${options.key}: the Complete of an earlier run had landed; the stored object matches the file.`);
  options.onProgress?.({ bytesDone: size, bytesTotal: size });
  const base = {
    path: options.localPath,
    bucket: options.bucket,
    key: options.key,
    size,
    parts: plan.partCount,
    partSize: plan.partSize,
    retriedParts: [],
    resumedParts: plan.partCount,
    uploadId: cp.uploadId,
  };
  const notes = [
    'an earlier run had completed the upload but its answer was lost; HEAD showed the stored object with the same size and CRC-64',
  ];
  return resultOf(store, options, base, { local, remote: parseCrc64(info.crc64), partsWithoutCrc: [], extraNotes: notes });
}
