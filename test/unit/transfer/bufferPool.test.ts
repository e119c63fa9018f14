import { describe, expect, it } from 'vitest';
import { PartBufferPool } from '../../../src/transfer/bufferPool';
import { CancelledError } from '../../../src/util/errors';

describe('PartBufferPool', () => {
  it('hands out at most `capacity` buffers and reuses released ones', async () => {
    const pool = new PartBufferPool(2);
    const a = await pool.acquire(16);
    const b = await pool.acquire(16);
    expect(a.length).toBe(16);
    let third: Buffer | undefined;
    const waiting = pool.acquire(16).then((buf) => (third = buf));
    await Promise.resolve();
    expect(third).toBeUndefined();
    pool.release(a);
    await waiting;
    expect(third).toBe(a);
    pool.release(b);
    expect(await pool.acquire(8)).toBe(b);
  });

  it('replaces a buffer too small for a larger part instead of adding one', async () => {
    const pool = new PartBufferPool(1);
    const small = await pool.acquire(8);
    pool.release(small);
    const big = await pool.acquire(32);
    expect(big.length).toBe(32);
    expect(big).not.toBe(small);
    let next: Buffer | undefined;
    void pool.acquire(32).then((buf) => (next = buf));
    await Promise.resolve();
    expect(next).toBeUndefined();
    pool.release(big);
    await new Promise((r) => setImmediate(r));
    expect(next).toBe(big);
  });

  it('stops waiting when the signal aborts', async () => {
    const pool = new PartBufferPool(1);
    const held = await pool.acquire(4);
    const controller = new AbortController();
    const waiting = pool.acquire(4, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    // The aborted waiter is gone: a release goes to the next one.
    pool.release(held);
    expect(await pool.acquire(4)).toBe(held);
  });
});
