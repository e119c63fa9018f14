import { createHash } from 'node:crypto';
import { compareKeys } from '../../record/keyOrder';
import type { BriefObject, CrcRecord, ObjectUpdate, Scope } from '../../record/record';
import type { RunJournal } from '../../record/runJournal';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { throwIfAborted } from '../../util/errors';
import type { LocalHasher } from '../../crc/hashers';
import { folderPrefix, pagesFrom } from '../../storage/listing';
import { LocalFiles, recordHasher } from './local';
import { emptyCounts, type VerifyCounts, type VerifyResult } from './outcome';
import { checkRecordedRange } from '../../record/check';
import { checkPairs } from '../check/engine';
import { CheckMeter, type CheckedProgress } from '../check/progress';
import { headSource, recordSource, type RemoteCrcSource } from '../check/source';
import type { CheckPair } from '../check/types';
import { exportedResult } from '../check/format';
import { listRecordRanges } from '../check/recordRanges';

/**
 * Verify a bucket or a prefix: the live listing, page by page, merged with the CRC record (a cursor in
 * key order) and the local folder into pairs, each page checked by the one check engine
 * (`../check/engine`) with the record as its source of CRC-64s — trusted by ETag, size and LastModified
 * (`needsHead`), so only objects that are new or changed since they were recorded (from an inventory, an
 * upload, an earlier run) are HEADed. Each object is judged against its local file, or, without a local
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
  /** Most key ranges the listing is cut into (default: two pages of the record's keys each; 1 lists one page after another). */
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
export type VerifyProgress = CheckedProgress;

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
  /** The record, falling back to HEAD for what it cannot vouch for. */
  source: RemoteCrcSource;
  /** What HEADs learnt since the last page was kept, for the record. */
  learnt: ObjectUpdate[];
  meter: CheckMeter;
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

/** HEAD, counted in the run's requests, with what it learns kept for the record. */
function learningHeads(run: Pick<Run, 'o' | 'state' | 'learnt'>): RemoteCrcSource {
  const heads = headSource(run.o.store, run.o.bucket, run.o.concurrency ?? 16);
  return {
    async facts(queries, options = {}) {
      const out = await heads.facts(queries, {
        ...options,
        onRequest: () => {
          run.state.requests.head++;
          options.onRequest?.();
        },
      });
      for (const [key, h] of out) {
        if (h && !(h instanceof Error))
          run.learnt.push({ key, etag: h.etag, size: h.size, lastModified: h.lastModified?.getTime(), crc64: h.crc64, source: 'head' });
      }
      return out;
    },
  };
}

/** A listed object with what the record knew of it. */
interface Item {
  obj: ObjectInfo;
  known?: BriefObject;
}

interface Page {
  items: Item[];
  /** Recorded keys the listing no longer has: deleted since they were recorded. */
  gone: string[];
  lastKey?: string;
  nextPageToken?: string;
  last: boolean;
}

/** A listing page merged with the record cursor. */
function mergeListing(run: Run, objects: readonly ObjectInfo[], nextPageToken: string | undefined, last = !nextPageToken): Page {
  const page: Page = { items: [], gone: [], nextPageToken, last, lastKey: objects.at(-1)?.key };
  for (const obj of objects) {
    const known = recordedFor(run, obj.key, page.gone);
    if (obj.key.endsWith('/')) continue; // folder markers are not files
    page.items.push({ obj, known });
  }
  if (last) {
    for (; !run.current.done; run.current = run.records.next()) page.gone.push(run.current.value.key);
  }
  return page;
}

/** The record itself as the list of objects (`listing: false`): nothing to HEAD, nothing gone. */
function recordPage(run: Run, size: number): Page {
  const page: Page = { items: [], gone: [], last: false };
  while (page.items.length < size && !run.current.done) {
    const known = run.current.value;
    // Folder markers (an inventory lists them) are not files, as in a listing.
    if (!known.key.endsWith('/')) {
      const obj: ObjectInfo = { key: known.key, size: known.size };
      if (known.etag) obj.etag = known.etag;
      page.items.push({ obj, known });
    }
    run.current = run.records.next();
  }
  page.last = run.current.done === true;
  page.lastKey = page.items.at(-1)?.obj.key;
  return page;
}

/** The pairs of a page in key order: with a local folder, files without an object are interleaved. */
function pagePairs(run: Run, items: readonly Item[], last: boolean): CheckPair[] {
  const { local, prefix } = run;
  const pairs: CheckPair[] = [];
  const onlyLocal = (rel: string): CheckPair => ({ path: rel, key: prefix + rel, local: { path: local!.pathOf(rel) }, listed: null });
  for (const { obj, known } of items) {
    const rel = obj.key.slice(prefix.length);
    if (local) for (const other of local.takeBefore(rel)) pairs.push(onlyLocal(other));
    const pair: CheckPair = { path: rel, key: obj.key, listed: obj, known: known ?? null };
    if (local?.take(rel) === true) pair.local = { path: local.pathOf(rel) };
    pairs.push(pair);
  }
  if (last && local) for (const other of local.takeBefore(undefined)) pairs.push(onlyLocal(other));
  return pairs;
}

async function check(run: Run, pairs: CheckPair[]): Promise<VerifyResult[]> {
  const { o } = run;
  const results = await checkPairs(pairs, {
    remote: run.source,
    againstRecord: run.local === undefined,
    meter: run.meter,
    signal: o.signal,
    ...(run.local ? { hashFiles: recordHasher(o.record, o.hashFiles) } : {}),
  });
  return results.map(exportedResult);
}

/** One page: check its pairs, and keep it all (what HEADs learnt, results, run position) in the record at once. */
async function verifyPage(run: Run, page: Page): Promise<VerifyResult[]> {
  const results = await check(run, pagePairs(run, page.items, page.last));
  throwIfAborted(run.o.signal);
  const { record } = run.o;
  const id = verifyRunId(run.o);
  const journal = verifyJournal(record);
  const updates = run.learnt.splice(0);
  record.transaction(() => {
    if (updates.length) record.objects.upsertMany(run.scope, updates);
    if (page.gone.length) record.objects.deleteMany(run.scope, page.gone);
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
async function verifyInRecord(run: Run): Promise<void> {
  const { o, state } = run;
  const id = verifyRunId(o);
  const journal = verifyJournal(o.record);
  for (let done = false; !done;) {
    throwIfAborted(o.signal);
    const checked = checkRecordedRange(o.record, run.scope, run.prefix, state.lastKey, IN_RECORD_RANGE);
    const issues = await check(
      run,
      checked.issues.map((known) => ({ path: known.key.slice(run.prefix.length), key: known.key, known })),
    );
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
    run.meter.judged(checked.match);
    // Lets a cancel (or the editor) in between ranges.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Listing pages in key order. The record tells how the keys are spread, so the prefix is cut into ranges
 * listed at once (check/recordRanges.ts); a record that knows few keys gives one range, listed a page
 * ahead of the check. A run stopped before ranges existed continues from its page token, one page at a time.
 */
async function* listingPages(run: Run): AsyncGenerator<Page> {
  const { o, state } = run;
  if (state.pageToken === undefined) {
    const pages = listRecordRanges({
      store: o.store,
      bucket: o.bucket,
      prefix: run.prefix,
      record: o.record,
      scope: run.scope,
      ...(state.lastKey !== undefined ? { after: state.lastKey } : {}),
      ...(o.pageSize ? { pageSize: o.pageSize } : {}),
      ...(o.listingRanges ? { ranges: o.listingRanges } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      onRequest: () => state.requests.list++,
    });
    for await (const page of pages) yield mergeListing(run, page.objects, undefined, page.last);
    return;
  }
  const pages = pagesFrom(o.store, o.bucket, {
    prefix: run.prefix,
    pageToken: state.pageToken,
    pageSize: o.pageSize ?? 1000,
    signal: o.signal,
    onRequest: () => state.requests.list++,
  });
  for await (const { page } of pages) yield mergeListing(run, page.objects, page.nextPageToken);
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
  const records = o.record.objects.iterateBrief(scope, prefix, state.lastKey);
  const relAfter = state.lastKey?.slice(prefix.length);
  const local = o.localDir === undefined ? undefined : await LocalFiles.scan(o.localDir, o.signal, relAfter);
  // Objects and local files each count once; files only on the local side count too, so the record's
  // count alone can fall short ("6 of 4"): the estimate is the larger side, and none once it is passed.
  const total = Math.max(o.record.objects.count(scope, prefix), (local?.remaining ?? 0) + state.counts.total, state.counts.total);
  const onProgress = o.onProgress;
  // Verify shows the judged objects only (its HEADs are counted in them).
  const meter = new CheckMeter(onProgress && ((p) => p.phase === 'check' && onProgress(p as VerifyProgress)), {
    total,
    done: state.counts.total,
    heads: state.requests.head,
  });
  const learnt: ObjectUpdate[] = [];
  const heads = learningHeads({ o, state, learnt });
  // Without a listing the record is the list: taken as it is (as fresh as the record).
  const source = recordSource(o.record.objects, { scope, fallback: heads, trust: o.listing === false ? 'as-recorded' : 'listed' });
  const run: Run = { o, scope, prefix, state, records, current: records.next(), local, source, learnt, meter };
  const pageSize = o.pageSize ?? 1000;
  if (o.listing === false && o.localDir === undefined && (!o.onResult || o.reportMatches === false)) {
    await verifyInRecord(run);
  } else if (o.listing === false) {
    for (let last = false; !last;) {
      throwIfAborted(o.signal);
      const page = recordPage(run, pageSize);
      last = page.last;
      emit(o, await verifyPage(run, page));
    }
  } else {
    for await (const page of listingPages(run)) {
      throwIfAborted(o.signal);
      emit(o, await verifyPage(run, page));
    }
  }
  meter.judged(0, true);
  return {
    runId: verifyRunId(o),
    counts: { ...state.counts },
    requests: { ...state.requests },
    resumed,
    seconds: (Date.now() - started) / 1000,
  };
}

export type { Run };
