import * as l10n from '@vscode/l10n';
import { relative, sep } from 'node:path';
import { walkFiles } from '../../util/walk';
import { compareKeys } from '../../record/keyOrder';
import type { CrcRecord } from '../../record/record';
import { LocalCrcs, type FileHasher } from '../../crc/localCrcs';
import { streamHasher, type HashOutcome, type LocalHasher } from '../../crc/hashers';

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

/**
 * Local hashing for a verify run: through the record's local-files store (`LocalCrcs`: a remembered
 * CRC-64 only when it cannot be stale), the rest hashed by `hasher` (the worker pool in the CLI and the
 * extension).
 */
export function recordHasher(record: CrcRecord, hasher: LocalHasher = streamHasher): LocalHasher {
  const asFileHasher: FileHasher = async (misses, sig) =>
    (await hasher(misses, sig, () => undefined)).map((h) =>
      h.error || h.crc64 === undefined
        ? { path: h.path, error: h.error ?? new Error(l10n.t('not hashed')) }
        : { path: h.path, size: h.size ?? 0, crc64: h.crc64 },
    );
  return async (paths, signal, onProgress) => {
    const hashed = await new LocalCrcs(record.localFiles).hash(paths, asFileHasher, signal, onProgress);
    return hashed.map((h): HashOutcome =>
      'error' in h ? { path: h.path, error: h.error } : { path: h.path, size: h.size, crc64: h.crc64 },
    );
  };
}
