import { stat } from 'node:fs/promises';
import { normalizeEtag } from '../../record/keyOrder';
import type { BriefObject } from '../../record/record';
import type { ObjectInfo } from '../../storage/types';
import type { Run } from './engine';
import { hashLocal } from './local';
import type { VerifyResult } from './outcome';
import { DETAIL, judge } from '../verdict';

/** One listed object with what the record knew of it and whether it was HEADed now. */
export interface Judged {
  obj: ObjectInfo;
  known?: BriefObject;
  headed: boolean;
}

export interface Remote {
  key: string;
  size: number;
  crc64?: string;
  previousCrc64?: string;
  error?: Error;
  /** Deleted between the listing and its HEAD. */
  missing?: boolean;
}

function remoteOf(item: Judged, heads: Map<string, ObjectInfo | Error | undefined>): Remote {
  const { obj, known } = item;
  if (!item.headed) return { key: obj.key, size: obj.size, crc64: known?.crc64, previousCrc64: known?.previousCrc64 };
  const h = heads.get(obj.key);
  if (h === undefined) return { key: obj.key, size: obj.size, missing: true };
  if (h instanceof Error) return { key: obj.key, size: obj.size, error: h };
  // Same ETag and size as recorded but another CRC-64 (HEADed for a new LastModified): the content changed
  // behind an unchanged ETag, as the record flags it.
  const silent = known?.crc64 && h.crc64 && known.crc64 !== h.crc64 && known.size === h.size && (known.etag ?? null) === normalizeEtag(h.etag);
  return { key: obj.key, size: h.size, crc64: h.crc64, ...(silent ? { previousCrc64: known.crc64 } : {}) };
}

/** Without a local folder: the object against what the record knew of the same content. */
export function againstRecord(r: Remote): VerifyResult {
  // Built field by field: this runs once per object of runs over millions.
  const { verdict, detail } = judge({ against: 'record', remote: r, ...(r.error ? { error: r.error.message } : {}) });
  const result: VerifyResult = { key: r.key, status: verdict, size: r.size };
  if (r.crc64) result.remoteCrc64 = r.crc64;
  if (verdict === 'differ') result.previousCrc64 = r.previousCrc64;
  if (detail !== undefined) result.detail = detail;
  return result;
}

interface Pair {
  at: number;
  remote: Remote;
  path: string;
  localSize?: number;
  error?: Error;
}

function onlyLocal(run: Run, rel: string): VerifyResult {
  return { key: run.prefix + rel, status: 'only-local', detail: DETAIL.onlyLocal };
}

/** Results of one page in key order; with a local folder, files without an object are interleaved. */
export async function judgePage(run: Run, items: readonly Judged[], heads: Map<string, ObjectInfo | Error | undefined>, last: boolean): Promise<VerifyResult[]> {
  const remotes = items.map((i) => remoteOf(i, heads));
  const local = run.local;
  if (!local) return remotes.filter((r) => !r.missing).map(againstRecord);
  const results: VerifyResult[] = [];
  const pairs: Pair[] = [];
  for (const r of remotes) {
    const rel = r.key.slice(run.prefix.length);
    for (const other of local.takeBefore(rel)) results.push(onlyLocal(run, other));
    const hasLocal = local.take(rel);
    if (r.missing) {
      if (hasLocal) results.push(onlyLocal(run, rel));
    } else if (!hasLocal) {
      results.push({ key: r.key, size: r.size, ...(r.crc64 ? { remoteCrc64: r.crc64 } : {}), status: 'only-remote', detail: DETAIL.onlyRemote });
    } else {
      pairs.push({ at: results.length, remote: r, path: local.pathOf(rel) });
      results.push({ key: r.key, status: 'error' });
    }
  }
  if (last) for (const other of local.takeBefore(undefined)) results.push(onlyLocal(run, other));
  await Promise.all(
    pairs.map(async (p) => {
      try {
        p.localSize = (await stat(p.path)).size;
      } catch (err) {
        p.error = err as Error;
      }
    }),
  );
  const toHash = pairs.filter((p) => !p.error && !p.remote.error && p.remote.crc64 && p.localSize === p.remote.size);
  const hashes = await hashLocal(run.o.record, toHash.map((p) => p.path), run.o.hashFiles, run.o.signal);
  for (const p of pairs) results[p.at] = againstLocal(p, hashes.get(p.path));
  return results;
}

function againstLocal(p: Pair, hash: { size: number; crc64?: bigint; error?: Error } | undefined): VerifyResult {
  const r = p.remote;
  const base = { key: r.key, size: r.size, ...(p.localSize !== undefined ? { localSize: p.localSize } : {}), ...(r.crc64 ? { remoteCrc64: r.crc64 } : {}) };
  const failed = r.error ?? p.error ?? hash?.error;
  const localCrc64 = hash?.crc64?.toString();
  const { verdict, detail } = judge({
    local: { size: p.localSize ?? 0, ...(localCrc64 !== undefined ? { crc64: localCrc64 } : {}) },
    remote: r,
    // A hash failure only counts once the sizes and the remote CRC-64 asked for the hash.
    ...(r.error || p.error ? { error: failed!.message } : {}),
  });
  const result: VerifyResult = { ...base, status: verdict };
  if (verdict === 'error' && hash?.error && !r.error && !p.error) result.detail = hash.error.message;
  else if (detail !== undefined) result.detail = detail;
  if (localCrc64 !== undefined && (verdict === 'match' || verdict === 'differ')) result.localCrc64 = localCrc64;
  if (verdict === 'differ' && r.previousCrc64) result.previousCrc64 = r.previousCrc64;
  return result;
}
