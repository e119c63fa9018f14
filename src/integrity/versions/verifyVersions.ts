import { normalizeEtag } from '../../record/keyOrder';
import type { VersionLister } from '../../storage/capabilities';
import type { ObjectStore } from '../../storage/types';
import { allVersions, type ObjectVersion } from '../../storage/versions';
import { runLimited } from '../../util/concurrency';
import { judge, type Verdict } from '../verdict';

/**
 * Verify every version of the objects under a prefix (`verify --all-versions`, the tree's versions): each
 * version is HEADed by its `versionId`. A version never changes, so its check is that the service still
 * holds it whole: it has a CRC-64 (else "no CRC-64", as any object stored without one), and its HEAD gives
 * the size and ETag the versions listing gave. With a report of all versions (`known`), a version the report
 * lists with a CRC-64 and the listing's size and ETag needs no HEAD. Delete markers have no bytes: they are
 * reported, not checked.
 */

export interface VersionResult {
  key: string;
  versionId: string;
  isLatest: boolean;
  /** A delete marker: listed with `status` undefined. */
  deleteMarker: boolean;
  status?: Verdict;
  size: number;
  crc64?: string;
  lastModified?: Date;
  detail?: string;
}

export interface VerifyVersionsOptions {
  store: Pick<ObjectStore, 'head'> & VersionLister;
  bucket: string;
  prefix: string;
  /** Only the versions of the key `prefix` itself, not of keys that begin with it (one object in the tree). */
  exactKey?: boolean;
  /** HEAD requests at once (default 16). */
  concurrency?: number;
  /**
   * What a report of all versions says of a version (`readInventoryVersions`): a row with a CRC-64 and the
   * size and ETag the live listing gives checks the version without a HEAD (a version never changes).
   */
  known?(v: ObjectVersion): { size: number; etag?: string; crc64?: string } | undefined;
  signal?: AbortSignal;
  onResult?(result: VersionResult): void;
}

export interface VersionsSummary {
  versions: number;
  deleteMarkers: number;
  /** Versions checked from the report of all versions, without a HEAD. */
  fromInventory: number;
  counts: Partial<Record<Verdict, number>>;
}

/** One version's verdict from its HEAD by id. */
export async function checkVersion(
  store: Pick<ObjectStore, 'head'>,
  bucket: string,
  v: ObjectVersion,
  signal?: AbortSignal,
): Promise<VersionResult> {
  const base = {
    key: v.key,
    versionId: v.versionId,
    isLatest: v.isLatest,
    deleteMarker: v.deleteMarker,
    size: v.size,
    ...(v.lastModified ? { lastModified: v.lastModified } : {}),
  };
  if (v.deleteMarker) return base;
  try {
    const h = await store.head(bucket, v.key, { versionId: v.versionId, signal });
    if (h.size !== v.size || (v.etag && h.etag && normalizeEtag(v.etag) !== normalizeEtag(h.etag))) {
      return {
        ...base,
        status: 'differ',
        detail: `its HEAD (size ${h.size}, ETag ${h.etag}) is not what the versions listing gave (size ${v.size}, ETag ${v.etag})`,
      };
    }
    const { verdict, detail } = judge({ against: 'record', remote: { size: h.size, ...(h.crc64 ? { crc64: h.crc64 } : {}) } });
    return { ...base, status: verdict, ...(h.crc64 ? { crc64: h.crc64 } : {}), ...(detail ? { detail } : {}) };
  } catch (err) {
    return { ...base, status: 'error', detail: (err as Error).message };
  }
}

export async function verifyAllVersions(o: VerifyVersionsOptions): Promise<VersionsSummary> {
  const summary: VersionsSummary = { versions: 0, deleteMarkers: 0, fromInventory: 0, counts: {} };
  const listed = allVersions(o.store, o.bucket, o.prefix, { signal: o.signal });
  await runLimited(
    o.exactKey ? onlyKey(listed, o.prefix) : listed,
    o.concurrency ?? 16,
    async (v, signal) => {
      const reported = v.deleteMarker ? undefined : fromReport(v, o.known?.(v));
      if (reported) summary.fromInventory++;
      const r = reported ?? (await checkVersion(o.store, o.bucket, v, signal));
      if (r.deleteMarker) summary.deleteMarkers++;
      else {
        summary.versions++;
        summary.counts[r.status!] = (summary.counts[r.status!] ?? 0) + 1;
      }
      o.onResult?.(r);
    },
    { signal: o.signal },
  );
  return summary;
}

/** The verdict a report's row gives a listed version, or undefined when a HEAD must say it. */
function fromReport(v: ObjectVersion, row: { size: number; etag?: string; crc64?: string } | undefined): VersionResult | undefined {
  if (!row?.crc64 || row.size !== v.size) return undefined;
  if (v.etag && row.etag && normalizeEtag(v.etag) !== normalizeEtag(row.etag)) return undefined;
  const { verdict, detail } = judge({ against: 'record', remote: { size: row.size, crc64: row.crc64 } });
  return {
    key: v.key,
    versionId: v.versionId,
    isLatest: v.isLatest,
    deleteMarker: false,
    size: v.size,
    ...(v.lastModified ? { lastModified: v.lastModified } : {}),
    status: verdict,
    crc64: row.crc64,
    ...(detail ? { detail } : {}),
  };
}

async function* onlyKey(versions: AsyncIterable<ObjectVersion>, key: string): AsyncGenerator<ObjectVersion> {
  // No stop at the first longer key: a page lists its delete markers after its versions (see versions.ts).
  for await (const v of versions) if (v.key === key) yield v;
}

/** The versions holding the same bytes as a local file: the same CRC-64 and size (delete markers hold none). */
export function versionsLike(results: readonly VersionResult[], local: { size: number; crc64: string }): string[] {
  return results.filter((r) => !r.deleteMarker && r.crc64 === local.crc64 && r.size === local.size).map((r) => r.versionId);
}
