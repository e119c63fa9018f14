import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { walkFiles } from '../../util/walk';
import { compareKeys } from '../../record/keyOrder';
import type { CrcRecord } from '../../record/record';
import { streamHasher, type LocalHasher } from '../../crc/hashers';

/** The local side of a verify run: every file below a folder, in the order the bucket lists keys. */
export class LocalFiles {
  private next = 0;

  private constructor(
    readonly dir: string,
    /** Relative paths with `/` separators, sorted like keys. */
    private readonly rels: string[],
  ) {}

  /** Walks `dir` (a missing folder has no files); files at or before `after` are left out (a resumed run). */
  static async scan(dir: string, signal?: AbortSignal, after?: string): Promise<LocalFiles> {
    let paths: string[];
    try {
      paths = await walkFiles(dir, { signal, onError: () => undefined });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      paths = [];
    }
    const rels = paths.map((p) => (sep === '/' ? relative(dir, p) : relative(dir, p).split(sep).join('/'))).sort(compareKeys);
    const files = new LocalFiles(dir, rels);
    if (after !== undefined) while (files.next < rels.length && compareKeys(rels[files.next], after) <= 0) files.next++;
    return files;
  }

  /** Files not taken yet. */
  get remaining(): number {
    return this.rels.length - this.next;
  }

  /** Files before `rel` not taken yet (they have no object); with `undefined`, all that are left. */
  takeBefore(rel: string | undefined): string[] {
    const start = this.next;
    while (this.next < this.rels.length && (rel === undefined || compareKeys(this.rels[this.next], rel) < 0)) this.next++;
    return this.rels.slice(start, this.next);
  }

  /** Takes `rel` if it is the next file. */
  take(rel: string): boolean {
    if (this.next < this.rels.length && this.rels[this.next] === rel) {
      this.next++;
      return true;
    }
    return false;
  }

  pathOf(rel: string): string {
    return `${this.dir}${sep}${rel.split('/').join(sep)}`;
  }
}

export interface LocalHash {
  size: number;
  crc64?: bigint;
  error?: Error;
}

/**
 * CRC-64s of local files, from the record's file table when size, mtime and inode are unchanged,
 * otherwise hashed (by `hasher`, the worker pool in the CLI and the extension) and remembered.
 */
export async function hashWithRecord(
  record: CrcRecord,
  paths: readonly string[],
  hasher: LocalHasher = streamHasher,
  signal?: AbortSignal,
): Promise<Map<string, LocalHash>> {
  const out = new Map<string, LocalHash>();
  const misses: Array<{ path: string; id: { size: number; mtimeMs: number; ino: number } }> = [];
  for (const path of paths) {
    try {
      const s = await stat(path);
      const id = { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
      const known = record.fileCrc(path, id);
      if (known !== undefined) out.set(path, { size: s.size, crc64: known });
      else misses.push({ path, id });
    } catch (err) {
      out.set(path, { size: 0, error: err as Error });
    }
  }
  if (misses.length === 0) return out;
  const hashed = await hasher(misses.map((m) => m.path), signal, () => undefined);
  hashed.forEach((h, i) => {
    const { path, id } = misses[i];
    if (h.error || h.crc64 === undefined) out.set(path, { size: id.size, error: h.error ?? new Error('not hashed') });
    else {
      // What was hashed is the truth; remember it only if the file did not change meanwhile.
      if (h.size === id.size) record.setFileCrc(path, id, h.crc64);
      out.set(path, { size: h.size ?? id.size, crc64: h.crc64 });
    }
  });
  return out;
}
