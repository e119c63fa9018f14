import { StorageError } from '../storage/errors';
import { CancelledError } from '../util/errors';

/** Errors worth sending the same request again for: 5xx, throttling, resets, timeouts. */
export function isTransient(err: unknown): boolean {
  if (err instanceof StorageError) {
    return err.kind === 'server' || err.kind === 'network' || err.kind === 'timeout' || err.status === 429;
  }
  return false;
}

/** Exponential backoff with full jitter: a random wait in [0, base·2^attempt], capped. */
export function backoffDelay(attempt: number, baseMs = 200, capMs = 10_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/** Wait `ms`, or reject with `CancelledError` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
