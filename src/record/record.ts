import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database as SqliteDatabase, SQLiteValue, Statement } from 'node-sqlite3-wasm';
import { RecordError } from './errors';
import { compareKeys, normalizeEtag, prefixUpperBound } from './keyOrder';
import { needsHead, type ListedObject } from './freshness';
import { LocalFileStore } from './localFiles';
import { RunJournal } from './runJournal';
import { breakStaleLock, lockHolder, removeOwner, writeOwner } from './lock';
import { COLUMN_COUNT, OBJECT_COLUMNS, SCHEMA, SCHEMA_VERSION, SELECT_OBJECT, upsertSql } from './schema';

/**
 * The CRC record: what is known about every object checked so far (ETag, size, CRC-64, where the CRC-64
 * came from, when), the CRC-64 of local files (`localFiles`) and the journal of resumable runs, in one
 * SQLite file (SQLite compiled to WebAssembly, so the same file works in the extension host and the CLI
 * without a native build).
 *
 * One process holds the file while it is open; another gets a `RecordError('locked')` after a short wait.
 * Reads by prefix are paged in key order, so a bucket of millions never sits in memory.
 */

export type RecordSource = 'head' | 'inventory' | 'download' | 'upload';

export interface RecordedObject {
  key: string;
  /** Without quotes, lower case. */
  etag?: string;
  size: number;
  /** Milliseconds since the epoch. */
  lastModified?: number;
  /** Unsigned decimal; absent when the object has none. */
  crc64?: string;
  source: RecordSource;
  /** When this was learnt (ms since the epoch). */
  checkedAt: number;
  /** Set when a later check reported another CRC-64 for the same ETag and size (the object changed silently). */
  previousCrc64?: string;
}

/** What a check needs of a recorded object. */
export type BriefObject = Pick<RecordedObject, 'key' | 'etag' | 'size' | 'lastModified' | 'crc64' | 'previousCrc64'>;

/** One object to record; `etag` may carry the quotes the services send. */
export type ObjectUpdate = Omit<RecordedObject, 'previousCrc64' | 'checkedAt'> & { checkedAt?: number };

export interface Scope {
  profile: string;
  bucket: string;
}

export interface OpenOptions {
  /** How long to wait for another process to release the record (default 3 s). */
  busyTimeoutMs?: number;
}

const BATCH = 100;
const PAGE = 1000;

export type Row = Record<string, SQLiteValue>;

export { needsHead, type ListedObject };

function loadSqlite(): typeof import('node-sqlite3-wasm') {
  // Loaded on first open: the WebAssembly module costs nothing to users who never verify a bucket.
  return require('node-sqlite3-wasm') as typeof import('node-sqlite3-wasm');
}

function isBusy(err: unknown): boolean {
  return /locked|busy/i.test(String((err as Error)?.message));
}

export class CrcRecord {
  private readonly statements = new Map<string, Statement>();
  private closed = false;
  /** The CRC-64s of local files (`LocalCrcs` reads and writes them). */
  readonly localFiles: LocalFileStore = new LocalFileStore(this);
  private readonly runs = new RunJournal<unknown, unknown>(this);

  private constructor(
    private readonly db: SqliteDatabase,
    /** Path of the record file. */
    readonly file: string,
  ) {}

  /**
   * Opens (creating if needed) the record at `file`. Rejects with `RecordError`: `locked` when another
   * process keeps it open past `busyTimeoutMs`, `newer-version` for a file from a newer version of the
   * extension, `unreadable` for a file that is not a record — in every case the file is left untouched.
   */
  static async open(file: string, options: OpenOptions = {}): Promise<CrcRecord> {
    mkdirSync(dirname(file), { recursive: true });
    const timeout = options.busyTimeoutMs ?? 3000;
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        return CrcRecord.tryOpen(file);
      } catch (err) {
        if (!(err instanceof RecordError && err.kind === 'locked')) throw err;
        if (breakStaleLock(file, Math.max(timeout, 1000))) continue;
        if (Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private static tryOpen(file: string): CrcRecord {
    const { Database } = loadSqlite();
    let db: SqliteDatabase;
    try {
      db = new Database(file);
    } catch (err) {
      throw new RecordError('unreadable', `The CRC record ${file} cannot be opened: ${(err as Error).message}.`, 'Check the permissions of its folder.');
    }
    let version: number;
    try {
      // Exclusive mode before the first read: the lock taken by that read is kept until close.
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      version = Number((db.get('PRAGMA user_version') as Row).user_version);
    } catch (err) {
      db.close();
      if (isBusy(err)) {
        const pid = lockHolder(file);
        throw new RecordError(
          'locked',
          `The CRC record is in use by another window${pid ? ` (process ${pid})` : ''}.`,
          'Close the other window or command that verifies buckets, or wait for it to finish, then try again.',
        );
      }
      throw new RecordError('unreadable', `${file} is not a CRC record (${(err as Error).message}).`, 'Move the file away; a new record is created in its place.');
    }
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new RecordError(
        'newer-version',
        `The CRC record ${file} was written by a newer version of Bucket Integrity (record version ${version}, this version reads ${SCHEMA_VERSION}).`,
        'Update Bucket Integrity; the record was left as it is.',
      );
    }
    writeOwner(file);
    const record = new CrcRecord(db, file);
    try {
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16000;');
      db.exec(SCHEMA);
      if (version < SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    } catch (err) {
      record.close();
      throw new RecordError('unreadable', `The CRC record ${file} cannot be written: ${(err as Error).message}.`);
    }
    return record;
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** @internal The rows of a cached prepared statement (for the record's own query modules). */
  rows(sql: string, params: SQLiteValue[]): Row[] {
    return this.stmt(sql).all(params) as Row[];
  }

  /** @internal The first row of a cached prepared statement, or `null`. */
  row(sql: string, params: SQLiteValue[]): Row | null {
    return this.stmt(sql).get(params) as Row | null;
  }

  /**
   * Runs `fn` in one transaction (or inside the one already open): all of it is recorded, or none. An
   * async `fn` (an inventory file imported in batches) keeps the transaction open across its awaits and
   * commits when it resolves; nothing else may write in between.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.db.exec('BEGIN');
    const rollback = (err: unknown): never => {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    };
    let result: T;
    try {
      result = fn();
    } catch (err) {
      return rollback(err);
    }
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        if (this.db.inTransaction) this.db.exec('COMMIT');
        return value;
      }, rollback) as T;
    }
    this.db.exec('COMMIT');
    return result;
  }

  /** Records many objects of one bucket at once (multi-row statements in one transaction). */
  upsertMany(scope: Scope, rows: readonly ObjectUpdate[]): void {
    const now = Date.now();
    this.transaction(() => {
      let i = 0;
      const values: SQLiteValue[] = new Array(BATCH * COLUMN_COUNT);
      for (; i + BATCH <= rows.length; i += BATCH) {
        for (let j = 0; j < BATCH; j++) fillRow(values, j * COLUMN_COUNT, scope, rows[i + j], now);
        this.stmt(upsertSql(BATCH)).run(values);
      }
      const single: SQLiteValue[] = new Array(COLUMN_COUNT);
      for (; i < rows.length; i++) {
        fillRow(single, 0, scope, rows[i], now);
        this.stmt(upsertSql(1)).run(single);
      }
    });
  }

  get(scope: Scope, key: string): RecordedObject | undefined {
    const row = this.stmt(`${SELECT_OBJECT} WHERE profile = ? AND bucket = ? AND key = ?`).get([scope.profile, scope.bucket, key]) as Row | null;
    return row ? toObject(row) : undefined;
  }

  /** Rows below `prefix` in key order, a page at a time (keyset paging: each page starts after the last key). */
  private *pages(scope: Scope, prefix: string, after: string | undefined, columns: string): Generator<Row[]> {
    const upper = prefix === '' ? undefined : prefixUpperBound(prefix);
    const range = upper === undefined ? '' : ' AND key < ?';
    let last = after !== undefined && compareKeys(after, prefix) >= 0 ? after : undefined;
    for (;;) {
      const params: SQLiteValue[] = [scope.profile, scope.bucket, last ?? prefix, ...(upper === undefined ? [] : [upper]), PAGE];
      const op = last === undefined ? '>=' : '>';
      const sql = `SELECT ${columns} FROM objects WHERE profile = ? AND bucket = ? AND key ${op} ?${range} ORDER BY key LIMIT ?`;
      const rows = this.stmt(sql).all(params) as Row[];
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
    this.transaction(() => {
      for (const key of keys) this.stmt('DELETE FROM objects WHERE profile = ? AND bucket = ? AND key = ?').run([scope.profile, scope.bucket, key]);
    });
  }

  /** When the oldest and the newest of the objects below `prefix` were learnt (ms since the epoch); `undefined` when there are none. */
  checkedBetween(scope: Scope, prefix = ''): { oldest: number; newest: number } | undefined {
    const params: SQLiteValue[] = [scope.profile, scope.bucket, prefix];
    const range = prefix === '' ? '' : ' AND key < ?';
    if (prefix !== '') params.push(prefixUpperBound(prefix));
    const row = this.stmt(`SELECT min(checked_at) AS oldest, max(checked_at) AS newest FROM objects WHERE profile = ? AND bucket = ? AND key >= ?${range}`).get(params) as Row;
    return row.oldest === null ? undefined : { oldest: Number(row.oldest), newest: Number(row.newest) };
  }

  /** Number of recorded objects below `prefix`. */
  count(scope: Scope, prefix = ''): number {
    const params: SQLiteValue[] = [scope.profile, scope.bucket, prefix];
    const range = prefix === '' ? '' : ' AND key < ?';
    if (prefix !== '') params.push(prefixUpperBound(prefix));
    const row = this.stmt(`SELECT count(*) AS n FROM objects WHERE profile = ? AND bucket = ? AND key >= ?${range}`).get(params) as Row;
    return Number(row.n);
  }

  /**
   * The journal of resumable runs, seen with the entry types of one feature (its one typed view, e.g.
   * `verifyJournal`): the record stores them as JSON and does not know them.
   */
  journal<State, Issue>(): RunJournal<State, Issue> {
    return this.runs as RunJournal<State, Issue>;
  }

  /** Releases the file (and its lock). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.statements.values()) s.finalize();
    this.statements.clear();
    try {
      this.db.close();
    } finally {
      removeOwner(this.file);
    }
  }
}

function fillRow(values: SQLiteValue[], at: number, scope: Scope, o: ObjectUpdate, now: number): void {
  values[at] = scope.profile;
  values[at + 1] = scope.bucket;
  values[at + 2] = o.key;
  values[at + 3] = normalizeEtag(o.etag);
  values[at + 4] = o.size;
  values[at + 5] = o.lastModified ?? null;
  values[at + 6] = o.crc64 ?? null;
  values[at + 7] = o.source;
  values[at + 8] = o.checkedAt ?? now;
}

function toObject(row: Row): RecordedObject {
  const o: RecordedObject = { key: String(row.key), size: Number(row.size), source: row.source as RecordSource, checkedAt: Number(row.checked_at) };
  if (row.etag !== null) o.etag = String(row.etag);
  if (row.last_modified !== null) o.lastModified = Number(row.last_modified);
  if (row.crc64 !== null) o.crc64 = String(row.crc64);
  if (row.previous_crc64 !== null) o.previousCrc64 = String(row.previous_crc64);
  return o;
}
