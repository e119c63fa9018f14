import type { ObjectInfo, ObjectStore, PutResult, RequestOptions, UploadedPart } from '../../storage/types';

/**
 * What a verified server-side copy needs from an object store: the usual calls plus the two copy
 * requests (PUT Object - Copy / CopyObject, Upload Part - Copy / UploadPartCopy). The bytes never pass
 * through the client; the CRC-64 values the service returns are all there is to check.
 */

export interface ObjectRef {
  bucket: string;
  key: string;
}

/** The source of an Upload Part Copy: a byte range of an object in the same account. */
export interface PartCopySource {
  srcBucket: string;
  srcKey: string;
  /** Inclusive byte range of the source. */
  range: { start: number; end: number };
  /** The source's ETag: the service refuses the part when the source changed since (If-Match). */
  ifMatch?: string;
  signal?: AbortSignal;
}

/** The copy calls as `ObjectStore` declares them (COS PUT Object - Copy / Upload Part - Copy, OSS CopyObject / UploadPartCopy). */
export interface ServerCopyStore
  extends Pick<ObjectStore, 'provider' | 'head' | 'deleteObject' | 'createMultipartUpload' | 'completeMultipartUpload' | 'abortMultipartUpload'> {
  /** One-request copy; `crc64` is the destination's, when the service returned one. */
  copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, options?: RequestOptions & { ifMatch?: string }): Promise<PutResult>;
  /** Copies a byte range of the source as part `partNumber`; `crc64` is the part's, when returned. */
  uploadPartCopy(bucket: string, key: string, uploadId: string, partNumber: number, source: PartCopySource): Promise<UploadedPart>;
}

export interface CopyOptions {
  signal?: AbortSignal;
  /** Objects up to this size are copied in one request; larger ones part by part. Default 64 MiB. */
  multipartThresholdBytes?: number;
  /** Part size of a multipart copy (raised to stay within 10,000 parts). Default 64 MiB. */
  partSizeBytes?: number;
  /** Part copies in flight at once. Default 4. */
  concurrency?: number;
  /** Replace an existing destination; without it a destination that exists is refused (`DestinationExistsError`). */
  overwrite?: boolean;
  /** Smallest part but the last (the services' 1 MiB; lowered by tests together with the emulator's). */
  minPartSize?: number;
  /** Bytes copied so far (parts finished), of the total. */
  onProgress?(done: number, total: number): void;
}

export interface CopyOutcome {
  source: ObjectRef;
  target: ObjectRef;
  size: number;
  /** 'copy': one request; 'multipart': `parts` part copies and a Complete. */
  method: 'copy' | 'multipart';
  parts: number;
  /** The source's CRC-64, when it has one. */
  sourceCrc64?: string;
  /** The destination's CRC-64 as the service reported it, when it did. */
  targetCrc64?: string;
  /** True only when the destination's CRC-64 was seen to equal the source's. */
  verified: boolean;
  /** Why the copy is not verified ("copied, not verified"), when `verified` is false. */
  reason?: string;
  /** The source's metadata at the start of the copy. */
  info: ObjectInfo;
}

/** A copy that would replace an existing object without `overwrite`. */
export class DestinationExistsError extends Error {
  constructor(
    readonly target: ObjectRef,
    readonly existing: ObjectInfo,
  ) {
    super(`${target.bucket}/${target.key} already exists.`);
    this.name = 'DestinationExistsError';
  }
}

/** A request that cannot be carried out as asked (copy onto itself, …). */
export class CopyRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRequestError';
  }
}

/** The store's server-side copy calls, or an error saying this store has none. */
export function asServerCopyStore<S extends ObjectStore>(store: S): S & ServerCopyStore {
  const s = store as S & Partial<ServerCopyStore>;
  if (typeof s.copyObject !== 'function' || typeof s.uploadPartCopy !== 'function') {
    throw new Error(`Server-side copy is not available for ${store.provider.toUpperCase()} in this build.`);
  }
  return s as S & ServerCopyStore;
}
