import { stat } from 'node:fs/promises';
import { streamHasher, type HashOutcome, type LocalHasher } from '../../crc/hashers';
import { throwIfAborted } from '../../util/errors';
import { judge } from '../verdict';
import type { CheckMeter } from './progress';
import type { RemoteCrcSource, RemoteFact, RemoteFacts, RemoteQuery } from './source';
import type { CheckPair, CheckResult } from './types';

/**
 * The one check engine of Compare and Verify: a batch of pairs (local file ↔ object, or one side only)
 * and a source of remote CRC-64s in, one `CheckResult` per pair out, in the order given. Compare gives it
 * a folder's pairs and a HEAD source; Verify a listing page at a time and the record (trusted only where
 * the listing shows it is current) falling back to HEAD. Progress goes to a `CheckMeter`, as numbers.
 *
 * Order of work: local sizes (stat) where the caller has none; the source, for objects it must vouch
 * for; hashing, only for pairs whose sizes agree and whose object has a CRC-64; then `judge`.
 */

export interface CheckOptions {
  remote: RemoteCrcSource;
  /** Local hashing (default: one file after the other on this thread). */
  hashFiles?: LocalHasher;
  /**
   * No local side at all: each object is judged against what the record knew of it (Verify without a
   * folder): `differ` only when its CRC-64 changed while its ETag did not.
   */
  againstRecord?: boolean;
  /**
   * Ask the source only for objects that can still match: both sides present and, when listed, the same
   * size (Compare: a size difference settles `differ` without a request). Off, every listed object is
   * asked (Verify: what is learnt keeps the record current).
   */
  sizesFirst?: boolean;
  meter?: CheckMeter;
  signal?: AbortSignal;
}

/** What the check knows of one pair while it works. */
interface Work {
  pair: CheckPair;
  localSize?: number;
  localError?: Error;
  fact?: RemoteFacts;
  asked: boolean;
  hash?: HashOutcome;
}

/** Judges `pairs`; pairs where neither side exists (an object deleted after the listing, no file) are left out. */
export async function checkPairs(pairs: readonly CheckPair[], o: CheckOptions): Promise<CheckResult[]> {
  // Objects built field by field, here and below, not with spreads of conditional objects: this runs for
  // every object of a bucket, and the spreads measured about 1.5 µs an object.
  const work: Work[] = pairs.map((pair) => {
    const w: Work = { pair, asked: false };
    if (pair.local?.size !== undefined) w.localSize = pair.local.size;
    return w;
  });
  await statLocals(work.filter((w) => w.pair.local && w.localSize === undefined && w.pair.listed !== null));
  await askSource(work, o);
  await hashLocals(work, o);
  throwIfAborted(o.signal);
  const results: CheckResult[] = [];
  for (const w of work) {
    const r = o.againstRecord ? againstRecord(w) : againstLocal(w);
    if (r) results.push(r);
  }
  o.meter?.judged(results.length);
  return results;
}

async function statLocals(work: readonly Work[]): Promise<void> {
  await Promise.all(
    work.map(async (w) => {
      try {
        w.localSize = (await stat(w.pair.local!.path)).size;
      } catch (err) {
        w.localError = err as Error;
      }
    }),
  );
}

function needsFact(w: Work, o: CheckOptions): boolean {
  const { pair } = w;
  if (pair.listed === null) return false;
  // Not listed (one file compared with one key): only the source can say what the object is.
  if (pair.listed === undefined || o.againstRecord || !o.sizesFirst) return true;
  return pair.local !== undefined && !w.localError && pair.listed.size === w.localSize;
}

async function askSource(work: Work[], o: CheckOptions): Promise<void> {
  const ask = work.filter((w) => needsFact(w, o));
  if (ask.length === 0) return;
  const queries = ask.map((w): RemoteQuery => {
    const q: RemoteQuery = { key: w.pair.key };
    if (w.pair.listed) q.listed = w.pair.listed;
    if (w.pair.known !== undefined) q.known = w.pair.known;
    return q;
  });
  let done = 0;
  const facts = await o.remote.facts(queries, { signal: o.signal, onRequest: () => o.meter?.headed(++done, ask.length) });
  for (const w of ask) {
    w.asked = true;
    w.fact = facts.get(w.pair.key);
  }
}

function factOf(w: Work): RemoteFact | undefined {
  return w.fact && !(w.fact instanceof Error) ? w.fact : undefined;
}

async function hashLocals(work: Work[], o: CheckOptions): Promise<void> {
  if (o.againstRecord) return;
  const toHash = work.filter((w) => {
    const f = factOf(w);
    return w.pair.local && !w.localError && f?.crc64 !== undefined && f.size === w.localSize;
  });
  if (toHash.length === 0) return;
  const hasher = o.hashFiles ?? streamHasher;
  const outcomes = await hasher(
    toHash.map((w) => w.pair.local!.path),
    o.signal,
    (done, total) => o.meter?.hashing(toHash.length, done, total),
  );
  outcomes.forEach((h, i) => (toHash[i].hash = h));
}

/** The remote side as the listing alone tells it (no source asked): size only. */
function listedSide(w: Work): { size: number } | undefined {
  return w.pair.listed ? { size: w.pair.listed.size } : undefined;
}

function againstLocal(w: Work): CheckResult | undefined {
  const { pair } = w;
  const fact = factOf(w);
  // An object that could not be read counts as an error only against a file; alone it is still listed.
  const remoteError = w.fact instanceof Error && pair.local ? w.fact : undefined;
  // What the object is: the source's answer when asked, else the listing.
  const remote = w.asked && !(w.fact instanceof Error) ? fact : listedSide(w);
  if (!pair.local && !remote) return undefined;
  const result: CheckResult = { status: 'error', relativePath: pair.path, key: pair.key };
  const localPath = pair.local?.path ?? pair.missingLocalPath;
  if (localPath !== undefined) result.localPath = localPath;
  // The file may have changed between stat and hash: what was hashed is the truth.
  const localSize = w.hash?.size ?? w.localSize;
  if (localSize !== undefined) result.localSize = localSize;
  const remoteSize = remote?.size ?? pair.listed?.size;
  if (remoteSize !== undefined) result.remoteSize = remoteSize;
  if (fact?.crc64) {
    result.remoteCrc64 = fact.crc64;
    result.remoteCrcSource = fact.origin ?? 'service';
  }
  const localCrc64 = w.hash?.crc64?.toString(10);
  const failed = w.localError ?? remoteError;
  // judge() reads an absent CRC-64 and an undefined one alike.
  const { verdict, detail } = judge({
    local: pair.local ? { size: localSize ?? 0, crc64: localCrc64 } : undefined,
    remote: remote ? { size: remote.size, crc64: fact?.crc64 || undefined, previousCrc64: fact?.previousCrc64 || undefined } : undefined,
    error: failed?.message,
  });
  result.status = verdict;
  // A hash failure only counts once the sizes and the remote CRC-64 asked for the hash.
  if (verdict === 'error' && w.hash?.error && !failed) result.detail = w.hash.error.message;
  else if (detail !== undefined) result.detail = detail;
  if (localCrc64 !== undefined && (verdict === 'match' || verdict === 'differ')) result.localCrc64 = localCrc64;
  if (verdict === 'differ' && fact?.previousCrc64) result.previousCrc64 = fact.previousCrc64;
  return result;
}

/** Without a local side: the object against what the record knew of the same content. */
function againstRecord(w: Work): CheckResult | undefined {
  const { pair } = w;
  const fact = factOf(w);
  const error = w.fact instanceof Error ? w.fact : undefined;
  if (!fact && !error) return undefined;
  const size = fact?.size ?? pair.listed?.size ?? 0;
  const { verdict, detail } = judge({
    against: 'record',
    remote: { size, crc64: fact?.crc64 || undefined, previousCrc64: fact?.previousCrc64 || undefined },
    error: error?.message,
  });
  const result: CheckResult = { status: verdict, relativePath: pair.path, key: pair.key, remoteSize: size };
  if (fact?.crc64) {
    result.remoteCrc64 = fact.crc64;
    result.remoteCrcSource = fact.origin ?? 'service';
  }
  if (verdict === 'differ' && fact?.previousCrc64) result.previousCrc64 = fact.previousCrc64;
  if (detail !== undefined) result.detail = detail;
  return result;
}
