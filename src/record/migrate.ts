import type { RecordStatements } from './types';
import { OBJECTS_TABLE, SCHEMA, SCHEMA_VERSION, SCOPES_TABLE } from './schema';

/**
 * A version 1 record (profile and bucket on every object's row) moved to version 2 (a scope number), in
 * one transaction: every row is kept or, if anything fails, none is touched. The rows are copied a
 * chunk at a time with a turn of the event loop between chunks, so a record of millions moved in the
 * extension host does not freeze the editor.
 */

export interface MoveOptions {
  /** Rows copied between two turns of the event loop (default 50,000: about 0.1 s). */
  chunkRows?: number;
  /** The rows moved so far, after each chunk. */
  onProgress?(rows: number): void;
}

/** What the move needs of the open file: statements, and plain SQL for the transaction and the tables. */
export interface Migrating extends Pick<RecordStatements, 'rows' | 'row'> {
  exec(sql: string): void;
  readonly inTransaction: boolean;
}

const COPY = `INSERT INTO objects_v2 (scope, key, etag, size, last_modified, crc64, source, checked_at, previous_crc64)
  SELECT ?, key, etag, size, last_modified, crc64, source, checked_at, previous_crc64 FROM objects`;

/** Whether the record's objects table is version 1's. */
export function hasV1Objects(db: Pick<RecordStatements, 'rows'>): boolean {
  return db.rows('PRAGMA table_info(objects)', []).some((c) => c.name === 'profile');
}

/** Moves every object row to version 2's tables; the caller holds no transaction. */
export async function moveV1(db: Migrating, o: MoveOptions = {}): Promise<void> {
  const chunk = Math.max(1, o.chunkRows ?? 50_000);
  db.exec('BEGIN');
  try {
    db.exec(`${SCOPES_TABLE}; ${OBJECTS_TABLE('objects_v2')};`);
    let moved = 0;
    // Each (profile, bucket) found by a seek past the one before: no scan of the whole table.
    let scope = db.row('SELECT profile, bucket FROM objects ORDER BY profile, bucket LIMIT 1', []);
    while (scope) {
      const { profile, bucket } = scope;
      const id = db.rows('INSERT INTO scopes (profile, bucket) VALUES (?, ?) RETURNING id', [profile, bucket])[0].id;
      let after: string | undefined;
      for (;;) {
        const from = after === undefined ? 'key >= ?' : 'key > ?';
        const where = `WHERE profile = ? AND bucket = ? AND ${from}`;
        const params = [profile, bucket, after ?? ''];
        const end = db.row(`SELECT key FROM objects ${where} ORDER BY key LIMIT 1 OFFSET ?`, [...params, chunk - 1]);
        if (end) db.rows(`${COPY} ${where} AND key <= ?`, [id, ...params, end.key]);
        else db.rows(`${COPY} ${where}`, [id, ...params]);
        moved += Number(db.row('SELECT changes() AS n', [])?.n ?? 0);
        o.onProgress?.(moved);
        await new Promise((resolve) => setImmediate(resolve));
        if (!end) break;
        after = String(end.key);
      }
      scope = db.row('SELECT profile, bucket FROM objects WHERE (profile, bucket) > (?, ?) ORDER BY profile, bucket LIMIT 1', [
        profile,
        bucket,
      ]);
    }
    db.exec(`DROP TABLE objects; ALTER TABLE objects_v2 RENAME TO objects; ${SCHEMA}; PRAGMA user_version = ${SCHEMA_VERSION};`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
