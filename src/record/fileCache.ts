import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { CrcCache, type FileIdentity } from '../crc/cache';
import type { CrcRecord } from './record';

/** What the cache needs to reach the record: run work with it open (e.g. the UI's `RecordAccess`). */
export interface RecordUser {
  use<T>(work: (record: CrcRecord) => Promise<T> | T): Promise<T>;
}

/**
 * The local-file CRC-64 cache kept in the record's `files` table (same keying as `CrcCache`: path, size,
 * mtime, inode). Lookups stay synchronous for the hash pool: the rows are read once at open and new values
 * are written back by `save()`, so the record is held only for those moments.
 */
export class RecordCrcCache extends CrcCache {
  private readonly pending = new Map<string, { stat: FileIdentity; crc64: bigint }>();

  private constructor(private readonly access: RecordUser) {
    super(Number.MAX_SAFE_INTEGER);
  }

  /**
   * The cache backed by the record. A `legacyJson` cache file is imported once and renamed aside
   * (`.imported`). Rejects (with the record's error) when the record cannot be opened.
   */
  static async openIn(access: RecordUser, legacyJson?: string): Promise<RecordCrcCache> {
    const cache = new RecordCrcCache(access);
    const legacy = legacyJson && existsSync(legacyJson) ? await CrcCache.open(legacyJson) : undefined;
    await access.use((record) => {
      if (legacy) record.transaction(() => legacy.forEach((path, stat, crc) => record.setFileCrc(path, stat, crc)));
      for (const f of record.fileCrcs()) cache.set(f.path, f, f.crc64);
    });
    cache.pending.clear();
    if (legacy && legacyJson) await rename(legacyJson, `${legacyJson}.imported`);
    return cache;
  }

  override set(path: string, stat: FileIdentity, crc64: bigint): void {
    super.set(path, stat, crc64);
    this.pending.set(path, { stat: { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino ?? 0 }, crc64 });
  }

  /** Writes the values learnt since the last save into the record (no-op when there are none). */
  override async save(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    try {
      await this.access.use((record) => record.transaction(() => batch.forEach(([path, e]) => record.setFileCrc(path, e.stat, e.crc64))));
    } catch (err) {
      // Kept for the next save (the other window may have let the record go by then).
      for (const [path, e] of batch) if (!this.pending.has(path)) this.pending.set(path, e);
      throw err;
    }
  }
}
