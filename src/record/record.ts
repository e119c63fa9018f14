import * as l10n from '@vscode/l10n';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database as SqliteDatabase, SQLiteValue, Statement } from 'node-sqlite3-wasm';
import { RecordError } from './errors';
import { LocalFileStore } from './localFiles';
import { RecordedObjects } from './objects';
import { RunJournal } from './runJournal';
import { breakStaleLock, lockHolder, removeOwner, writeOwner } from './lock';
import { hasV1Objects, moveV1, type MoveOptions } from './migrate';
import { SCHEMA, SCHEMA_VERSION } from './schema';
import type { RecordStatements, Row, Scope } from './types';

/**
 * The CRC record: three stores in one SQLite file — `objects` (what is known about every object checked
 * so far: ETag, size, CRC-64, where the CRC-64 came from, when), `localFiles` (the CRC-64 of local files)
 * and the journal of resumable runs (`journal()`) — with one transaction API over the three
 * (`transaction`): a verify page writes what it learnt of objects and where the run is at once. One
 * SQLite file (SQLite compiled to WebAssembly, so the same file works in the extension host and the CLI
 * without a native build).
 *
 * One process holds the file while it is open; another gets a `RecordError('locked')` after a short wait.
 * Reads by prefix are paged in key order, so a bucket of millions never sits in memory.
 */

export interface OpenOptions {
  /** How long to wait for another process to release the record (default 3 s). */
  busyTimeoutMs?: number;
  /** A record of an older version is moved to this one on open (see ./migrate.ts). */
  move?: MoveOptions;
}

export type { BriefObject, ObjectColumns, ObjectUpdate, RecordedObject, RecordSource, Row, Scope } from './types';
export { needsHead, type ListedObject } from './freshness';

function loadSqlite(): typeof import('node-sqlite3-wasm') {
  // Loaded on first open: the WebAssembly module costs nothing to users who never verify a bucket.
  return require('node-sqlite3-wasm') as typeof import('node-sqlite3-wasm');
}

function isBusy(err: unknown): boolean {
  return /locked|busy/i.test(String((err as Error)?.message));
}

export class CrcRecord implements RecordStatements {
  private readonly statements = new Map<string, Statement>();
  private readonly scopeIds = new Map<string, number>();
  /** The file's objects are still version 1's (open() moves them). */
  private olderObjects = false;
  private closed = false;
  /** What is known of each object (ETag, size, LastModified, CRC-64), per profile and bucket. */
  readonly objects: RecordedObjects = new RecordedObjects(this);
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
      let record: CrcRecord;
      try {
        record = CrcRecord.tryOpen(file);
      } catch (err) {
        if (!(err instanceof RecordError && err.kind === 'locked')) throw err;
        if (breakStaleLock(file, Math.max(timeout, 1000))) continue;
        if (Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (record.olderObjects) await record.moveObjects(options.move);
      return record;
    }
  }

  private static tryOpen(file: string): CrcRecord {
    const { Database } = loadSqlite();
    let db: SqliteDatabase;
    try {
      db = new Database(file);
    } catch (err) {
      throw new RecordError(
        'unreadable',
        l10n.t('The CRC record {0} cannot be opened: {1}.', file, (err as Error).message),
        l10n.t('Check the permissions of its folder.'),
      );
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
          pid
            ? l10n.t('The CRC record is in use by another window (process {0}).', pid)
            : l10n.t('The CRC record is in use by another window.'),
          l10n.t('Close the other window or command that verifies buckets, or wait for it to finish, then try again.'),
        );
      }
      throw new RecordError(
        'unreadable',
        l10n.t('{0} is not a CRC record ({1}).', file, (err as Error).message),
        l10n.t('Move the file away; a new record is created in its place.'),
      );
    }
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new RecordError(
        'newer-version',
        l10n.t(
          'The CRC record {0} was written by a newer version of Bucket Integrity (record version {1}, this version reads {2}).',
          file,
          version,
          SCHEMA_VERSION,
        ),
        l10n.t('Update Bucket Integrity; the record was left as it is.'),
      );
    }
    writeOwner(file);
    const record = new CrcRecord(db, file);
    try {
      // 64 KiB pages for a new file (an existing one keeps its own): the WebAssembly build writes each page
      // with its own system call, and an import of millions of rows writes every page twice (WAL, then the
      // checkpoint); 16 times fewer calls measured ~1.3× the rows/s of 4 KiB pages.
      db.exec('PRAGMA page_size = 65536; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16000;');
      // A version 1 objects table is moved by open(), a chunk at a time; the rest of the schema comes with it.
      if (version === 1 && hasV1Objects(record)) record.olderObjects = true;
      else {
        db.exec(SCHEMA);
        if (version < SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      }
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      record.close();
      throw new RecordError('unreadable', l10n.t('The CRC record {0} cannot be written: {1}.', file, (err as Error).message));
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

  /** Version 1's objects moved to this version's tables; the record is closed if that fails. */
  private async moveObjects(move: MoveOptions | undefined): Promise<void> {
    const db = this.db;
    try {
      await moveV1(
        {
          exec: (sql) => db.exec(sql),
          rows: (sql, p) => this.rows(sql, p),
          // Every statement read to its end: one left mid-step keeps DROP TABLE from running ("table is locked").
          row: (sql, p) => this.rows(sql, p)[0] ?? null,
          get inTransaction() {
            return db.inTransaction;
          },
        },
        move,
      );
      this.olderObjects = false;
    } catch (err) {
      this.close();
      throw new RecordError('unreadable', l10n.t('The CRC record {0} cannot be written: {1}.', this.file, (err as Error).message));
    }
  }

  /**
   * @internal The number that stands for a profile and bucket in the record's rows. Unknown ones get a
   * new number with `create`, else -1 (which no row has: a read finds nothing).
   */
  scopeId(scope: Scope, create: boolean): number {
    const name = `${scope.profile}\n${scope.bucket}`;
    const known = this.scopeIds.get(name);
    if (known !== undefined) return known;
    let row = this.row('SELECT id FROM scopes WHERE profile = ? AND bucket = ?', [scope.profile, scope.bucket]);
    // All rows read: a RETURNING statement left mid-step would keep the transaction from committing.
    if (!row && create)
      row = this.rows('INSERT INTO scopes (profile, bucket) VALUES (?, ?) RETURNING id', [scope.profile, scope.bucket])[0];
    if (!row) return -1;
    const id = Number(row.id);
    this.scopeIds.set(name, id);
    return id;
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
      // A scope numbered inside the transaction is gone with it.
      this.scopeIds.clear();
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
