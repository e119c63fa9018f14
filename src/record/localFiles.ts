import { MemoryLocalCrcStore, type LocalCrcEntry, type LocalCrcStore } from '../crc/localCrcs';
import type { RecordStatements, Row } from './types';

export type { RecordStatements };

/** Paths per lookup query: well under SQLite's limit on bound parameters. */
const LOOKUP_BATCH = 500;

const UPSERT = `INSERT OR REPLACE INTO local_files (path, size, mtime_ns, ctime_ns, ino, dev, crc64, hashed_at_ns)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The CRC record's local-files store: what `LocalCrcs` remembered, read per batch of paths (a verify
 * page is one query, not one a file; nothing is loaded at open). Nanosecond stamps, inodes and devices
 * are kept as decimal text: they do not fit a double.
 */
export class LocalFileStore implements LocalCrcStore {
  constructor(private readonly db: RecordStatements) {}

  lookup(paths: readonly string[]): Map<string, LocalCrcEntry> {
    const out = new Map<string, LocalCrcEntry>();
    for (let i = 0; i < paths.length; i += LOOKUP_BATCH) {
      const batch = paths.slice(i, i + LOOKUP_BATCH);
      const sql = `SELECT * FROM local_files WHERE path IN (${batch.map(() => '?').join(',')})`;
      for (const r of this.db.rows(sql, batch)) out.set(String(r.path), toEntry(r));
    }
    return out;
  }

  remember(entries: readonly LocalCrcEntry[]): void {
    this.db.transaction(() => {
      for (const e of entries) {
        this.db.rows(UPSERT, [
          e.path,
          e.size,
          String(e.mtimeNs),
          String(e.ctimeNs),
          String(e.ino),
          String(e.dev),
          String(e.crc64),
          String(e.hashedAtNs),
        ]);
      }
    });
  }

  forget(path: string): void {
    this.db.rows('DELETE FROM local_files WHERE path = ?', [path]);
  }
}

function toEntry(r: Row): LocalCrcEntry {
  return {
    path: String(r.path),
    size: Number(r.size),
    mtimeNs: BigInt(String(r.mtime_ns)),
    ctimeNs: BigInt(String(r.ctime_ns)),
    ino: BigInt(String(r.ino)),
    dev: BigInt(String(r.dev)),
    crc64: BigInt(String(r.crc64)),
    hashedAtNs: BigInt(String(r.hashed_at_ns)),
  };
}

/** Anything that lends the open record for a moment (the editor's `RecordAccess`). */
export interface LocalFilesLender {
  use<T>(work: (record: { localFiles: LocalCrcStore }) => T | Promise<T>): Promise<T>;
}

/**
 * The local-files store of a record that is held only while it is used (the editor's). While the record
 * cannot be had (another window holds it, a newer version wrote it), values are kept in memory instead:
 * hashing never fails for it. `onUnavailable` hears why, once per failure streak.
 */
export function lentLocalFileStore(lender: LocalFilesLender, onUnavailable: (err: unknown) => void): LocalCrcStore {
  const memory = new MemoryLocalCrcStore();
  let failing = false;
  const attempt = async <T>(work: (store: LocalCrcStore) => T | Promise<T>): Promise<T> => {
    try {
      const result = await lender.use((record) => work(record.localFiles));
      failing = false;
      return result;
    } catch (err) {
      if (!failing) onUnavailable(err);
      failing = true;
      return work(memory);
    }
  };
  return {
    lookup: async (paths) => {
      const found = await attempt((store) => store.lookup(paths));
      // What was learnt while the record was away still counts.
      for (const [path, e] of memory.lookup(paths.filter((p) => !found.has(p)))) found.set(path, e);
      return found;
    },
    remember: (entries) => attempt((store) => store.remember(entries)),
  };
}
