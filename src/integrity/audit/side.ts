import { compareKeys } from '../../record/keyOrder';
import { isStale } from '../../record/freshness';
import type { BriefObject, CrcRecord, ObjectUpdate, Scope } from '../../record/record';
import type { ObjectColumns } from '../../record/types';
import { folderPrefix, pagesFrom } from '../../storage/listing';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { throwIfAborted } from '../../util/errors';
import { listRecordRanges } from '../check/recordRanges';
import { headSource, recordSource, type RemoteCrcSource, type RemoteQuery } from '../check/source';

/**
 * One side of a bucket-against-bucket audit, read in key order a page at a time: the live listing merged
 * with the CRC record (filled from the side's inventory) — only what is new or changed since it was
 * recorded (ETag, size, LastModified: `needsHead`) is asked for with a HEAD, through a `RemoteCrcSource` —
 * or, without a listing, the record alone. Memory holds a page or two, whatever the bucket's size.
 */

export interface AuditSide {
  store: Pick<ObjectStore, 'list' | 'head' | 'get'>;
  /** The name the record files this side's objects under. */
  profile: string;
  bucket: string;
  /** Taken as a folder; '' is the whole bucket. */
  prefix: string;
  /** `cos://bucket/prefix/`, for messages and reports. */
  label: string;
}

/** One object of a side: `path` is its key below the side's prefix. */
export interface SideEntry {
  path: string;
  size: number;
  crc64?: string;
  etag?: string;
  lastModified?: number;
  /** This object could not be read (its HEAD failed). */
  error?: string;
}

/** Requests one side made: listing pages, HEADs, GETs (downloads). */
export interface SideRequests {
  list: number;
  head: number;
  get: number;
}

export interface SidePage {
  entries: SideEntry[];
  /** The listing token that fetched this page (resume lists it again and skips what was judged). */
  token?: string;
  last: boolean;
}

export interface SideReadOptions {
  record: CrcRecord;
  /** List the side (default); `false` reads what the record holds without a request. */
  listing: boolean;
  /** Resume: every path up to and including this one was judged. */
  afterPath?: string;
  /** Resume: the token of the page the listing was in. */
  token?: string;
  /** HEADs at once (default 16). */
  concurrency?: number;
  pageSize?: number;
  requests: SideRequests;
  signal?: AbortSignal;
  /** Where the CRC-64s of new and changed objects come from (default: a HEAD each). */
  source?: RemoteCrcSource;
  /**
   * With the listing: what is known of the side's objects, in key order, in place of the record's rows (a
   * report as it streams, `reportKnown`). Read only as far as the listing has come; closed when the side is.
   */
  known?: AsyncIterator<KnownColumns>;
}

export function sideScope(side: AuditSide): Scope {
  return { profile: side.profile, bucket: side.bucket };
}

const RECORD_PAGE = 1000;

function fromRecord(o: BriefObject, prefixLength: number): SideEntry {
  const e: SideEntry = { path: o.key.slice(prefixLength), size: o.size };
  if (o.crc64 !== undefined) e.crc64 = o.crc64;
  return e;
}

/** The record alone, in key order: no request at all, as fresh as the record. */
async function* recordPages(side: AuditSide, o: SideReadOptions): AsyncGenerator<SidePage> {
  const prefix = folderPrefix(side.prefix);
  const after = o.afterPath === undefined ? undefined : prefix + o.afterPath;
  let entries: SideEntry[] = [];
  for (const known of o.record.objects.iterateBrief(sideScope(side), prefix, after)) {
    // Folder markers (an inventory lists them) are not files, as in a listing.
    if (known.key.endsWith('/')) continue;
    entries.push(fromRecord(known, prefix.length));
    if (entries.length === RECORD_PAGE) {
      yield { entries, last: false };
      entries = [];
      throwIfAborted(o.signal);
    }
  }
  yield { entries, last: true };
}

/** What is known of a side's objects, a column per field, in key order (an `ObjectColumns` batch is one). */
export type KnownColumns = Pick<ObjectColumns, 'keys' | 'sizes' | 'etags' | 'lastModified' | 'crc64s'>;

/** The record's rows in columns of `size`, so the record and a streamed report are read alike. */
function* recordColumns(rows: Iterator<BriefObject>, size: number): Generator<KnownColumns> {
  const empty = (): KnownColumns => ({ keys: [], sizes: [], etags: [], lastModified: [], crc64s: [] });
  let c = empty();
  for (let step = rows.next(); !step.done; step = rows.next()) {
    const o = step.value;
    c.keys.push(o.key);
    c.sizes.push(o.size);
    c.etags.push(o.etag ?? null);
    c.lastModified.push(o.lastModified ?? null);
    c.crc64s.push(o.crc64 ?? null);
    if (c.keys.length === size) {
      yield c;
      c = empty();
    }
  }
  if (c.keys.length) yield c;
}

/**
 * What is known of a side's objects (the record's rows, or a report as it streams), in key order, read only
 * as far as the listing page being merged needs. Rows stay in their columns: no object per row.
 */
class KnownCursor {
  private readonly queue: KnownColumns[] = [];
  /** The next row of queue[0]. */
  private at = 0;
  private ended = false;

  constructor(private readonly batches: AsyncIterator<KnownColumns> | Iterator<KnownColumns>) {}

  /** Reads on until a row after `key` is held, or every row is. */
  async readPast(key: string): Promise<void> {
    for (;;) {
      const last = this.queue[this.queue.length - 1];
      if (this.ended || (last !== undefined && compareKeys(last.keys[last.keys.length - 1], key) > 0)) return;
      const step = await this.batches.next();
      if (step.done) this.ended = true;
      else if (step.value.keys.length) this.queue.push(step.value);
    }
  }

  /** The batch of the next row (its index is `row`), or undefined when none is held. */
  get batch(): KnownColumns | undefined {
    while (this.queue.length && this.at >= this.queue[0].keys.length) {
      this.queue.shift();
      this.at = 0;
    }
    return this.queue[0];
  }

  get row(): number {
    return this.at;
  }

  advance(): void {
    this.at++;
  }

  /** The keys of every row not yet passed (the listing has ended). */
  async *restKeys(): AsyncGenerator<string> {
    for (;;) {
      for (let b = this.batch; b !== undefined; b = this.batch) yield b.keys[this.at++];
      if (this.ended) return;
      await this.readPast('');
    }
  }

  /** Stops the source (a streamed report's reader and its thread). */
  async close(): Promise<void> {
    await this.batches.return?.();
  }
}

/**
 * The listing merged with what is known of the side; HEADs for what that cannot vouch for. Known is the
 * record, or (`o.known`) a report as it streams: then an object changed since the report is asked of the
 * record before it is HEADed (`recordSource`: an earlier run may have learnt it), and nothing is deleted
 * from the record.
 */
async function* listingPages(side: AuditSide, o: SideReadOptions): AsyncGenerator<SidePage> {
  const prefix = folderPrefix(side.prefix);
  const scope = sideScope(side);
  const after = o.afterPath === undefined ? undefined : prefix + o.afterPath;
  const fromRecord = o.known === undefined;
  const known = new KnownCursor(o.known ?? recordColumns(o.record.objects.iterateBrief(scope, prefix, after), RECORD_PAGE));
  const head = headSource(side.store, side.bucket, o.concurrency ?? 16);
  // Changed since a report: the record answers first (an earlier run may have HEADed it), by its own rule.
  const source = o.source ?? (fromRecord ? head : recordSource(o.record.objects, { scope, fallback: head }));
  const pages = listedPages(side, prefix, after, o);
  try {
    for (;;) {
      const step = await pages.next();
      if (step.done) return;
      const listed = step.value;
      const gone: string[] = [];
      // The page's objects and the CRC-64 known of each, side by side (no object per listed object).
      const objects: ObjectInfo[] = [];
      const crcs: Array<string | undefined> = [];
      const toAsk: RemoteQuery[] = [];
      const lastListed = listed.objects[listed.objects.length - 1];
      if (lastListed) await known.readPast(lastListed.key);
      for (const obj of listed.objects) {
        if (after !== undefined && compareKeys(obj.key, after) <= 0) continue;
        let b = known.batch;
        for (; b !== undefined && compareKeys(b.keys[known.row], obj.key) < 0; b = known.batch) {
          if (fromRecord) gone.push(b.keys[known.row]);
          known.advance();
        }
        let stale = true;
        let crc: string | undefined;
        if (b !== undefined && b.keys[known.row] === obj.key) {
          const r = known.row;
          stale = isStale(b.sizes[r], b.etags[r], b.lastModified[r], obj);
          crc = b.crc64s[r] ?? undefined;
          known.advance();
        }
        if (obj.key.endsWith('/')) continue; // folder markers are not files
        if (stale) toAsk.push({ key: obj.key, listed: obj });
        objects.push(obj);
        crcs.push(crc);
      }
      if (listed.last && fromRecord) for await (const key of known.restKeys()) gone.push(key);
      const facts = toAsk.length ? await source.facts(toAsk, { signal: o.signal, onRequest: () => o.requests.head++ }) : new Map();
      const updates: ObjectUpdate[] = [];
      const entries: SideEntry[] = [];
      for (let i = 0; i < objects.length; i++) {
        const obj = objects[i];
        const path = obj.key.slice(prefix.length);
        if (!facts.has(obj.key)) {
          const entry: SideEntry = { path, size: obj.size };
          if (crcs[i] !== undefined) entry.crc64 = crcs[i];
          entries.push(entry);
          continue;
        }
        const h = facts.get(obj.key);
        if (h === undefined) continue; // deleted between the listing and its HEAD
        if (h instanceof Error) {
          entries.push({ path, size: obj.size, error: h.message });
          continue;
        }
        // What the record answered is in the record already.
        if (h.origin !== 'record')
          updates.push({
            key: obj.key,
            etag: h.etag,
            size: h.size,
            lastModified: h.lastModified?.getTime(),
            crc64: h.crc64,
            source: 'head',
          });
        const entry: SideEntry = { path, size: h.size };
        if (h.crc64 !== undefined) entry.crc64 = h.crc64;
        entries.push(entry);
      }
      // What was learnt is true whatever the audit concludes: the record keeps it at once. Only the record's
      // own rows are deleted when the listing no longer has them (a report is not the record).
      if (updates.length || (fromRecord && gone.length)) {
        o.record.transaction(() => {
          if (updates.length) o.record.objects.upsertMany(scope, updates);
          if (fromRecord && gone.length) o.record.objects.deleteMany(scope, gone);
        });
      }
      yield { entries, ...(listed.token !== undefined ? { token: listed.token } : {}), last: listed.last };
      if (listed.last) return;
      throwIfAborted(o.signal);
    }
  } finally {
    await pages.return(undefined);
    await known.close();
  }
}

/** A listing page of a side, with the token that listed it when it has one (resume lists it again). */
interface ListedPage {
  objects: ObjectInfo[];
  token?: string;
  last: boolean;
}

/**
 * A side's listing pages in key order: cut into key ranges listed at once where the record knows the side's
 * keys (an imported report, an earlier run: check/recordRanges.ts), one range listed ahead of the audit where
 * it does not. A run stopped with a page token (before ranges were listed here) continues from that token,
 * one page after another.
 */
async function* listedPages(side: AuditSide, prefix: string, after: string | undefined, o: SideReadOptions): AsyncGenerator<ListedPage> {
  if (o.token === undefined) {
    const ranged = listRecordRanges({
      store: side.store,
      bucket: side.bucket,
      prefix,
      record: o.record,
      scope: sideScope(side),
      ...(after !== undefined ? { after } : {}),
      ...(o.pageSize ? { pageSize: o.pageSize } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      onRequest: () => o.requests.list++,
    });
    for await (const page of ranged) yield { objects: page.objects, last: page.last };
    return;
  }
  const pages = pagesFrom(side.store, side.bucket, {
    prefix,
    pageToken: o.token,
    pageSize: o.pageSize ?? 1000,
    signal: o.signal,
    onRequest: () => o.requests.list++,
  });
  for await (const { page, token } of pages) yield { objects: page.objects, token, last: !page.nextPageToken };
}

/** A side's pages in key order. */
export function sidePages(side: AuditSide, o: SideReadOptions): AsyncGenerator<SidePage> {
  return o.listing ? listingPages(side, o) : recordPages(side, o);
}

/** Reads `pages` one page ahead, so both sides' requests overlap with the judging. */
export async function* readAhead<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
  let pending = pages.next();
  pending.catch(() => undefined);
  try {
    for (;;) {
      const step = await pending;
      if (step.done) return;
      pending = pages.next();
      pending.catch(() => undefined);
      yield step.value;
    }
  } finally {
    await pages.return(undefined).catch(() => undefined);
  }
}
