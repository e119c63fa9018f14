import { needsHead, type ListedObject } from '../../record/freshness';
import { normalizeEtag } from '../../record/keyOrder';
import type { BriefObject, Scope } from '../../record/types';
import { isFatalForRun, StorageError } from '../../storage/errors';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { runLimited } from '../../util/concurrency';
import { CancelledError, isCancelled } from '../../util/errors';

/**
 * Where a check learns what it compares local files with: each object's size and CRC-64. Every source
 * has the one shape `RemoteCrcSource`, so the check engine (`./engine`) does not know where a CRC-64
 * came from:
 * - `headSource`: a HEAD per object (Compare; Verify for what the record cannot vouch for);
 * - `recordSource`: the CRC record — an object's recorded CRC-64 is used only while the listing still
 *   shows the same ETag, size and LastModified (`needsHead`), else it asks its `fallback`; the same
 *   function over another bucket's scope is the record of another bucket, and an imported inventory is
 *   read through it too (`importInventory` writes its rows into the record, checked by the same rule);
 * - `withDownloadedCrcs`: any source, with CRC-64s computed earlier by downloading objects stored
 *   without one.
 */

/** Where an object's CRC-64 came from. */
export type CrcOrigin = 'service' | 'record' | 'download';

/** What a source says of one object. */
export interface RemoteFact extends ObjectInfo {
  /** Where `crc64` came from (default: the service, by HEAD). */
  origin?: CrcOrigin;
  /** The CRC-64 the record held for the same ETag and size before: the content changed silently. */
  previousCrc64?: string;
}

/** An object's facts; `undefined` when there is no such object; an Error when this one could not be read. */
export type RemoteFacts = RemoteFact | Error | undefined;

/** One object a check asks about, with what the listing said of it and what the record knew, when known. */
export interface RemoteQuery {
  key: string;
  /** The object as listed now (absent: not listed, e.g. a single file compared). */
  listed?: ListedObject;
  /** What the record knew of it, read by the caller (a cursor in key order); `null`: nothing. */
  known?: BriefObject | null;
}

export interface FactOptions {
  signal?: AbortSignal;
  /** Once per key answered. */
  onEach?(): void;
  /** Once per request sent to the service (a HEAD). */
  onRequest?(): void;
}

export interface RemoteCrcSource {
  /**
   * The facts of each key. Rejects on cancellation and on errors that would fail every other request too
   * (credentials, access denied, a missing bucket): the whole check stops instead of marking each object.
   */
  facts(queries: readonly RemoteQuery[], options?: FactOptions): Promise<Map<string, RemoteFacts>>;
}

/** One HEAD per key, `concurrency` at once. */
export function headSource(store: Pick<ObjectStore, 'head'>, bucket: string, concurrency: number): RemoteCrcSource {
  return {
    async facts(queries, options = {}) {
      const { signal } = options;
      const out = new Map<string, RemoteFacts>();
      await runLimited(
        queries,
        concurrency,
        async ({ key }, laneSignal) => {
          try {
            options.onRequest?.();
            out.set(key, await store.head(bucket, key, { signal: laneSignal }));
          } catch (err) {
            if (signal?.aborted || isCancelled(err)) throw new CancelledError();
            if (isFatalForRun(err)) throw err;
            out.set(key, err instanceof StorageError && err.kind === 'no-such-key' ? undefined : (err as Error));
          }
          options.onEach?.();
        },
        { signal },
      );
      return out;
    },
  };
}

/** What a record-backed source reads of the record: one object by key (the objects store). */
export interface RecordReader {
  get(scope: Scope, key: string): BriefObject | undefined;
}

export interface RecordSourceOptions {
  /** Which profile and bucket of the record (another bucket's, for a bucket-against-bucket audit). */
  scope: Scope;
  /**
   * Asked for what the record cannot vouch for: a key it does not know, or whose listing no longer shows
   * the recorded ETag, size and LastModified. Without one, such a key is an error ("not in the record").
   */
  fallback?: RemoteCrcSource;
  /**
   * `'listed'` (default): a recorded CRC-64 counts only while the listing shows the same ETag, size and
   * LastModified; a query without a listing goes to the fallback. `'as-recorded'`: the record is taken
   * as it is (a check of what the record holds, without listing; as fresh as the record).
   */
  trust?: 'listed' | 'as-recorded';
}

const NOT_RECORDED = 'the CRC record holds no current CRC-64 for this object';

/** The CRC record as a source of CRC-64s, trusted only where it cannot be stale (see `RecordSourceOptions`). */
export function recordSource(record: RecordReader, options: RecordSourceOptions): RemoteCrcSource {
  const { scope, fallback, trust = 'listed' } = options;
  return {
    async facts(queries, factOptions = {}) {
      const out = new Map<string, RemoteFacts>();
      const misses: RemoteQuery[] = [];
      const knownOf = new Map<string, BriefObject | undefined>();
      for (const q of queries) {
        const known = q.known === undefined ? record.get(scope, q.key) : (q.known ?? undefined);
        knownOf.set(q.key, known);
        const fresh = known !== undefined && (trust === 'as-recorded' || (q.listed !== undefined && !needsHead(known, q.listed)));
        if (!fresh) {
          misses.push(q);
          continue;
        }
        out.set(q.key, recordedFact(known));
        factOptions.onEach?.();
      }
      if (misses.length === 0) return out;
      if (!fallback) {
        for (const q of misses) out.set(q.key, new Error(NOT_RECORDED));
        return out;
      }
      const asked = await fallback.facts(misses, factOptions);
      for (const [key, fact] of asked) out.set(key, withSilentChange(knownOf.get(key), fact));
      return out;
    },
  };
}

function recordedFact(known: BriefObject): RemoteFact {
  const fact: RemoteFact = { key: known.key, size: known.size, origin: 'record' };
  if (known.etag !== undefined) fact.etag = known.etag;
  if (known.lastModified !== undefined) fact.lastModified = new Date(known.lastModified);
  if (known.crc64 !== undefined) fact.crc64 = known.crc64;
  if (known.previousCrc64 !== undefined) fact.previousCrc64 = known.previousCrc64;
  return fact;
}

/**
 * Same ETag and size as recorded but another CRC-64 (asked again for a new LastModified): the content
 * changed behind an unchanged ETag, as the record flags it.
 */
function withSilentChange(known: BriefObject | undefined, fact: RemoteFacts): RemoteFacts {
  if (!known?.crc64 || !fact || fact instanceof Error || !fact.crc64) return fact;
  const silent = known.crc64 !== fact.crc64 && known.size === fact.size && (known.etag ?? null) === normalizeEtag(fact.etag);
  return silent ? { ...fact, previousCrc64: known.crc64 } : fact;
}

/**
 * `source`, with the CRC-64 of objects stored without one filled in from `downloaded` (computed earlier
 * by downloading them), so a "no CRC" object can be checked after "Compute Remote CRC-64".
 */
export function withDownloadedCrcs(
  source: RemoteCrcSource,
  downloaded: (key: string, info: ObjectInfo) => string | undefined,
): RemoteCrcSource {
  return {
    async facts(queries, options) {
      const out = await source.facts(queries, options);
      for (const [key, fact] of out) {
        if (!fact || fact instanceof Error || fact.crc64 !== undefined) continue;
        const crc64 = downloaded(key, fact);
        if (crc64 !== undefined) out.set(key, { ...fact, crc64, origin: 'download' });
      }
      return out;
    },
  };
}
