import { CancelledError } from './errors';

/**
 * Run `task` over `items` with at most `limit` in flight: the one worker-lane loop of the core (folder
 * compare, multipart parts, folder transfers, listings). Items are pulled lazily, so an async iterable
 * (a paged listing) is never read further ahead than the lanes need.
 *
 * The first failure stops every lane from taking another item and aborts the `signal` handed to the
 * tasks in flight; once they have settled, that first failure is thrown. Cancelling `options.signal` does
 * the same and throws `CancelledError`.
 */
export async function runLimited<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  task: (item: T, signal: AbortSignal) => Promise<void>,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const inner = new AbortController();
  const onOuterAbort = (): void => inner.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) inner.abort();
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let firstError: { err: unknown } | undefined;
  // Lanes share one iterator; pulls are chained so two lanes never call next() at once.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<IteratorResult<T>> => {
    const next = pulling.then(() => iterator.next());
    pulling = next.catch(() => undefined);
    return next;
  };
  const lane = async (): Promise<void> => {
    for (;;) {
      if (inner.signal.aborted) return;
      let step: IteratorResult<T>;
      try {
        step = await pull();
      } catch (err) {
        firstError ??= { err };
        inner.abort();
        return;
      }
      if (step.done || inner.signal.aborted) return;
      try {
        await task(step.value, inner.signal);
      } catch (err) {
        firstError ??= { err };
        inner.abort();
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.floor(limit)) }, lane));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    // Let an async source (a paged listing) release what it holds.
    await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
  if (options.signal?.aborted) throw new CancelledError();
  if (firstError) throw firstError.err;
}
