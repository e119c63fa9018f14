import { relative, sep } from 'node:path';
import { walkFiles } from '../../util/walk';
import { compareKeys } from '../../record/keyOrder';
import type { CrcRecord } from '../../record/record';
import { LocalCrcs, type FileHasher } from '../../crc/localCrcs';
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
 * CRC-64s of local files through the record's local-files store (`LocalCrcs`: a remembered value only when
 * it cannot be stale), the rest hashed by `hasher` (the worker pool in the CLI and the extension).
 */
export async function hashLocal(
  record: CrcRecord,
  paths: readonly string[],
  hasher: LocalHasher = streamHasher,
  signal?: AbortSignal,
): Promise<Map<string, LocalHash>> {
  const asFileHasher: FileHasher = async (misses, sig) =>
    (await hasher(misses, sig, () => undefined)).map((h) =>
      h.error || h.crc64 === undefined ? { path: h.path, error: h.error ?? new Error('not hashed') } : { path: h.path, size: h.size ?? 0, crc64: h.crc64 },
    );
  const hashed = await new LocalCrcs(record.localFiles).hash(paths, asFileHasher, signal);
  return new Map(hashed.map((h): [string, LocalHash] => [h.path, 'error' in h ? { size: 0, error: h.error } : { size: h.size, crc64: h.crc64 }]));
}
