import type { SQLiteValue } from 'node-sqlite3-wasm';
import { compareKeys, prefixUpperBound } from './keyOrder';
import type { CrcRecord, Row, Scope } from './record';

/**
 * Two places of the record checked against each other inside SQLite (a bucket-against-bucket audit
 * without listings): per range of keys, how many objects are the same on both sides (same size, the same
 * CRC-64 on both) is counted in SQL, and only the others are read out — to be judged, one by one, by the
 * one verdict. Ten million pairs never pass through JavaScript.
 */

export interface PairPlace {
  scope: Scope;
  /** As a folder ('' or ending in '/'). */
  prefix: string;
}

export interface PairSide {
  size: number;
  crc64?: string;
}

/** A pair that is not plainly the same: one side missing, sizes or CRC-64s that differ, a CRC-64 missing. */
export interface PairException {
  path: string;
  first?: PairSide;
  second?: PairSide;
}

export interface PairRange {
  /** Pairs with both sides present, the same size and the same CRC-64 (folder markers not counted). */
  match: number;
  /** The other pairs of the range, in key order. */
  exceptions: PairException[];
  /** The range's last path (resume after it); undefined when it ran to the end. */
  lastPath?: string;
  done: boolean;
}

const FILE = (t: string): string => `substr(${t}.key, -1) <> '/'`;
/** The same object on both sides, as `judge()` says `match`: same size, both CRC-64s present and equal. */
const SAME = 'coalesce(b.key IS NOT NULL AND a.size = b.size AND a.crc64 IS NOT NULL AND b.crc64 IS NOT NULL AND a.crc64 = b.crc64, 0)';

/** A place with its scope's number in the record. */
interface NumberedPlace {
  id: number;
  prefix: string;
}

/** `t.key` within the range (after, last] of paths below `place`. */
function range(
  t: string,
  place: NumberedPlace,
  after: string | undefined,
  last: string | undefined,
): { sql: string; params: SQLiteValue[] } {
  const params: SQLiteValue[] = [place.id, place.prefix + (after ?? '')];
  let sql = `${t}.scope = ? AND ${t}.key ${after === undefined ? '>=' : '>'} ?`;
  if (last !== undefined) {
    sql += ` AND ${t}.key <= ?`;
    params.push(place.prefix + last);
  } else if (place.prefix !== '') {
    sql += ` AND ${t}.key < ?`;
    params.push(prefixUpperBound(place.prefix));
  }
  return { sql, params };
}

/** The key on the other side: its prefix, then this key past this side's prefix (SQLite counts characters by code point). */
function otherKey(t: string, from: PairPlace, to: PairPlace): { sql: string; params: SQLiteValue[] } {
  return { sql: `? || substr(${t}.key, ?)`, params: [to.prefix, [...from.prefix].length + 1] };
}

function side(size: SQLiteValue, crc: SQLiteValue): PairSide {
  return { size: Number(size), ...(crc !== null ? { crc64: String(crc) } : {}) };
}

/**
 * Checks up to `limit` keys of the first place after `after` (and every key of the second place in the
 * same span of paths). The last range also takes in whatever the second place holds past the first's end.
 */
export function checkPairRange(
  record: CrcRecord,
  first: PairPlace,
  second: PairPlace,
  after: string | undefined,
  limit: number,
): PairRange {
  const a: NumberedPlace = { id: record.scopeId(first.scope, false), prefix: first.prefix };
  const b: NumberedPlace = { id: record.scopeId(second.scope, false), prefix: second.prefix };
  const all = range('a', a, after, undefined);
  const end = record.row(`SELECT a.key AS key FROM objects a WHERE ${all.sql} ORDER BY a.key LIMIT 1 OFFSET ?`, [...all.params, limit - 1]);
  const last = end ? String(end.key).slice(first.prefix.length) : undefined;
  const ra = range('a', a, after, last);
  const rb = range('b', b, after, last);
  const toB = otherKey('a', first, second);
  const toA = otherKey('b', second, first);
  const join = `objects b ON b.scope = ? AND b.key = ${toB.sql}`;
  const joinParams: SQLiteValue[] = [b.id, ...toB.params];
  // The range's files of the first place, counted in key order without a look-up on the other side: the
  // matches are those less the exceptions read below (one join over the range instead of two).
  const counted = record.row(`SELECT count(*) AS n FROM objects a WHERE ${ra.sql} AND ${FILE('a')}`, ra.params) as Row;
  const firstRows = record.rows(
    `SELECT a.key AS key, a.size AS asize, a.crc64 AS acrc, b.key AS bkey, b.size AS bsize, b.crc64 AS bcrc FROM objects a LEFT JOIN ${join} WHERE ${ra.sql} AND ${FILE('a')} AND NOT (${SAME}) ORDER BY a.key`,
    [...joinParams, ...ra.params],
  );
  const secondOnly = record.rows(
    `SELECT b.key AS key, b.size AS bsize, b.crc64 AS bcrc FROM objects b WHERE ${rb.sql} AND ${FILE('b')} AND NOT EXISTS (SELECT 1 FROM objects a WHERE a.scope = ? AND a.key = ${toA.sql}) ORDER BY b.key`,
    [...rb.params, a.id, ...toA.params],
  );
  const exceptions: PairException[] = [];
  // Both lists are in key order of their own side: merged by path (one prefix before each, the same order).
  let i = 0;
  let j = 0;
  const pathA = (r: Row) => String(r.key).slice(first.prefix.length);
  const pathB = (r: Row) => String(r.key).slice(second.prefix.length);
  while (i < firstRows.length || j < secondOnly.length) {
    const takeA = j >= secondOnly.length || (i < firstRows.length && compareKeys(pathA(firstRows[i]), pathB(secondOnly[j])) < 0);
    if (takeA) {
      const r = firstRows[i++];
      exceptions.push({ path: pathA(r), first: side(r.asize, r.acrc), ...(r.bkey !== null ? { second: side(r.bsize, r.bcrc) } : {}) });
    } else {
      const r = secondOnly[j++];
      exceptions.push({ path: pathB(r), second: side(r.bsize, r.bcrc) });
    }
  }
  return {
    match: Number(counted.n) - firstRows.length,
    exceptions,
    ...(last !== undefined ? { lastPath: last } : {}),
    done: last === undefined,
  };
}
