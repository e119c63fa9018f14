import * as l10n from '@vscode/l10n';
import type { ObjectInfo, ObjectStore } from '../../storage/types';

/**
 * Types of the verified server-side copy: the CRC-64 values the service returns for PUT Object - Copy /
 * CopyObject and Upload Part - Copy / UploadPartCopy are all there is to check.
 */

export interface ObjectRef {
  bucket: string;
  key: string;
}

/** The store calls a verified copy uses; the bytes never pass through the client. */
export type ServerCopyStore = Pick<
  ObjectStore,
  | 'provider'
  | 'head'
  | 'deleteObject'
  | 'copyObject'
  | 'createMultipartUpload'
  | 'uploadPartCopy'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
>;

export interface VerifiedCopyOptions {
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
    super(l10n.t('{0} already exists.', `${target.bucket}/${target.key}`));
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
