import type { SQLiteValue } from 'node-sqlite3-wasm';
import { compareKeys, normalizeEtag, prefixUpperBound } from './keyOrder';
import { needsHead, type ListedObject } from './freshness';
import { OBJECT_COLUMNS, ROW_VALUES, ROW_VALUES_SHARED, SELECT_OBJECT, upsertSql } from './schema';
import type { BriefObject, ObjectColumns, ObjectUpdate, RecordedObject, RecordSource, RecordStatements, Row, Scope } from './types';

/**
 * The CRC record's objects store: what is known about every object checked so far (ETag, size,
 * LastModified, CRC-64, where the CRC-64 came from, when), per profile and bucket. Reads by prefix are
 * paged in key order, so a bucket of millions never sits in memory.
 */

const BATCH = 100;
const PAGE = 1000;

export class RecordedObjects {
  constructor(private readonly db: RecordStatements) {}

  /** Records many objects of one bucket at once (multi-row statements in one transaction). */
  upsertMany(scope: Scope, rows: readonly ObjectUpdate[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      const id = this.db.scopeId(scope, true);
      for (let i = 0; i < rows.length;) {
        const n = rows.length - i >= BATCH ? BATCH : 1;
        const shared = sharesSourceAndTime(rows, i, n, now);
        const per = shared ? ROW_VALUES_SHARED : ROW_VALUES;
        const values: SQLiteValue[] = new Array(1 + (shared ? 2 : 0) + n * per);
        values[0] = id;
        let at = 1;
        if (shared) {
          values[1] = rows[i].source;
          values[2] = rows[i].checkedAt ?? now;
          at = 3;
        }
        for (let j = 0; j < n; j++, at += per) fillRow(values, at, rows[i + j], shared, now);
        this.db.rows(statementSql(n, shared), values);
        i += n;
      }
    });
  }

  /**
   * Records the objects of `columns` (one source, one time), as `upsertMany` would: the same statements,
   * filled from the columns.
   */
  upsertColumns(scope: Scope, columns: ObjectColumns): void {
    const { keys, etags, sizes, lastModified, crc64s } = columns;
    this.db.transaction(() => {
      const id = this.db.scopeId(scope, true);
      for (let i = 0; i < keys.length;) {
        const n = keys.length - i >= BATCH ? BATCH : 1;
        const values: SQLiteValue[] = new Array(3 + n * ROW_VALUES_SHARED);
        values[0] = id;
        values[1] = columns.source;
        values[2] = columns.checkedAt;
        for (let j = 0, at = 3; j < n; j++, at += ROW_VALUES_SHARED) {
          const r = i + j;
          values[at] = keys[r];
          values[at + 1] = normalizeEtag(etags[r]);
          values[at + 2] = sizes[r];
          values[at + 3] = lastModified[r];
          values[at + 4] = crc64s[r];
        }
        this.db.rows(statementSql(n, true), values);
        i += n;
      }
    });
  }

  get(scope: Scope, key: string): RecordedObject | undefined {
    const row = this.db.row(`${SELECT_OBJECT} WHERE scope = ? AND key = ?`, [this.db.scopeId(scope, false), key]);
    return row ? toObject(row) : undefined;
  }

  /** Rows below `prefix` in key order, a page at a time (keyset paging: each page starts after the last key). */
  private *pages(scope: Scope, prefix: string, after: string | undefined, columns: string): Generator<Row[]> {
    const upper = prefix === '' ? undefined : prefixUpperBound(prefix);
    const range = upper === undefined ? '' : ' AND key < ?';
    let last = after !== undefined && compareKeys(after, prefix) >= 0 ? after : undefined;
    const id = this.db.scopeId(scope, false);
    for (;;) {
      const params: SQLiteValue[] = [id, last ?? prefix, ...(upper === undefined ? [] : [upper]), PAGE];
      const op = last === undefined ? '>=' : '>';
      const sql = `SELECT ${columns} FROM objects WHERE scope = ? AND key ${op} ?${range} ORDER BY key LIMIT ?`;
      const rows = this.db.rows(sql, params);
      if (rows.length > 0) yield rows;
      if (rows.length < PAGE) return;
      last = String(rows[rows.length - 1].key);
    }
  }

  /**
   * The recorded objects whose key starts with `prefix`, in key order (UTF-8 byte order, as the services
   * list), read a page at a time; `after` skips every key up to and including it.
   */
  *iterate(scope: Scope, prefix: string, after?: string): Generator<RecordedObject> {
    for (const rows of this.pages(scope, prefix, after, OBJECT_COLUMNS)) for (const row of rows) yield toObject(row);
  }

  /**
   * Like `iterate`, with only what a check needs (key, ETag, size, CRC-64s): fewer columns to read when a
   * run walks millions of rows.
   */
  *iterateBrief(scope: Scope, prefix: string, after?: string): Generator<BriefObject> {
    for (const rows of this.pages(scope, prefix, after, 'key, etag, size, last_modified, crc64, previous_crc64')) {
      for (const row of rows) {
        const o: BriefObject = { key: row.key as string, size: Number(row.size) };
        if (row.etag !== null) o.etag = row.etag as string;
        if (row.last_modified !== null) o.lastModified = Number(row.last_modified);
        if (row.crc64 !== null) o.crc64 = row.crc64 as string;
        if (row.previous_crc64 !== null) o.previousCrc64 = row.previous_crc64 as string;
        yield o;
      }
    }
  }

  /** Whether `obj` must be HEADed (see `needsHead`). */
  needsHead(scope: Scope, obj: ListedObject): boolean {
    return needsHead(this.get(scope, obj.key), obj);
  }

  deleteMany(scope: Scope, keys: readonly string[]): void {
    const id = this.db.scopeId(scope, false);
    this.db.transaction(() => {
      for (const key of keys) this.db.rows('DELETE FROM objects WHERE scope = ? AND key = ?', [id, key]);
    });
  }

  /** When the oldest and the newest of the objects below `prefix` were learnt (ms since the epoch); `undefined` when there are none. */
  checkedBetween(scope: Scope, prefix = ''): { oldest: number; newest: number } | undefined {
    const params: SQLiteValue[] = [this.db.scopeId(scope, false), prefix];
    const range = prefix === '' ? '' : ' AND key < ?';
    if (prefix !== '') params.push(prefixUpperBound(prefix));
    const row = this.db.row(
      `SELECT min(checked_at) AS oldest, max(checked_at) AS newest FROM objects WHERE scope = ? AND key >= ?${range}`,
      params,
    ) as Row;
    return row.oldest === null ? undefined : { oldest: Number(row.oldest), newest: Number(row.newest) };
  }

  /** Number of recorded objects below `prefix`. */
  count(scope: Scope, prefix = ''): number {
    const params: SQLiteValue[] = [this.db.scopeId(scope, false), prefix];
    const range = prefix === '' ? '' : ' AND key < ?';
    if (prefix !== '') params.push(prefixUpperBound(prefix));
    const row = this.db.row(`SELECT count(*) AS n FROM objects WHERE scope = ? AND key >= ?${range}`, params) as Row;
    return Number(row.n);
  }
}

/** The SQL of the batch statements, built once (the record caches its statements by their text). */
const SQL = new Map<string, string>();
function statementSql(rows: number, shared: boolean): string {
  const id = `${rows}:${shared}`;
  let sql = SQL.get(id);
  if (sql === undefined) SQL.set(id, (sql = upsertSql(rows, shared)));
  return sql;
}

function sharesSourceAndTime(rows: readonly ObjectUpdate[], from: number, n: number, now: number): boolean {
  const source = rows[from].source;
  const at = rows[from].checkedAt ?? now;
  for (let j = from + 1; j < from + n; j++) if (rows[j].source !== source || (rows[j].checkedAt ?? now) !== at) return false;
  return true;
}

function fillRow(values: SQLiteValue[], at: number, o: ObjectUpdate, shared: boolean, now: number): void {
  values[at] = o.key;
  values[at + 1] = normalizeEtag(o.etag);
  values[at + 2] = o.size;
  values[at + 3] = o.lastModified ?? null;
  values[at + 4] = o.crc64 ?? null;
  if (shared) return;
  values[at + 5] = o.source;
  values[at + 6] = o.checkedAt ?? now;
}

function toObject(row: Row): RecordedObject {
  const o: RecordedObject = {
    key: String(row.key),
    size: Number(row.size),
    source: row.source as RecordSource,
    checkedAt: Number(row.checked_at),
  };
  if (row.etag !== null) o.etag = String(row.etag);
  if (row.last_modified !== null) o.lastModified = Number(row.last_modified);
  if (row.crc64 !== null) o.crc64 = String(row.crc64);
  if (row.previous_crc64 !== null) o.previousCrc64 = String(row.previous_crc64);
  return o;
}
