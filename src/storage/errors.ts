/**
 * Typed errors a user can act on. Adapters translate SDK errors into these; nothing above the adapters
 * ever sees an SDK's raw error object, and no message ever contains a secret.
 */

export type StorageErrorKind =
  | 'credentials' // wrong key id, wrong secret, expired token, bad signature
  | 'access-denied'
  | 'no-such-bucket'
  | 'no-such-key'
  | 'no-such-upload'
  | 'precondition-failed' // an If-Match condition (e.g. on a copy source) no longer holds: the source changed
  | 'position-conflict' // an append at a position that is not the object's current length
  | 'no-such-inventory'
  | 'not-supported' // the cloud has no such operation (COS append, OSS one-time inventory)
  | 'insecure-endpoint' // plain HTTP to a host that is not loopback, not allowed by the user
  | 'invalid-request' // the service refused the request as malformed (bad part list, entity too small, ...)
  | 'network' // connection refused, reset, DNS
  | 'timeout'
  | 'server' // 5xx after retries
  | 'malformed-response';

export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    /** What to do about it, in a sentence. */
    readonly hint?: string,
    /** The service's error code (e.g. `NoSuchBucket`) and request id, for support. */
    readonly code?: string,
    readonly requestId?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** An append at a position that is not the object's length: someone else appended, or the caller's length is stale. */
export class PositionConflictError extends StorageError {
  constructor(
    base: StorageError,
    /** The object's current length, where the next append must start; undefined when the service did not say. */
    readonly currentPosition: number | undefined,
  ) {
    super('position-conflict', base.message, base.hint, base.code, base.requestId, base.status);
    this.name = 'StorageError';
  }
}
