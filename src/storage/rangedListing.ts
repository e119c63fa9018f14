import { compareKeys as compare } from '../record/keyOrder';
import { CancelledError, isCancelled } from '../util/errors';
import type { ListOptions, ObjectInfo, ObjectStore } from './types';

/**
 * A prefix listed as several key ranges at once, handed out as one listing in key order. The services list
 * one page after the other; cut at keys already known (the CRC record or an inventory tells how keys are
 * spread), the ranges are listed side by side, each from its lower bound (`startAfter`) until it passes its
 * upper one. Range i holds the keys k with splits[i-1] < k <= splits[i]: every key falls in exactly one.
 * Memory holds at most `ahead` pages per running range; a failed or cancelled range stops all of them.
 */

export interface RangedListOptions extends Pick<ListOptions, 'pageSize' | 'signal'> {
  /** Start after this key (a resumed run); '' or undefined: from the start of the prefix. */
  after?: string;
  /** Ranges listed at once (default 4). */
  concurrency?: number;
  /** Pages each range may list ahead of the consumer (default 2). */
  ahead?: number;
  /** Called once per list request. */
  onRequest?(): void;
}

export interface RangedPage {
  objects: ObjectInfo[];
  /** True on the closing page, which is empty: the listing is over. */
  last: boolean;
}

interface Range {
  after?: string;
  upTo?: string;
  pages: ObjectInfo[][];
  done: boolean;
  error?: unknown;
  /** Wakes the consumer (a page arrived, the range ended or failed). */
  wake?: () => void;
  /** Wakes the range's lister (the consumer took a page). */
  resume?: () => void;
}

/**
 * Every object below `prefix` after `options.after`, in key order, a page at a time. `splits` are keys that
 * cut the listing into ranges (sorted or not, duplicates and keys outside the prefix or before `after` are
 * dropped); with none it is one ordinary listing.
 */
export async function* listRanges(
  store: Pick<ObjectStore, 'list'>,
  bucket: string,
  prefix: string,
  splits: readonly string[],
  options: RangedListOptions = {},
): AsyncGenerator<RangedPage> {
  const after = options.after ?? '';
  const cuts = [...new Set(splits)].filter((k) => k.startsWith(prefix) && compare(k, after) > 0).sort(compare);
  const ranges: Range[] = [];
  for (let i = 0; i <= cuts.length; i++) {
    ranges.push({ after: i === 0 ? after || undefined : cuts[i - 1], upTo: cuts[i], pages: [], done: false });
  }
  const ahead = Math.max(1, options.ahead ?? 2);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  // One abort for every range: the consumer leaving, a failed range, or the caller's signal.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const listRange = async (r: Range): Promise<void> => {
    let pageToken: string | undefined;
    try {
      for (;;) {
        while (r.pages.length >= ahead && !stop.signal.aborted) await new Promise<void>((resolve) => (r.resume = resolve));
        if (stop.signal.aborted) throw new CancelledError();
        options.onRequest?.();
        const page = await store.list(bucket, {
          prefix,
          pageToken,
          startAfter: pageToken ? undefined : r.after,
          pageSize: options.pageSize,
          signal: stop.signal,
        });
        let objects = page.objects;
        let passed = false;
        if (r.upTo !== undefined) {
          const upTo = r.upTo;
          const end = objects.findIndex((o) => compare(o.key, upTo) > 0);
          if (end >= 0) {
            objects = objects.slice(0, end);
            passed = true;
          }
        }
        if (objects.length) r.pages.push(objects);
        pageToken = page.nextPageToken;
        if (passed || !pageToken) break;
        r.wake?.();
      }
    } catch (err) {
      r.error = err;
      stop.abort();
    } finally {
      r.done = true;
      r.wake?.();
    }
  };

  let started = 0;
  const startNext = () => {
    while (started < ranges.length && started < consumed + concurrency) void listRange(ranges[started++]);
  };
  let consumed = 0;
  try {
    startNext();
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i];
      for (;;) {
        // A failed range stops the others too: report the cause, not the stop.
        const failed = ranges.find((x) => x.error !== undefined && !isCancelled(x.error));
        if (failed) throw failed.error;
        if (r.error !== undefined) throw r.error;
        if (options.signal?.aborted) throw new CancelledError();
        const page = r.pages.shift();
        if (page) {
          r.resume?.();
          yield { objects: page, last: false };
          continue;
        }
        if (r.done) break;
        await new Promise<void>((resolve) => (r.wake = resolve));
        r.wake = undefined;
      }
      consumed++;
      startNext();
    }
    // Known only once the last range has ended: a closing page with nothing in it.
    yield { objects: [], last: true };
  } finally {
    stop.abort();
    for (const r of ranges) r.resume?.();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
