import { CancelledError, throwIfAborted } from '../util/errors';
import { StorageError } from './errors';

/**
 * One retry policy for every cloud call: exponential backoff with full jitter, bounded in attempts, in
 * delay and in total time. The SDKs' own retries are switched off (ali-oss has none by default; the COS
 * adapter refuses to sign its immediate, backoff-less retries) and the transfers do not wrap calls in a
 * retry loop of their own, so this is the only place that decides to try again.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** Ceiling of the first backoff, in ms; doubles every retry. */
  baseDelayMs: number;
  /** Upper bound of any single backoff, in ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /**
   * Total time for every attempt and backoff, in ms. No backoff runs past it, and `op` is told how much
   * of it is left so that one attempt cannot outlive it either.
   */
  deadlineMs?: number;
  /** Decides whether a failure is transient. Default: `isTransientError`. */
  isRetryable?: (err: unknown) => boolean;
  /** Called before each backoff, e.g. to log "retrying in 400 ms". */
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
  /** Source of randomness for the jitter, in [0, 1). Tests may pin it. */
  random?: () => number;
  /** Clock, in ms. Tests may pin it. */
  now?: () => number;
}

/** Server errors, throttling, resets and timeouts are worth another try; everything else is not. */
export function isTransientError(err: unknown): boolean {
  if (!(err instanceof StorageError)) return false;
  return err.kind === 'server' || err.kind === 'network' || err.kind === 'timeout' || err.status === 429;
}

/** Backoff before retry number `retry` (1-based): uniform in [0, min(maxDelay, base * 2^(retry-1))]. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Resolve after `ms`, or reject with `CancelledError` as soon as the signal aborts. */
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

/**
 * Run `op` until it succeeds, fails with a non-transient error, the retries are used up or the next
 * backoff would end past the deadline (then the last error is thrown). Only wrap idempotent operations
 * (and part uploads, which may be repeated safely). `op` receives the attempt number, starting at 0, and
 * the ms left before the deadline (`Infinity` without one).
 */
export async function withRetry<T>(op: (attempt: number, remainingMs: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const retryable = options.isRetryable ?? isTransientError;
  const now = options.now ?? Date.now;
  const endsAt = options.deadlineMs === undefined ? Infinity : now() + options.deadlineMs;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal);
    try {
      return await op(attempt, endsAt - now());
    } catch (err) {
      if (options.signal?.aborted) throw new CancelledError();
      if (attempt >= policy.maxRetries || !retryable(err)) throw err;
      const delay = backoffDelay(attempt + 1, policy, options.random);
      // Another attempt needs some time after the backoff; with none left, the last answer is the verdict.
      if (now() + delay >= endsAt) throw err;
      options.onRetry?.(err, attempt + 1, delay);
      await sleep(delay, options.signal);
    }
  }
}
