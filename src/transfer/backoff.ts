import { backoffDelay as policyBackoffDelay } from '../storage/retry';

/** Transfers retry on the same errors, and sleep the same cancellable way, as every other cloud call. */
export { isTransientError as isTransient, sleep } from '../storage/retry';

/** Exponential backoff with full jitter: a random wait in [0, base·2^attempt], capped (`attempt` from 0). */
export function backoffDelay(attempt: number, baseMs = 200, capMs = 10_000): number {
  return policyBackoffDelay(attempt + 1, { maxRetries: 0, baseDelayMs: baseMs, maxDelayMs: capMs });
}
