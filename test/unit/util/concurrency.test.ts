import { describe, expect, it } from 'vitest';
import { runLimited } from '../../../src/util/concurrency';

const tick = (ms = 1): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('runLimited', () => {
  it('runs every item with no more than the limit in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(n % 3);
      seen.push(n);
      inFlight--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('pulls an async source lazily, never more than the lanes need', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    let started = 0;
    await expect(
      runLimited(source(), 2, async (n) => {
        started++;
        await tick();
        if (n === 3) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(started).toBeLessThanOrEqual(5);
    expect(pulled).toBeLessThanOrEqual(6);
  });

  it('throws the first failure after the tasks in flight have settled, and aborts their signal', async () => {
    let abortedSeen = false;
    let settled = 0;
    await expect(
      runLimited([0, 1], 2, async (n, signal) => {
        if (n === 0) {
          await tick(5);
          throw new Error('first');
        }
        await tick(30);
        abortedSeen = signal.aborted;
        settled++;
      }),
    ).rejects.toThrow('first');
    expect(settled).toBe(1);
    expect(abortedSeen).toBe(true);
  });

  it('throws CancelledError when the caller cancels', async () => {
    const controller = new AbortController();
    const done: number[] = [];
    const run = runLimited(
      [1, 2, 3, 4],
      1,
      async (n) => {
        if (n === 2) controller.abort();
        await tick();
        done.push(n);
      },
      { signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
    expect(done).toEqual([1, 2]);
  });
});
