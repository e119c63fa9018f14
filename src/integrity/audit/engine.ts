import { createHash } from 'node:crypto';
import { Crc64Hasher } from '../../crc/crc64';
import { compareKeys } from '../../record/keyOrder';
import { checkPairRange } from '../../record/pairs';
import type { CrcRecord, ObjectUpdate } from '../../record/record';
import type { RunJournal } from '../../record/runJournal';
import { isFatalForRun } from '../../storage/errors';
import { folderPrefix } from '../../storage/listing';
import { runLimited } from '../../util/concurrency';
import { CancelledError, isCancelled, throwIfAborted } from '../../util/errors';
import { emptyCounts, type VerdictCounts } from '../verdict';
import { isPlainMatch, judgeObjects, type AuditResult } from './judge';
import {
  readAhead,
  sidePages,
  sideScope,
  type AuditSide,
  type KnownColumns,
  type SideEntry,
  type SidePage,
  type SideRequests,
} from './side';

/**
 * Bucket against bucket: the two sides read in key order and merge-joined, each pair judged with the one
 * verdict. Nothing is held but a page per side, so ten million objects a side take the memory of a few
 * thousand. What did not match is kept in the record's run journal with the run's position, so a stopped
 * audit continues where it stopped and a finished one can still be reported.
 */

export interface AuditOptions {
  record: CrcRecord;
  first: AuditSide;
  second: AuditSide;
  /** List both sides (default); `false` judges what the record holds (the imported inventories) alone. */
  listing?: boolean;
  /** Objects stored without a CRC-64 on a side are read and hashed (streamed, never written to disk). */
  download?: boolean;
  /** HEADs (and downloads) at once, per side (default 16). */
  concurrency?: number;
  pageSize?: number;
  restart?: boolean;
  signal?: AbortSignal;
  /** Each result in key order (matches only when `reportMatches`). */
  onResult?(result: AuditResult): void;
  reportMatches?: boolean;
  onProgress?(progress: AuditProgress): void;
  /**
   * Each side's pages from here instead of the listing or the record (the two inventory reports as they
   * stream, `./reportSide.ts`); `afterPath` is where a resumed run continues.
   */
  readSide?(which: 'first' | 'second', afterPath: string | undefined): AsyncGenerator<SidePage>;
  /**
   * With the listings: what is known of each side's objects, in key order, instead of the record's rows
   * (the two inventory reports as they stream, `reportKnown`); the record then keeps only what HEADs learn.
   * A side given none (`undefined`) is known from the record.
   */
  knownSide?(which: 'first' | 'second'): AsyncIterator<KnownColumns> | undefined;
  /** Objects expected, for progress, when the record does not hold them (`readSide`, `knownSide`). */
  total?: number;
}

export interface AuditProgress {
  done: number;
  total?: number;
  objectsPerSecond: number;
  etaSeconds?: number;
  requests: AuditRequests;
}

export interface AuditRequests {
  first: SideRequests;
  second: SideRequests;
}

export interface AuditState {
  finished?: boolean;
  /** Every path up to and including this one was judged. */
  lastPath?: string;
  /** The listing token of the page each side was in at `lastPath`. */
  tokens: [string | undefined, string | undefined];
  counts: VerdictCounts;
  requests: AuditRequests;
}

export interface AuditSummary {
  runId: string;
  counts: VerdictCounts;
  requests: AuditRequests;
  resumed: boolean;
  seconds: number;
}

/** The record's run journal with the audit's entry types. */
export function auditJournal(record: CrcRecord): RunJournal<AuditState, AuditResult> {
  return record.journal<AuditState, AuditResult>();
}

/**
 * The id under which an audit of these two places keeps its progress: one per basis (the listings, the
 * record, the streamed reports), since a run resumed on another basis would judge other data.
 */
export function auditRunId(o: { first: AuditSide; second: AuditSide; listing?: boolean; readSide?: unknown; knownSide?: unknown }): string {
  const side = (s: AuditSide) => [s.profile, s.bucket, folderPrefix(s.prefix)];
  const basis: unknown[] = [o.listing !== false];
  if (o.readSide || o.knownSide) basis.push('reports');
  const text = JSON.stringify(['audit', ...side(o.first), ...side(o.second), ...basis]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function emptyRequests(): SideRequests {
  return { list: 0, head: 0, get: 0 };
}

/** A side's pages, one entry at a time, knowing the token of the page it is in. */
class Cursor {
  private page: SidePage | undefined;
  private at = 0;
  token: string | undefined;
  private done = false;

  constructor(private readonly pages: AsyncGenerator<SidePage>) {}

  /** The next entry without taking it; `undefined` once the side is exhausted. */
  async peek(): Promise<SideEntry | undefined> {
    while (!this.done && (!this.page || this.at >= this.page.entries.length)) {
      const step = await this.pages.next();
      if (step.done) {
        this.done = true;
        break;
      }
      this.page = step.value;
      this.at = 0;
      this.token = step.value.token;
    }
    return this.done ? undefined : this.page!.entries[this.at];
  }

  /** The next entry, known to be there after `peek`. */
  take(): SideEntry {
    return this.page!.entries[this.at++];
  }

  /** The next entry when the current page still has one (no await: the fast path of long runs). */
  get ready(): SideEntry | undefined {
    return this.page ? this.page.entries[this.at] : undefined;
  }

  async close(): Promise<void> {
    await this.pages.return(undefined).catch(() => undefined);
  }
}

/** Results judged between two checkpoints. */
const CHECKPOINT = 1000;
/**
 * Pairs judged between two checkpoints when the matches are only counted: each checkpoint is a commit
 * of the record (a page written at least), and re-judging 10,000 pairs on resume costs next to nothing.
 */
const MATCHES_CHECKPOINT = 10 * CHECKPOINT;

function startRun(o: AuditOptions): { state: AuditState; resumed: boolean } {
  const id = auditRunId(o);
  const journal = auditJournal(o.record);
  const saved = o.restart ? undefined : journal.state(id);
  if (saved && !saved.finished && saved.lastPath !== undefined) return { state: saved, resumed: true };
  journal.clear(id);
  return {
    state: { tokens: [undefined, undefined], counts: emptyCounts(), requests: { first: emptyRequests(), second: emptyRequests() } },
    resumed: false,
  };
}

/** The CRC-64 of an object's bytes, streamed (nothing written to disk). */
async function downloadCrc(
  side: AuditSide,
  path: string,
  requests: SideRequests,
  signal: AbortSignal,
): Promise<{ crc64: string; size: number; etag?: string; lastModified?: number }> {
  requests.get++;
  const key = folderPrefix(side.prefix) + path;
  const { body, info } = await side.store.get(side.bucket, key, { signal });
  const hasher = new Crc64Hasher();
  for await (const chunk of body) hasher.update(chunk as Uint8Array);
  return {
    crc64: hasher.digestDecimal(),
    size: hasher.length,
    ...(info.etag ? { etag: info.etag } : {}),
    ...(info.lastModified ? { lastModified: info.lastModified.getTime() } : {}),
  };
}

/**
 * `--download`: each object without a CRC-64 on a side is read and hashed, and the pair judged again.
 * What was computed is recorded (source `download`) for the same ETag and size, so it is read once.
 */
async function settleByDownload(o: AuditOptions, state: AuditState, results: AuditResult[]): Promise<void> {
  const pending = results.filter((r) => r.status === 'no-crc');
  if (pending.length === 0) return;
  const updates: Array<{ side: AuditSide; update: ObjectUpdate }> = [];
  await runLimited(
    pending,
    o.concurrency ?? 16,
    async (r, signal) => {
      const fill = async (which: 'first' | 'second'): Promise<string | undefined> => {
        const side = which === 'first' ? o.first : o.second;
        try {
          const got = await downloadCrc(side, r.path, state.requests[which], signal);
          updates.push({
            side,
            update: {
              key: folderPrefix(side.prefix) + r.path,
              size: got.size,
              crc64: got.crc64,
              etag: got.etag,
              lastModified: got.lastModified,
              source: 'download',
            },
          });
          return got.crc64;
        } catch (err) {
          if (o.signal?.aborted || isCancelled(err)) throw new CancelledError();
          if (isFatalForRun(err)) throw err;
          r.status = 'error';
          r.detail = `${which} bucket: reading it failed: ${(err as Error).message}`;
          return undefined;
        }
      };
      const need1 = r.crc1 === undefined;
      const need2 = r.crc2 === undefined;
      const [c1, c2] = await Promise.all([need1 ? fill('first') : r.crc1, need2 ? fill('second') : r.crc2]);
      if (r.status === 'error' || c1 === undefined || c2 === undefined) return;
      const again = judgeObjects({ path: r.path, size: r.size1!, crc64: c1 }, { path: r.path, size: r.size2!, crc64: c2 });
      Object.assign(r, { status: again.status, crc1: c1, crc2: c2, downloaded: need1 && need2 ? 'both' : need1 ? 'first' : 'second' });
      if (again.detail !== undefined) r.detail = `${again.detail} (computed from the bytes)`;
      else delete r.detail;
    },
    { signal: o.signal },
  );
  o.record.transaction(() => {
    for (const { side, update } of updates) o.record.objects.upsertMany(sideScope(side), [update]);
  });
}

/** Paths per range when the record checks itself: bounded memory, progress and cancel between ranges. */
const IN_RECORD_RANGE = 50_000;

/**
 * Without listings and without every match wanted: the record checks the two places against each other
 * a range at a time (`checkPairRange`), matches counted in SQL, the rest judged here by the one verdict.
 */
async function auditInRecord(
  o: AuditOptions,
  state: AuditState,
  checkpoint: (results: AuditResult[], match: number, lastPath: string | undefined, done: boolean) => Promise<void>,
): Promise<void> {
  const first = { scope: sideScope(o.first), prefix: folderPrefix(o.first.prefix) };
  const second = { scope: sideScope(o.second), prefix: folderPrefix(o.second.prefix) };
  for (let done = false; !done;) {
    throwIfAborted(o.signal);
    const checked = checkPairRange(o.record, first, second, state.lastPath, IN_RECORD_RANGE);
    done = checked.done;
    const results = checked.exceptions.map((e) =>
      judgeObjects(e.first && { path: e.path, ...e.first }, e.second && { path: e.path, ...e.second }),
    );
    await checkpoint(results, checked.match, checked.lastPath, done);
    // Lets a cancel (or the editor) in between ranges.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Audits every object below the two prefixes. Rejects on cancellation (the run is kept for resume) and
 * on errors that concern the whole run (credentials, access, a missing bucket, a failed listing).
 */
export async function auditBuckets(o: AuditOptions): Promise<AuditSummary> {
  const started = Date.now();
  const listing = o.listing !== false;
  const id = auditRunId(o);
  const journal = auditJournal(o.record);
  const { state, resumed } = startRun(o);
  const open = (side: AuditSide, which: 0 | 1): Cursor => {
    // What is known of the side's listed objects, when it is listed (a side read whole from `readSide` is not).
    const known = listing && !o.readSide ? o.knownSide?.(which === 0 ? 'first' : 'second') : undefined;
    return new Cursor(
      readAhead(
        o.readSide
          ? o.readSide(which === 0 ? 'first' : 'second', state.lastPath)
          : sidePages(side, {
              record: o.record,
              listing,
              requests: which === 0 ? state.requests.first : state.requests.second,
              ...(state.lastPath !== undefined ? { afterPath: state.lastPath } : {}),
              ...(state.tokens[which] !== undefined ? { token: state.tokens[which] } : {}),
              ...(o.concurrency ? { concurrency: o.concurrency } : {}),
              ...(o.pageSize ? { pageSize: o.pageSize } : {}),
              ...(o.signal ? { signal: o.signal } : {}),
              ...(known ? { known } : {}),
            }),
      ),
    );
  };
  const a = open(o.first, 0);
  const b = open(o.second, 1);
  const total =
    o.total ??
    Math.max(
      o.record.objects.count(sideScope(o.first), folderPrefix(o.first.prefix)),
      o.record.objects.count(sideScope(o.second), folderPrefix(o.second.prefix)),
    );
  const doneBefore = state.counts.total;
  let lastReport = 0;
  const report = (force = false): void => {
    const now = Date.now();
    if (!o.onProgress || (!force && now - lastReport < 250)) return;
    lastReport = now;
    const rate = (state.counts.total - doneBefore) / Math.max(0.001, (now - started) / 1000);
    const left = total - state.counts.total;
    const known = total > 0 && left >= 0;
    o.onProgress({
      done: state.counts.total,
      ...(known ? { total } : {}),
      objectsPerSecond: Math.round(rate),
      ...(known && rate > 0 && left > 0 ? { etaSeconds: Math.ceil(left / rate) } : {}),
      requests: state.requests,
    });
  };
  let batch: AuditResult[] = [];
  // `matched`: plain matches counted but not in `batch`; `rangeEnd`: the last path judged, when not the batch's last.
  const checkpoint = async (finished: boolean, matched = 0, rangeEnd?: string): Promise<void> => {
    if (o.download) await settleByDownload(o, state, batch);
    throwIfAborted(o.signal);
    o.record.transaction(() => {
      state.counts.match += matched;
      state.counts.total += matched;
      for (const r of batch) {
        state.counts[r.status]++;
        state.counts.total++;
        if (r.status !== 'match') journal.addIssue(id, r.path, r);
      }
      if (rangeEnd !== undefined) state.lastPath = rangeEnd;
      else if (batch.length) state.lastPath = batch[batch.length - 1].path;
      state.tokens = [a.token, b.token];
      state.finished = finished;
      journal.setState(id, state);
    });
    if (o.onResult) for (const r of batch) if (r.status !== 'match' || o.reportMatches) o.onResult(r);
    batch = [];
    report();
  };
  try {
    if (!listing && !o.reportMatches && !o.readSide) {
      await auditInRecord(o, state, (results, match, lastPath, done) => {
        batch = results;
        return checkpoint(done, match, lastPath);
      });
      report(true);
      return {
        runId: id,
        counts: { ...state.counts },
        requests: structuredClone(state.requests),
        resumed,
        seconds: (Date.now() - started) / 1000,
      };
    }
    // Plain matches are only counted when no result of a match is wanted (most pairs of a long run).
    const countMatches = !o.reportMatches;
    let matched = 0;
    let lastJudged: string | undefined;
    for (;;) {
      let x = a.ready;
      let y = b.ready;
      if (!x || !y) [x, y] = await Promise.all([x ?? a.peek(), y ?? b.peek()]);
      if (!x && !y) break;
      const order = !x ? 1 : !y ? -1 : compareKeys(x.path, y.path);
      if (order < 0) batch.push(judgeObjects(a.take(), undefined));
      else if (order > 0) batch.push(judgeObjects(undefined, b.take()));
      else {
        const first = a.take();
        const second = b.take();
        if (countMatches && isPlainMatch(first, second)) matched++;
        else batch.push(judgeObjects(first, second));
      }
      lastJudged = order > 0 ? y!.path : x!.path;
      // Anywhere is a checkpoint: each side's token lists its page again and resume skips what was judged.
      if (batch.length >= CHECKPOINT || batch.length + matched >= MATCHES_CHECKPOINT) {
        await checkpoint(false, matched, lastJudged);
        matched = 0;
      }
    }
    await checkpoint(true, matched, lastJudged);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  report(true);
  return {
    runId: id,
    counts: { ...state.counts },
    requests: structuredClone(state.requests),
    resumed,
    seconds: (Date.now() - started) / 1000,
  };
}
