import type { PartBufferPool } from '../bufferPool';
import type { CheckpointStore } from '../checkpoint';
import { MiB } from '../planner';
import { INTEGRITY_RETRIES } from '../retryBudget';

export const DEFAULT_PART_SIZE = 8 * MiB;
export const DEFAULT_MULTIPART_THRESHOLD = 16 * MiB;
export const DEFAULT_CONCURRENCY = 4;
/** Policy: src/transfer/retryBudget.ts. */
export const DEFAULT_PART_RETRIES = INTEGRITY_RETRIES.partResends;

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
}

/**
 * What to upload and how. Transport failures (5xx, resets, timeouts) are retried by the storage adapter,
 * the one retry layer (see `ConnectionOptions.maxRetries`); the upload itself only re-sends bytes whose
 * CRC-64 came back wrong (`partRetries`).
 */
export interface UploadOptions {
  /** Send nothing when the object already has this file's size and CRC-64 (`UploadResult.identical`). */
  skipIdentical?: boolean;
  bucket: string;
  key: string;
  localPath: string;
  /** Part size in bytes (raised automatically to stay within 10,000 parts). */
  partSize?: number;
  /** Files of at least this many bytes go multipart. */
  multipartThreshold?: number;
  /** Parts in flight at once; memory is bounded by `partSize × concurrency`. */
  concurrency?: number;
  /** How many times a part (or a PUT) whose CRC came back wrong is sent again before giving up. */
  partRetries?: number;
  /** Smallest part except the last (services: 1 MiB). Lowered only in tests, with the emulator's limit. */
  minPartSize?: number;
  /** Most parts an upload may have (services: 10,000). Lowered only in tests, to see the part size raised. */
  maxParts?: number;
  /**
   * `false` skips every CRC computation and check. Only the benchmark's baseline uses it; results are
   * then always "not verified".
   */
  verify?: boolean;
  /** Where resume checkpoints live; without it an interrupted upload cannot be resumed. */
  checkpoints?: CheckpointStore;
  /** Identity of the service (endpoint or region), so a checkpoint never resumes elsewhere. */
  service?: string;
  /**
   * On cancel: `keep` leaves the multipart upload and its checkpoint for a later resume (default when a
   * checkpoint store is given); `abort` aborts it so no parts are left behind.
   */
  onCancel?: 'keep' | 'abort';
  /**
   * Part buffers to draw from. A folder upload shares one pool between its files so that memory stays at
   * `partSize × concurrency` however many files are in flight; by default each upload has its own.
   */
  buffers?: PartBufferPool;
  /** CRC of a part's bytes; defaults to the in-thread engine. A worker pool can be plugged in here. */
  hashPart?: (bytes: Uint8Array) => Promise<bigint> | bigint;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Short lines worth showing in a log (never secrets). */
  log?: (line: string) => void;
}

export interface UploadResult {
  path: string;
  bucket: string;
  key: string;
  size: number;
  /** Number of parts; 0 for a single PUT. */
  parts: number;
  partSize?: number;
  /** Our CRC-64 of the file (decimal); absent when verification was switched off. */
  crc64?: string;
  /** The CRC-64 the service reported for the stored object, if it gave one. */
  remoteCrc64?: string;
  /** True only when the service's CRC of the stored object equals ours. */
  verified: boolean;
  /** Nothing was sent: the object already had this file's size and CRC-64 (`skipIdentical`). */
  identical?: boolean;
  /** Why the upload is not verified, when it is not. */
  reason?: string;
  /**
   * Things worth knowing about a result, verified or not: e.g. a part answered without a CRC-64 (the
   * whole-object CRC then covered it), or a Complete whose answer was lost and that was settled by HEAD.
   */
  notes?: string[];
  /** Parts sent more than once because their CRC came back wrong (0 stands for a single PUT). */
  retriedParts: number[];
  /** Parts taken over from an interrupted upload (each proved against the local bytes first). */
  resumedParts: number;
  uploadId?: string;
}
