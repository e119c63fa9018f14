import { compareKeys } from '../../record/keyOrder';
import { needsHead, type BriefObject, type CrcRecord, type ObjectUpdate, type Scope } from '../../record/record';
import { folderPrefix } from '../../storage/listing';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { throwIfAborted } from '../../util/errors';
import { headSource, type RemoteCrcSource } from '../check/source';

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

/** The listing merged with the record cursor; HEADs for what the record cannot vouch for. */
async function* listingPages(side: AuditSide, o: SideReadOptions): AsyncGenerator<SidePage> {
  const prefix = folderPrefix(side.prefix);
  const scope = sideScope(side);
  const after = o.afterPath === undefined ? undefined : prefix + o.afterPath;
  const records = o.record.objects.iterateBrief(scope, prefix, after);
  let current = records.next();
  const source = o.source ?? headSource(side.store, side.bucket, o.concurrency ?? 16);
  const list = (pageToken: string | undefined) => {
    o.requests.list++;
    const p = side.store.list(side.bucket, { prefix, pageToken, pageSize: o.pageSize ?? 1000, signal: o.signal });
    p.catch(() => undefined); // awaited below; a failure while the previous page is judged is not unhandled
    return p;
  };
  let token = o.token;
  let pending = list(token);
  for (;;) {
    const listed = await pending;
    const next = listed.nextPageToken;
    if (next) pending = list(next);
    const gone: string[] = [];
    const items: Array<{ obj: ObjectInfo; known?: BriefObject }> = [];
    const toHead: string[] = [];
    for (const obj of listed.objects) {
      if (after !== undefined && compareKeys(obj.key, after) <= 0) continue;
      while (!current.done && compareKeys(current.value.key, obj.key) < 0) {
        gone.push(current.value.key);
        current = records.next();
      }
      let known: BriefObject | undefined;
      if (!current.done && current.value.key === obj.key) {
        known = current.value;
        current = records.next();
      }
      if (obj.key.endsWith('/')) continue; // folder markers are not files
      if (needsHead(known, obj)) toHead.push(obj.key);
      items.push({ obj, known });
    }
    if (!next) for (; !current.done; current = records.next()) gone.push(current.value.key);
    const facts = toHead.length
      ? await source.facts(
          toHead.map((key) => ({ key })),
          { signal: o.signal, onRequest: () => o.requests.head++ },
        )
      : new Map();
    const updates: ObjectUpdate[] = [];
    const entries: SideEntry[] = [];
    for (const { obj, known } of items) {
      const path = obj.key.slice(prefix.length);
      if (!facts.has(obj.key)) {
        const entry: SideEntry = { path, size: obj.size };
        if (known?.crc64 !== undefined) entry.crc64 = known.crc64;
        entries.push(entry);
        continue;
      }
      const h = facts.get(obj.key);
      if (h === undefined) continue; // deleted between the listing and its HEAD
      if (h instanceof Error) {
        entries.push({ path, size: obj.size, error: h.message });
        continue;
      }
      updates.push({ key: obj.key, etag: h.etag, size: h.size, lastModified: h.lastModified?.getTime(), crc64: h.crc64, source: 'head' });
      const entry: SideEntry = { path, size: h.size };
      if (h.crc64 !== undefined) entry.crc64 = h.crc64;
      entries.push(entry);
    }
    // What was learnt is true whatever the audit concludes: the record keeps it at once.
    if (updates.length || gone.length) {
      o.record.transaction(() => {
        if (updates.length) o.record.objects.upsertMany(scope, updates);
        if (gone.length) o.record.objects.deleteMany(scope, gone);
      });
    }
    yield { entries, ...(token !== undefined ? { token } : {}), last: !next };
    if (!next) return;
    token = next;
    throwIfAborted(o.signal);
  }
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
