import { throwIfAborted } from '../../util/errors';

/** Runs `task` on every item with at most `limit` running at once; the first failure rejects. */
export async function eachLimited<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, task: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  let stop = false;
  async function lane(): Promise<void> {
    while (!stop && index < items.length) {
      throwIfAborted(signal);
      const item = items[index++];
      await task(item).catch((err: unknown) => {
        stop = true;
        throw err;
      });
    }
  }
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}
