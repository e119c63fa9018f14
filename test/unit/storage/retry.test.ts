import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import { backoffDelay, isTransientError, withRetry } from '../../../src/storage/retry';
import { CancelledError } from '../../../src/util/errors';

const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 250 };

describe('backoffDelay', () => {
  it('doubles the ceiling per retry, capped, with full jitter', () => {
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.999)).toBe(199);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(249);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('withRetry', () => {
  it('retries transient errors up to the limit, then throws the last one', async () => {
    let calls = 0;
    const delays: number[] = [];
    const err = await withRetry(
      async () => {
        calls++;
        throw new StorageError('server', `fail ${calls}`, undefined, 'SlowDown', undefined, 503);
      },
      { policy: { ...policy, baseDelayMs: 1 }, onRetry: (_e, _n, d) => delays.push(d), random: () => 0.5 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
    expect((err as Error).message).toBe('fail 4');
  });

  it('does not retry what another try cannot fix', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new StorageError('credentials', 'no');
      }),
    ).rejects.toMatchObject({ kind: 'credentials' });
    expect(calls).toBe(1);
  });

  it('stops waiting at once when cancelled', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const p = withRetry(
      async () => {
        throw new StorageError('network', 'reset');
      },
      { policy: { maxRetries: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 }, signal: controller.signal, random: () => 0.9 },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('classifies 5xx, network, timeouts and 429 as transient', () => {
    expect(isTransientError(new StorageError('server', 'x'))).toBe(true);
    expect(isTransientError(new StorageError('network', 'x'))).toBe(true);
    expect(isTransientError(new StorageError('timeout', 'x'))).toBe(true);
    expect(isTransientError(new StorageError('invalid-request', 'x', undefined, 'TooMany', undefined, 429))).toBe(true);
    expect(isTransientError(new StorageError('no-such-key', 'x'))).toBe(false);
    expect(isTransientError(new Error('x'))).toBe(false);
  });

  it('tells each attempt how much of the deadline is left, and stops before a backoff would pass it', async () => {
    let clock = 0;
    const remaining: number[] = [];
    const delays: number[] = [];
    const err = await withRetry(
      async (_attempt, left) => {
        remaining.push(left);
        clock += 300; // every attempt takes 300 ms
        throw new StorageError('server', 'busy', undefined, undefined, undefined, 503);
      },
      {
        policy: { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 100 },
        deadlineMs: 1_000,
        random: () => 0.5,
        now: () => clock,
        onRetry: (_e, _n, d) => {
          delays.push(d);
          clock += d;
        },
      },
    ).catch((e: unknown) => e);
    expect((err as StorageError).kind).toBe('server');
    // 0 → 300 (+50) → 650 (+50) → 1000: the third backoff would end at the deadline, so it stops there.
    expect(remaining).toEqual([1_000, 650, 300]);
    expect(delays).toEqual([50, 50]);
  });

  it('without a deadline an attempt has all the time it needs', async () => {
    const seen: number[] = [];
    await withRetry(async (_a, left) => {
      seen.push(left);
      return 1;
    });
    expect(seen).toEqual([Infinity]);
  });
});
