import * as l10n from '@vscode/l10n';
import type { ObjectColumns } from '../../record/types';
import { compareKeys } from '../../record/keyOrder';
import { folderPrefix } from '../../storage/listing';
import { throwIfAborted } from '../../util/errors';
import type { KnownColumns, SideEntry, SidePage } from './side';

/**
 * One side of an audit read straight from its inventory report (`streamReport`), without the record. The
 * merge with the other side needs the report in key order — the order a service scans the bucket in and
 * writes its report. That is checked on every row, not assumed: a report out of order stops this reading
 * with `ReportOrderError`, before anything judged from it is reported, and the caller judges the two
 * reports another way (imported into the record, which sorts).
 */

export class ReportOrderError extends Error {
  constructor(
    readonly label: string,
    readonly key: string,
    readonly before: string,
  ) {
    super(l10n.t('the report of {0} is not in key order ("{1}" comes after "{2}")', label, key, before));
  }
}

export interface ReportSideOptions {
  /** The side's prefix (a folder; '' is the whole bucket). */
  prefix: string;
  /** `cos://bucket/prefix/`, for the message of a report out of order. */
  label: string;
  /** Resume: every path up to and including this one was judged. */
  afterPath?: string;
  signal?: AbortSignal;
  /** Rows read (every object of the report below the prefix, resumed ones too). */
  onRows?(n: number): void;
}

/** The report's objects below the prefix as audit pages, in key order (checked). */
export async function* reportPages(columns: AsyncIterable<ObjectColumns>, o: ReportSideOptions): AsyncGenerator<SidePage> {
  const prefix = folderPrefix(o.prefix);
  const after = o.afterPath === undefined ? undefined : prefix + o.afterPath;
  const order = new KeyOrder(o.label);
  for await (const c of columns) {
    const entries: SideEntry[] = [];
    const { keys, sizes, crc64s } = c;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      order.check(key);
      if (after !== undefined && compareKeys(key, after) <= 0) continue;
      // Folder markers (a report lists them) are not files, as in a listing.
      if (key.endsWith('/')) continue;
      // Every entry of one shape, built whole: adding crc64 afterwards to some costs a shape change each.
      entries.push({ path: key.slice(prefix.length), size: sizes[i], crc64: crc64s[i] ?? undefined });
    }
    o.onRows?.(keys.length);
    if (entries.length) yield { entries, last: false };
    throwIfAborted(o.signal);
  }
  yield { entries: [], last: true };
}

/** Throws `ReportOrderError` at the first key that does not come after the one before it. */
class KeyOrder {
  private previous: string | undefined;

  constructor(private readonly label: string) {}

  check(key: string): void {
    if (this.previous !== undefined && compareKeys(this.previous, key) >= 0) throw new ReportOrderError(this.label, key, this.previous);
    this.previous = key;
  }
}

/**
 * What the report says of each object below the prefix — ETag, size, LastModified and CRC-64, keys whole —
 * in key order (checked), a batch of columns at a time as the parser gave it: what an audit with the live
 * listings knows of a side without importing its report. Needs the report read with ETags and LastModified
 * (`brief: false`); the parser gives the ETags normalized, as the record keeps them.
 */
export async function* reportKnown(columns: AsyncIterable<ObjectColumns>, o: ReportSideOptions): AsyncGenerator<KnownColumns> {
  const order = new KeyOrder(o.label);
  for await (const c of columns) {
    for (const key of c.keys) order.check(key);
    o.onRows?.(c.keys.length);
    if (c.keys.length) yield c;
    throwIfAborted(o.signal);
  }
}
