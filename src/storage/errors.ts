import * as l10n from '@vscode/l10n';
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
  | 'malformed-response'
  | 'archived' // the object's storage class keeps its bytes offline until it is restored (InvalidObjectState)
  | 'restore-in-progress' // a restore was already asked for and is still running
  | 'not-archived' // a restore of an object whose storage class needs none
  | 'customer-key-required' // the object is encrypted with a customer key (SSE-C) and none was sent
  | 'customer-key-wrong'; // the customer key sent is not the one the object was encrypted with

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

/**
 * A body that ended before the length the service announced. Retried like any network failure; when it
 * stays short on every attempt the service never gave the object whole, which is a data problem about
 * that object (not a reason the run could not check anything).
 */
export class TruncatedBodyError extends StorageError {
  constructor(message: string) {
    super('network', message, l10n.t('Retry; if it stays short, the object cannot be read whole from the service.'));
    this.name = 'StorageError';
  }
}

/** A body shorter than its announced length, as both adapters say it. */
export function truncatedBody(received: number, expected: number, operation: string): TruncatedBodyError {
  return new TruncatedBodyError(l10n.t('The connection closed after {0} of {1} bytes while trying to {2}.', received, expected, operation));
}

/**
 * The one policy of "this error would fail every other request too": stop the whole run (compare, verify,
 * a transfer, a copy) instead of marking one object. Rejected keys, access denied, a missing bucket.
 */
export function isFatalForRun(err: unknown): err is StorageError {
  return err instanceof StorageError && (err.kind === 'credentials' || err.kind === 'access-denied' || err.kind === 'no-such-bucket');
}
