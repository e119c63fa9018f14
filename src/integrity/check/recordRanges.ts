import { splitKeys } from '../../record/keySplits';
import type { CrcRecord, Scope } from '../../record/record';
import { listRanges, type RangedPage } from '../../storage/rangedListing';
import type { ObjectStore } from '../../storage/types';

/**
 * A prefix's listing cut into key ranges where the record's keys say, listed side by side
 * (storage/rangedListing.ts): the listing a verify and an audit compare with the record. A record that knows
 * few keys gives one range, listed a page or two ahead of its reader.
 *
 * Ranges of RANGE_PAGES pages, LIST_CONCURRENCY of them at once. Pages are read in key order, so a range can
 * list only as far ahead as memory holds its pages: each range holds under two pages of the record's keys, so
 * it is listed whole in two requests (the second ends past its last key) while the ones before it are read.
 * Ranges of 25 pages, two of them held, made four ranges 1.1× as fast as one listing against 20 ms of
 * latency; ranges of two pages, 3.8×, with 2% more requests.
 */
const RANGE_PAGES = 2;
const MAX_RANGES = 100_000;
const LIST_CONCURRENCY = 4;

export interface RecordRangesOptions {
  store: Pick<ObjectStore, 'list'>;
  bucket: string;
  /** Listed as is: a folder's prefix ends with '/'. */
  prefix: string;
  record: CrcRecord;
  scope: Scope;
  /** Only keys after this one (a resumed run). */
  after?: string;
  pageSize?: number;
  /** Most ranges (default MAX_RANGES; 1 lists one page after another). */
  ranges?: number;
  signal?: AbortSignal;
  onRequest(): void;
}

export async function* listRecordRanges(o: RecordRangesOptions): AsyncGenerator<RangedPage> {
  const pageSize = o.pageSize ?? 1000;
  // Parts of the keys left after a resumed run's last key, each under RANGE_PAGES pages.
  const splits = await splitKeys(o.record, o.scope, o.prefix, o.after, o.ranges ?? MAX_RANGES, RANGE_PAGES * pageSize - 1);
  yield* listRanges(o.store, o.bucket, o.prefix, splits, {
    after: o.after,
    pageSize,
    ...(o.signal ? { signal: o.signal } : {}),
    concurrency: LIST_CONCURRENCY,
    ahead: RANGE_PAGES,
    onRequest: o.onRequest,
  });
}
