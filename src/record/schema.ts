/**
 * The record's tables. `PRAGMA user_version` holds SCHEMA_VERSION; a file written by a newer version is
 * refused untouched (its tables may mean something this version does not know).
 */
export const SCHEMA_VERSION = 2;

/**
 * Version 2 keys objects by a scope number (one row of `scopes` per profile and bucket) instead of the
 * profile and bucket strings on every row: rows a third smaller, and an import of millions measured about
 * 1.4× the rows per second (fewer bytes to bind, compare and write).
 */
export const OBJECTS_TABLE = (name: string): string => `CREATE TABLE IF NOT EXISTS ${name} (
  scope INTEGER NOT NULL,
  key TEXT NOT NULL,
  etag TEXT,
  size INTEGER NOT NULL,
  last_modified INTEGER,
  crc64 TEXT,
  source TEXT NOT NULL CHECK (source IN ('head', 'inventory', 'download', 'upload')),
  checked_at INTEGER NOT NULL,
  -- The CRC-64 recorded before a later check reported another one for the same ETag and size.
  previous_crc64 TEXT,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID`;

export const SCOPES_TABLE = `CREATE TABLE IF NOT EXISTS scopes (
  id INTEGER PRIMARY KEY,
  profile TEXT NOT NULL,
  bucket TEXT NOT NULL,
  UNIQUE (profile, bucket)
)`;

export const SCHEMA = `
${SCOPES_TABLE};
${OBJECTS_TABLE('objects')};
-- Local files as LocalCrcs remembers them (src/crc/localCrcs.ts); stamps in nanoseconds, as decimal text.
-- It replaced "files" (keyed on mtime in ms and inode only: values that could lie, so they are dropped).
DROP TABLE IF EXISTS files;
CREATE TABLE IF NOT EXISTS local_files (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ns TEXT NOT NULL,
  ctime_ns TEXT NOT NULL,
  ino TEXT NOT NULL,
  dev TEXT NOT NULL,
  crc64 TEXT NOT NULL,
  hashed_at_ns TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_issues (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  issue TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
`;

const COLUMNS = 'scope, key, etag, size, last_modified, crc64, source, checked_at';
/** Values bound per row: the scope is bound once per statement, as ?1. */
export const ROW_VALUES = 7;
/** Values bound per row when the rows of a statement share their source and time (?2, ?3): an import. */
export const ROW_VALUES_SHARED = 5;

/**
 * Upsert of `rows` objects in one statement. Same ETag and size: the content is the same, so a CRC-64
 * that differs from the recorded one is kept as `previous_crc64` (the object is flagged), and a check that
 * brought no CRC-64 keeps the recorded one. A new ETag or size is new content: the old values go.
 * (Expressions in DO UPDATE read the row as it was before the update.)
 */
const SAME = 'excluded.etag IS objects.etag AND excluded.size = objects.size';
const ON_CONFLICT = `ON CONFLICT (scope, key) DO UPDATE SET
  previous_crc64 = CASE WHEN ${SAME} THEN
      CASE WHEN excluded.crc64 IS NOT NULL AND objects.crc64 IS NOT NULL AND excluded.crc64 != objects.crc64
        THEN objects.crc64 ELSE objects.previous_crc64 END
    ELSE NULL END,
  crc64 = CASE WHEN excluded.crc64 IS NULL AND ${SAME} THEN objects.crc64 ELSE excluded.crc64 END,
  source = CASE WHEN excluded.crc64 IS NULL AND ${SAME} AND objects.crc64 IS NOT NULL THEN objects.source ELSE excluded.source END,
  etag = excluded.etag,
  size = excluded.size,
  last_modified = excluded.last_modified,
  checked_at = excluded.checked_at`;

/**
 * The upsert of `rows` objects with numbered parameters: the values that repeat on every row (the scope;
 * with `shared`, also source and time) are bound once per statement instead of once per row —
 * each string bound costs a copy into WebAssembly memory, and an import binds millions.
 */
export function upsertSql(rows: number, shared: boolean): string {
  const per = shared ? ROW_VALUES_SHARED : ROW_VALUES;
  const first = shared ? 4 : 2;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const p = first + r * per;
    const own = (i: number) => `?${p + i}`;
    tuples.push(
      shared
        ? `(?1,${own(0)},${own(1)},${own(2)},${own(3)},${own(4)},?2,?3)`
        : `(?1,${own(0)},${own(1)},${own(2)},${own(3)},${own(4)},${own(5)},${own(6)})`,
    );
  }
  return `INSERT INTO objects (${COLUMNS}) VALUES ${tuples.join(',')}\n${ON_CONFLICT}`;
}

export const OBJECT_COLUMNS = 'key, etag, size, last_modified, crc64, source, checked_at, previous_crc64';
export const SELECT_OBJECT = `SELECT ${OBJECT_COLUMNS} FROM objects`;
