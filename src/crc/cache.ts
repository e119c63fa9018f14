import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * CRC-64 values of local files, remembered across reloads so unchanged files are not hashed again.
 *
 * An entry is valid only while the file's size, modification time and inode (where the platform has
 * one) are what they were when it was hashed. The cache is a JSON file the caller chooses (the
 * extension keeps it in its global storage); `save()` writes it atomically (temp file + rename).
 */

/** What the cache needs from a `fs.Stats` (a `Stats` or `BigIntStats`-like object works). */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino?: number;
}

interface Entry {
  size: number;
  mtimeMs: number;
  ino: number;
  crc64: string;
}

interface CacheFile {
  version: 1;
  entries: Record<string, Entry>;
}

const DEFAULT_MAX_ENTRIES = 100_000;

export class CrcCache {
  private entries = new Map<string, Entry>();
  private file?: string;
  private dirty = false;

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /** A cache loaded from `file` (empty if the file is missing or unreadable). */
  static async open(file: string, maxEntries?: number): Promise<CrcCache> {
    const cache = new CrcCache(maxEntries);
    await cache.load(file);
    return cache;
  }

  /**
   * Reads `file` and makes it the target of `save()`. A missing or corrupt file gives an empty cache:
   * the worst outcome of losing it is hashing again.
   */
  async load(file: string): Promise<void> {
    this.file = file;
    this.entries.clear();
    this.dirty = false;
    let parsed: CacheFile;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
    } catch {
      return;
    }
    if (parsed?.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null) return;
    for (const [path, e] of Object.entries(parsed.entries)) {
      if (isEntry(e)) this.entries.set(path, e);
    }
  }

  /** Writes the cache to the file given to `load` (no-op when nothing changed or no file was given). */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const data: CacheFile = { version: 1, entries: Object.fromEntries(this.entries) };
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, this.file);
    this.dirty = false;
  }

  /** The CRC-64 of `path` if it was hashed when it had exactly this size, mtime and inode. */
  get(path: string, stat: FileIdentity): bigint | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== stat.size || e.mtimeMs !== stat.mtimeMs || e.ino !== (stat.ino ?? 0)) return undefined;
    return BigInt(e.crc64);
  }

  set(path: string, stat: FileIdentity, crc64: bigint): void {
    // Re-inserting moves the entry to the end: the oldest entries are the first evicted.
    this.entries.delete(path);
    this.entries.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino ?? 0, crc64: crc64.toString() });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.dirty = true;
  }

  delete(path: string): void {
    if (this.entries.delete(path)) this.dirty = true;
  }

  clear(): void {
    if (this.entries.size > 0) this.dirty = true;
    this.entries.clear();
  }

  /** Calls `fn` for every entry, oldest first. */
  forEach(fn: (path: string, stat: FileIdentity, crc64: bigint) => void): void {
    for (const [path, e] of this.entries) fn(path, { size: e.size, mtimeMs: e.mtimeMs, ino: e.ino }, BigInt(e.crc64));
  }

  get size(): number {
    return this.entries.size;
  }
}

function isEntry(e: unknown): e is Entry {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  return (
    typeof x.size === 'number' &&
    typeof x.mtimeMs === 'number' &&
    typeof x.ino === 'number' &&
    typeof x.crc64 === 'string' &&
    /^\d{1,20}$/.test(x.crc64)
  );
}
