import type { SQLiteValue } from 'node-sqlite3-wasm';
import { compareKeys, prefixUpperBound } from './keyOrder';
import type { CrcRecord } from './record';
import type { BriefObject, Row, Scope } from './types';

/**
 * The record checked against itself inside SQLite: a re-verify with nothing to list and nothing to hash
 * only needs, per range of keys, how many objects match and the few that do not. Counting in SQL and
 * reading out only the exceptions keeps millions of rows out of JavaScript.
 */

export interface CheckedRange {
  /** Objects with a CRC-64 and no silent change (folder markers are not counted). */
  match: number;
  /** Objects whose CRC-64 changed while ETag and size did not. */
  differ: number;
  /** Objects recorded without a CRC-64. */
  noCrc: number;
  /** The `differ` and `no-crc` objects of the range, in key order. */
  issues: BriefObject[];
  /** The last key of the range (resume after it); `undefined` when the range was empty. */
  lastKey?: string;
  /** No key is left after this range. */
  done: boolean;
}

// Folder markers (an inventory lists them) are not files, as in a listing.
const FILES = "substr(key, -1) <> '/'";
const ISSUE = 'crc64 IS NULL OR previous_crc64 IS NOT NULL';

/** Keys after `after` (or from `prefix`) up to `last` (or the end of the prefix): one lower and one upper bound, so SQLite seeks both. */
function keyRange(scope: number, prefix: string, after: string | undefined, last?: string): { where: string; params: SQLiteValue[] } {
  const start = after !== undefined && compareKeys(after, prefix) >= 0 ? after : undefined;
  const params: SQLiteValue[] = [scope, start ?? prefix];
  let where = `scope = ? AND key ${start === undefined ? '>=' : '>'} ?`;
  if (last !== undefined) {
    where += ' AND key <= ?';
    params.push(last);
  } else if (prefix !== '') {
    where += ' AND key < ?';
    params.push(prefixUpperBound(prefix));
  }
  return { where, params };
}

/**
 * Checks up to `limit` recorded keys below `prefix` after `after` (exclusive), in key order, without a
 * request: counts in SQL, and reads out only the objects that do not match.
 */
export function checkRecordedRange(
  record: CrcRecord,
  scope: Scope,
  prefix: string,
  after: string | undefined,
  limit: number,
): CheckedRange {
  const id = record.scopeId(scope, false);
  const all = keyRange(id, prefix, after);
  // The limit-th key bounds the range; none means the range runs to the end of the prefix.
  const end = record.row(`SELECT key FROM objects WHERE ${all.where} ORDER BY key LIMIT 1 OFFSET ?`, [...all.params, limit - 1]);
  const endKey = end ? String(end.key) : undefined;
  const { where: range, params: rangeParams } = keyRange(id, prefix, after, endKey);
  const counts = record.row(`SELECT sum(${FILES}) AS files, max(key) AS last FROM objects WHERE ${range}`, rangeParams) as Row;
  const issues = record
    .rows(`SELECT key, size, crc64, previous_crc64 FROM objects WHERE ${range} AND ${FILES} AND (${ISSUE}) ORDER BY key`, rangeParams)
    .map(toBrief);
  const differ = issues.filter((o) => o.previousCrc64 !== undefined).length;
  const noCrc = issues.length - differ;
  const lastKey = counts.last === null ? undefined : String(counts.last);
  return {
    match: Number(counts.files ?? 0) - issues.length,
    differ,
    noCrc,
    issues,
    ...(lastKey !== undefined ? { lastKey } : {}),
    done: endKey === undefined,
  };
}

function toBrief(row: Row): BriefObject {
  const o: BriefObject = { key: String(row.key), size: Number(row.size) };
  if (row.crc64 !== null) o.crc64 = String(row.crc64);
  if (row.previous_crc64 !== null) o.previousCrc64 = String(row.previous_crc64);
  return o;
}
