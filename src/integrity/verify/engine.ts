import { createHash } from 'node:crypto';
import { compareKeys } from '../../record/keyOrder';
import { needsHead, type BriefObject, type CrcRecord, type ObjectUpdate, type Scope } from '../../record/record';
import type { RunJournal } from '../../record/runJournal';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { throwIfAborted } from '../../util/errors';
import type { LocalHasher } from '../../crc/hashers';
import { folderPrefix } from '../../storage/listing';
import { LocalFiles } from './local';
import { emptyCounts, type VerifyCounts, type VerifyResult } from './outcome';
import { againstRecord, judgePage, type Judged } from './judge';
import { checkRecordedRange } from '../../record/check';
import type { CheckProgress } from '../progress';
import { headSource } from '../remoteSource';
import { splitKeys } from '../../record/keySplits';
import { listRanges } from '../../storage/rangedListing';

/**
 * Verify a bucket or a prefix: the live listing, page by page, reconciled with the CRC record by ETag,
 * size and LastModified (`needsHead`) — only objects that are new or changed since they were recorded (from an inventory, an upload, an
 * earlier run) are HEADed — then each object is judged against its local file, or, without a local
 * folder, against the record. After every page the record keeps what was learnt and where the run is, so
 * a stopped run continues from there.
 */

export interface VerifyOptions {
  store: Pick<ObjectStore, 'list' | 'head'>;
  record: CrcRecord;
  profile: string;
  bucket: string;
  /** Taken as a folder: `data` means `data/`; '' is the whole bucket. */
  prefix: string;
  /** Compare with the files below this folder; without it, against the record. */
  localDir?: string;
  /** Local hashing (default: one file after the other on this thread). */
  hashFiles?: LocalHasher;
  /**
   * List the bucket (default) so objects added, replaced or deleted since they were recorded are seen;
   * `false` checks what the record holds without a single request (as fresh as the record).
   */
  listing?: boolean;
  /** Objects per listing page (default 1000, the services' maximum). */
  pageSize?: number;
  /** Most key ranges the listing is cut into (default 64; 1 lists one page after another). */
  listingRanges?: number;
  /** HEAD requests at once (default 16). */
  concurrency?: number;
  /** Start over even if an earlier run of the same verify was stopped. */
  restart?: boolean;
  signal?: AbortSignal;
  /** Each result, in key order. */
  onResult?(result: VerifyResult): void;
  /**
   * Pass matching objects to `onResult` too (default true). Without them a record-only run without a
   * local folder is checked inside the record, a range of keys at a time, which is much faster.
   */
  reportMatches?: boolean;
  onProgress?(progress: VerifyProgress): void;
}

/** Verify's progress: objects judged, the expected total when known, objects/s, ETA and HEADs. */
export type VerifyProgress = CheckProgress & { phase: 'check'; objectsPerSecond: number; heads: number };

export interface RequestCounts {
  list: number;
  head: number;
}

export interface VerifySummary {
  /** Identifies the run in the record (its issues: `verifyJournal(record).issues(runId)`). */
  runId: string;
  counts: VerifyCounts;
  requests: RequestCounts;
  /** True when this continued a stopped run. */
  resumed: boolean;
  seconds: number;
}

/** Where a verify run is, as its journal keeps it. */
export interface VerifyRunState {
  /** Set once the last page is done: the next run starts afresh (its issues stay for the report until then). */
  finished?: boolean;
  pageToken?: string;
  lastKey?: string;
  counts: VerifyCounts;
  requests: RequestCounts;
}

/** The record's run journal with the entry types of verify: its state and the results that did not match. */
export function verifyJournal(record: CrcRecord): RunJournal<VerifyRunState, VerifyResult> {
  return record.journal<VerifyRunState, VerifyResult>();
}

/** The id under which a verify of this target keeps its progress in the record. */
export function verifyRunId(t: { profile: string; bucket: string; prefix: string; localDir?: string }): string {
  const text = JSON.stringify(['verify', t.profile, t.bucket, folderPrefix(t.prefix), t.localDir ?? '']);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

interface Run {
  o: VerifyOptions;
  scope: Scope;
  prefix: string;
  state: VerifyRunState;
  records: Generator<BriefObject>;
  current: IteratorResult<BriefObject>;
  local?: LocalFiles;
}

/** Advances the record cursor to `key`: what it passes is gone from the bucket. */
function recordedFor(run: Run, key: string, gone: string[]): BriefObject | undefined {
  while (!run.current.done && compareKeys(run.current.value.key, key) < 0) {
    gone.push(run.current.value.key);
    run.current = run.records.next();
  }
  if (run.current.done || run.current.value.key !== key) return undefined;
  const known = run.current.value;
  run.current = run.records.next();
  return known;
}

async function headAll(run: Run, objects: readonly ObjectInfo[]): Promise<Map<string, ObjectInfo | Error | undefined>> {
  if (objects.length === 0) return new Map();
  const { store, signal, bucket } = run.o;
  const source = headSource(store, bucket, run.o.concurrency ?? 16);
  return source.facts(objects.map((o) => o.key), { signal, onEach: () => run.state.requests.head++ });
}

interface Page {
  items: Judged[];
  toHead: ObjectInfo[];
  /** Recorded keys the listing no longer has: deleted since they were recorded. */
  gone: string[];
  lastKey?: string;
  nextPageToken?: string;
  last: boolean;
}

/** A listing page merged with the record cursor: what is new or changed needs a HEAD. */
function mergeListing(run: Run, objects: readonly ObjectInfo[], nextPageToken: string | undefined, last = !nextPageToken): Page {
  const page: Page = { items: [], toHead: [], gone: [], nextPageToken, last, lastKey: objects.at(-1)?.key };
  for (const obj of objects) {
    const known = recordedFor(run, obj.key, page.gone);
    if (obj.key.endsWith('/')) continue; // folder markers are not files
    const headed = needsHead(known, obj);
    if (headed) page.toHead.push(obj);
    page.items.push({ obj, known, headed });
  }
  if (last) {
    for (; !run.current.done; run.current = run.records.next()) page.gone.push(run.current.value.key);
  }
  return page;
}

/** The record itself as the list of objects (`listing: false`): nothing to HEAD, nothing gone. */
function recordPage(run: Run, size: number): Page {
  const page: Page = { items: [], toHead: [], gone: [], last: false };
  while (page.items.length < size && !run.current.done) {
    const known = run.current.value;
    // Folder markers (an inventory lists them) are not files, as in a listing.
    if (!known.key.endsWith('/')) page.items.push({ obj: { key: known.key, size: known.size, ...(known.etag ? { etag: known.etag } : {}) }, known, headed: false });
    run.current = run.records.next();
  }
  page.last = run.current.done === true;
  page.lastKey = page.items.at(-1)?.obj.key;
  return page;
}

/** One page: HEAD what changed, judge, and keep it all (results, run position) in the record at once. */
async function verifyPage(run: Run, page: Page): Promise<VerifyResult[]> {
  const heads = await headAll(run, page.toHead);
  const updates: ObjectUpdate[] = [];
  for (const [key, h] of heads) {
    if (h && !(h instanceof Error)) updates.push({ key, etag: h.etag, size: h.size, lastModified: h.lastModified?.getTime(), crc64: h.crc64, source: 'head' });
  }
  const results = await judgePage(run, page.items, heads, page.last);
  throwIfAborted(run.o.signal);
  const { record } = run.o;
  const id = verifyRunId(run.o);
  const journal = verifyJournal(record);
  record.transaction(() => {
    if (updates.length) record.upsertMany(run.scope, updates);
    if (page.gone.length) record.deleteMany(run.scope, page.gone);
    for (const r of results) {
      run.state.counts[r.status]++;
      run.state.counts.total++;
      if (r.status !== 'match') journal.addIssue(id, r.key, r);
    }
    if (page.lastKey !== undefined) run.state.lastKey = page.lastKey;
    run.state.pageToken = page.nextPageToken;
    run.state.finished = page.last;
    journal.setState(id, run.state);
  });
  return results;
}

function emit(o: VerifyOptions, results: readonly VerifyResult[]): void {
  if (!o.onResult) return;
  for (const r of results) if (r.status !== 'match' || o.reportMatches !== false) o.onResult(r);
}

/** Keys per range when the record checks itself: bounded memory, progress and cancel between ranges. */
const IN_RECORD_RANGE = 20_000;

/** Record only, no local folder, matches not wanted: counted in SQL, only what does not match is read out. */
async function verifyInRecord(run: Run, report: () => void): Promise<void> {
  const { o, state } = run;
  const id = verifyRunId(o);
  const journal = verifyJournal(o.record);
  for (let done = false; !done; ) {
    throwIfAborted(o.signal);
    const checked = checkRecordedRange(o.record, run.scope, run.prefix, state.lastKey, IN_RECORD_RANGE);
    const issues = checked.issues.map(againstRecord);
    done = checked.done;
    o.record.transaction(() => {
      state.counts.match += checked.match;
      state.counts.total += checked.match + issues.length;
      for (const r of issues) {
        state.counts[r.status]++;
        journal.addIssue(id, r.key, r);
      }
      if (checked.lastKey !== undefined) state.lastKey = checked.lastKey;
      state.finished = done;
      journal.setState(id, state);
    });
    for (const r of issues) o.onResult?.(r);
    report();
    // Lets a cancel (or the editor) in between ranges.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Ranges of keys listed at once: one per this many recorded keys, at most MAX_RANGES, LIST_CONCURRENCY
 * of them side by side (each a page or two ahead of the check).
 */
const KEYS_PER_RANGE = 25_000;
const MAX_RANGES = 64;
const LIST_CONCURRENCY = 4;

/**
 * Listing pages in key order. The record tells how the keys are spread, so the prefix is cut into ranges
 * listed at once (storage/rangedListing.ts); a record that knows few keys gives one range, listed a page
 * ahead of the check. A run stopped before ranges existed continues from its page token, one page at a time.
 */
async function* listingPages(run: Run): AsyncGenerator<Page> {
  const { o, state } = run;
  if (state.pageToken === undefined) {
    const parts = Math.min(o.listingRanges ?? MAX_RANGES, Math.floor(o.record.count(run.scope, run.prefix) / KEYS_PER_RANGE));
    const splits = splitKeys(o.record, run.scope, run.prefix, state.lastKey, parts);
    const pages = listRanges(o.store, o.bucket, run.prefix, splits, {
      after: state.lastKey,
      pageSize: o.pageSize ?? 1000,
      signal: o.signal,
      concurrency: LIST_CONCURRENCY,
      onRequest: () => state.requests.list++,
    });
    for await (const page of pages) yield mergeListing(run, page.objects, undefined, page.last);
    return;
  }
  const list = (pageToken: string | undefined) => {
    state.requests.list++;
    const p = o.store.list(o.bucket, { prefix: run.prefix, pageToken, pageSize: o.pageSize ?? 1000, signal: o.signal });
    p.catch(() => undefined); // awaited below; a failure while the previous page is verified is not unhandled
    return p;
  };
  let pending = list(state.pageToken);
  for (;;) {
    const listed = await pending;
    if (listed.nextPageToken) pending = list(listed.nextPageToken);
    yield mergeListing(run, listed.objects, listed.nextPageToken);
    if (!listed.nextPageToken) return;
  }
}

function startRun(o: VerifyOptions): { state: VerifyRunState; resumed: boolean } {
  const id = verifyRunId(o);
  const journal = verifyJournal(o.record);
  const saved = o.restart ? undefined : journal.state(id);
  if (saved && !saved.finished && saved.lastKey !== undefined) return { state: saved, resumed: true };
  journal.clear(id);
  return { state: { counts: emptyCounts(), requests: { list: 0, head: 0 } }, resumed: false };
}

/**
 * Verifies every object below the prefix. Rejects on cancellation (the run is kept for resume) and on
 * errors that concern the whole run (credentials, access, a missing bucket, a failed listing).
 */
export async function verifyPrefix(o: VerifyOptions): Promise<VerifySummary> {
  const started = Date.now();
  const prefix = folderPrefix(o.prefix);
  const scope: Scope = { profile: o.profile, bucket: o.bucket };
  const { state, resumed } = startRun(o);
  const records = o.record.iterateBrief(scope, prefix, state.lastKey);
  const relAfter = state.lastKey?.slice(prefix.length);
  const local = o.localDir === undefined ? undefined : await LocalFiles.scan(o.localDir, o.signal, relAfter);
  const run: Run = { o, scope, prefix, state, records, current: records.next(), local };
  // Objects and local files each count once; files only on the local side count too, so the record's
  // count alone can fall short ("6 of 4"): the estimate is the larger side, and none once it is passed.
  const total = Math.max(o.record.count(scope, prefix), (local?.remaining ?? 0) + state.counts.total, state.counts.total);
  const doneBefore = state.counts.total;
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!o.onProgress || (!force && now - lastReport < 250)) return;
    lastReport = now;
    const rate = (state.counts.total - doneBefore) / Math.max(0.001, (now - started) / 1000);
    const left = total - state.counts.total;
    const known = total > 0 && left >= 0;
    o.onProgress({ phase: 'check', done: state.counts.total, ...(known ? { total } : {}), objectsPerSecond: Math.round(rate), heads: state.requests.head, ...(known && rate > 0 && left > 0 ? { etaSeconds: Math.ceil(left / rate) } : {}) });
  };
  const pageSize = o.pageSize ?? 1000;
  if (o.listing === false && o.localDir === undefined && (!o.onResult || o.reportMatches === false)) {
    await verifyInRecord(run, report);
  } else if (o.listing === false) {
    for (let last = false; !last; ) {
      throwIfAborted(o.signal);
      const page = recordPage(run, pageSize);
      last = page.last;
      emit(o, await verifyPage(run, page));
      report();
    }
  } else {
    for await (const page of listingPages(run)) {
      throwIfAborted(o.signal);
      emit(o, await verifyPage(run, page));
      report();
    }
  }
  report(true);
  return { runId: verifyRunId(o), counts: { ...state.counts }, requests: { ...state.requests }, resumed, seconds: (Date.now() - started) / 1000 };
}

export type { Run };
