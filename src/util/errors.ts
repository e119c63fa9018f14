/** Errors shared by every part of the core. */

/** Cancellation is not a failure: callers show nothing, or "cancelled". */
export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A CRC-64 check failed: the bytes that arrived are not the bytes that were sent. */
export class IntegrityError extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
    /** Which part, for multipart uploads. */
    readonly partNumber?: number,
  ) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** An abort raised by Node or an SDK when an AbortSignal fired (`AbortError` / `ABORT_ERR`). */
export function isAbortError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

export function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || isAbortError(err);
}

/** Throw `CancelledError` if the signal was aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}
