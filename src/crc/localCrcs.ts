import * as l10n from '@vscode/l10n';
import type { BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { runLimited } from '../util/concurrency';

/**
 * The one source of remembered CRC-64s of local files, used by compute, compare, verify and the tree
 * (upload resume compares the same `FileStamp` before trusting the parts it sent).
 *
 * A remembered value is used only when it cannot lie (git's rule for its index):
 * - the file's size, mtime and ctime (nanoseconds), inode and device are all what they were when it was
 *   hashed — restoring an mtime (`touch -r`, copy tools) still changes the ctime;
 * - and the file had stopped changing before the hashing began: its mtime and ctime fall in an earlier
 *   second than the moment hashing started. Otherwise ("racy") a write in the same clock tick after the
 *   hash could leave every stamp as it was, so the value is hashed again.
 * A value is stored only when the file's stamp after hashing is the one it had before.
 *
 * Values live in a `LocalCrcStore` (the CRC record's local-files table; memory when the record cannot be
 * had) and are written as soon as they are learnt: callers have nothing to save.
 */

/** What identifies a file's contents without reading them. */
export interface FileStamp {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export interface LocalCrcEntry extends FileStamp {
  path: string;
  crc64: bigint;
  /** When the hashing began, in nanoseconds since the epoch. */
  hashedAtNs: bigint;
}

/** Where the entries are kept. Lookups come in batches (a verify page, a folder), never one query a file. */
export interface LocalCrcStore {
  lookup(paths: readonly string[]): Promise<Map<string, LocalCrcEntry>> | Map<string, LocalCrcEntry>;
  remember(entries: readonly LocalCrcEntry[]): Promise<void> | void;
}

/** One file's CRC-64, or why it has none (the pool's and the hashers' shape). */
export type FileHash = { path: string; size: number; crc64: bigint } | { path: string; error: Error };

/** Hashes files (the worker pool, a stream hasher), one outcome per path in the order given. */
export type FileHasher = (
  paths: readonly string[],
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
) => Promise<FileHash[]>;

const NS_PER_SECOND = 1_000_000_000n;
const STAT_CONCURRENCY = 64;

export function stampOf(s: BigIntStats): FileStamp {
  return { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino, dev: s.dev };
}

/** The stamp as one string (for JSON files such as upload checkpoints); equal strings, equal stamps. */
export function stampKey(s: FileStamp): string {
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`;
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev;
}

/** Whether `entry` may stand for the file that now has `now` (the rule above). */
export function canTrust(entry: LocalCrcEntry, now: FileStamp): boolean {
  if (!sameStamp(entry, now)) return false;
  const hashedSecond = entry.hashedAtNs / NS_PER_SECOND;
  const changedSecond = (entry.mtimeNs > entry.ctimeNs ? entry.mtimeNs : entry.ctimeNs) / NS_PER_SECOND;
  return changedSecond < hashedSecond;
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

async function stampAll(paths: readonly string[], signal?: AbortSignal): Promise<Array<FileStamp | undefined>> {
  const out: Array<FileStamp | undefined> = new Array(paths.length);
  await runLimited(
    paths.map((path, i) => ({ path, i })),
    STAT_CONCURRENCY,
    async ({ path, i }) => {
      // A file that cannot be stat'ed or is no file is left to the hasher, which says why.
      const s = await stat(path, { bigint: true }).catch(() => undefined);
      out[i] = s?.isFile() ? stampOf(s) : undefined;
    },
    { signal },
  );
  return out;
}

export class LocalCrcs {
  constructor(
    private readonly store: LocalCrcStore,
    /** The clock, in nanoseconds since the epoch (tests move it). */
    private readonly clock: () => bigint = nowNs,
  ) {}

  /**
   * CRC-64s of `paths`, in order: trusted remembered values, and the rest hashed by `hasher` and
   * remembered at once.
   */
  async hash(
    paths: readonly string[],
    hasher: FileHasher,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<FileHash[]> {
    const stamps = await stampAll(paths, signal);
    const known = await this.store.lookup(paths.filter((_, i) => stamps[i] !== undefined));
    const out: FileHash[] = new Array(paths.length);
    const misses: number[] = [];
    paths.forEach((path, i) => {
      const entry = known.get(path);
      const stamp = stamps[i];
      if (entry && stamp && canTrust(entry, stamp)) out[i] = { path, size: stamp.size, crc64: entry.crc64 };
      else misses.push(i);
    });
    if (misses.length === 0) return out;
    const hashedAtNs = this.clock();
    const hashed = await hasher(
      misses.map((i) => paths[i]),
      signal,
      onProgress,
    );
    const after = await stampAll(
      misses.map((i) => paths[i]),
      signal,
    );
    const learnt: LocalCrcEntry[] = [];
    misses.forEach((i, k) => {
      const h = hashed[k] ?? { path: paths[i], error: new Error(l10n.t('the file was not hashed')) };
      out[i] = h;
      const before = stamps[i];
      // Kept only if the file was the same before and after it was read.
      if (!('error' in h) && before && after[k] && sameStamp(before, after[k]) && h.size === before.size) {
        learnt.push({ path: h.path, ...before, crc64: h.crc64, hashedAtNs });
      }
    });
    if (learnt.length > 0) await this.store.remember(learnt);
    return out;
  }
}

/** Entries kept in memory only, the oldest dropped past `maxEntries` (when the record cannot be had). */
export class MemoryLocalCrcStore implements LocalCrcStore {
  private readonly entries = new Map<string, LocalCrcEntry>();

  constructor(private readonly maxEntries = 100_000) {}

  lookup(paths: readonly string[]): Map<string, LocalCrcEntry> {
    const out = new Map<string, LocalCrcEntry>();
    for (const p of paths) {
      const e = this.entries.get(p);
      if (e) out.set(p, e);
    }
    return out;
  }

  remember(entries: readonly LocalCrcEntry[]): void {
    for (const e of entries) {
      // Re-inserting moves the entry to the end: the oldest are the first dropped.
      this.entries.delete(e.path);
      this.entries.set(e.path, e);
    }
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
