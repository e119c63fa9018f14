import type { SQLiteValue } from 'node-sqlite3-wasm';

/**
 * The shapes of the CRC record's three stores (objects, local files, run journal), apart from the stores
 * themselves so that each can name them without importing the others.
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

/**
 * Many objects learnt from one source at one time, a column per field (an inventory import: arrays cross a
 * worker thread and fill statements without an object per row). `etags` may carry quotes; the inventory
 * parser gives them as `normalizeEtag` leaves them.
 */
export interface ObjectColumns {
  source: RecordSource;
  checkedAt: number;
  keys: string[];
  etags: Array<string | null>;
  sizes: number[];
  lastModified: Array<number | null>;
  crc64s: Array<string | null>;
}

export interface Scope {
  profile: string;
  bucket: string;
}

/** A row as SQLite returns it. */
export type Row = Record<string, SQLiteValue>;

/** What a store needs of the record: its prepared statements and its one transaction. */
export interface RecordStatements {
  scopeId(scope: Scope, create: boolean): number;
  rows(sql: string, params: SQLiteValue[]): Row[];
  row(sql: string, params: SQLiteValue[]): Row | null;
  transaction<T>(fn: () => T): T;
}
