import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runLimited } from './concurrency';
import { throwIfAborted } from './errors';

/**
 * The one folder walker of the core: hashing, compare, upload and download all see the same files.
 *
 * Symbolic-link policy: a link to a file is followed (its target's bytes are what the name holds); a link
 * to a folder is never followed, so no link can loop or lead out of the tree, and it is reported through
 * `onSkip`, as is a dangling link. The root itself is taken as given, even when it is a link.
 */

export interface LocalFile {
  /** Path as reached from the root (a followed link keeps its own name). */
  path: string;
  size: number;
  mtimeMs: number;
}

export type SkipReason = 'folder-link' | 'dangling-link' | 'not-a-file';

export interface WalkOptions {
  signal?: AbortSignal;
  /** An unreadable sub-folder or file; without it the walk rejects. Errors on the root always reject. */
  onError?(path: string, err: Error): void;
  /** An entry left out by the symlink policy (or a socket, FIFO, device). */
  onSkip?(path: string, reason: SkipReason): void;
}

const SKIP_TEXT: Record<SkipReason, string> = {
  'folder-link': 'a link to a folder (links to folders are not followed)',
  'dangling-link': 'a link whose target does not exist',
  'not-a-file': 'not a regular file',
};

/** Why an entry was skipped, in words for a log or a report. */
export function describeSkip(reason: SkipReason): string {
  return SKIP_TEXT[reason];
}

/**
 * A file the walk found. A link to a file comes with the `stat` of its target (it had to be stat'ed to
 * be followed); a plain regular file comes without one, so a caller that opens the file anyway (the
 * hash pool's workers) never pays for a second `stat`.
 */
export interface WalkEntry {
  path: string;
  stats?: Stats;
}

/** `stat` calls a walk runs at once (they overlap on the libuv thread pool). */
const STAT_CONCURRENCY = 32;

/**
 * The files under `root` in walk order (sorted by name within each folder, a sub-folder's files where
 * its name sorts), yielded in runs as each folder is read: one `readdir` with file types per folder and
 * a `stat` only for links, so memory stays flat however many files the tree holds. `root` may itself
 * be a file (or a link to one): then it is the one entry, with its `stat`.
 */
export async function* walkEntries(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry[]> {
  const top = await stat(root);
  if (!top.isDirectory()) {
    yield [{ path: root, stats: top }];
    return;
  }
  yield* visitFolder(root, root, options);
}

async function* visitFolder(dir: string, root: string, options: WalkOptions): AsyncGenerator<WalkEntry[]> {
  throwIfAborted(options.signal);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (dir === root || !options.onError) throw err;
    options.onError(dir, err as Error);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Links are stat'ed together, before the folder's files are handed on in order.
  const links = entries.filter((e) => e.isSymbolicLink());
  const linkStats = new Map<string, Stats | Error>();
  await runLimited(
    links,
    STAT_CONCURRENCY,
    async (e) => {
      const path = join(dir, e.name);
      linkStats.set(path, await stat(path).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
    },
    { signal: options.signal },
  );
  let run: WalkEntry[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (run.length > 0) yield run;
      run = [];
      yield* visitFolder(path, root, options);
      continue;
    }
    if (entry.isFile()) {
      run.push({ path });
      continue;
    }
    if (!entry.isSymbolicLink()) {
      options.onSkip?.(path, 'not-a-file');
      continue;
    }
    const st = linkStats.get(path)!;
    if (st instanceof Error) {
      if ((st as NodeJS.ErrnoException).code === 'ENOENT') options.onSkip?.(path, 'dangling-link');
      else if (options.onError) options.onError(path, st);
      else throw st;
    } else if (st.isFile()) run.push({ path, stats: st });
    else options.onSkip?.(path, st.isDirectory() ? 'folder-link' : 'not-a-file');
  }
  if (run.length > 0) yield run;
}

/**
 * Every regular file under `root` with its size and mtime, in the order of `walkEntries` (so the order
 * is stable). `root` may itself be a file: then the result is that file alone.
 */
export async function walkLocalFiles(root: string, options: WalkOptions = {}): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  for await (const run of walkEntries(root, options)) {
    // The files' `stat`s overlap, a few at a time; the order stays the walk's.
    const stats: Array<Stats | Error | undefined> = run.map((e) => e.stats);
    await runLimited(
      run.map((e, i) => ({ e, i })).filter(({ e }) => !e.stats),
      STAT_CONCURRENCY,
      async ({ e, i }) => {
        stats[i] = await stat(e.path).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      },
      { signal: options.signal },
    );
    run.forEach((e, i) => {
      const st = stats[i]!;
      if (st instanceof Error) {
        if (!options.onError) throw st;
        options.onError(e.path, st);
      } else if (st.isFile()) out.push(fileOf(e.path, st));
      // Replaced by something else since the folder was read.
      else options.onSkip?.(e.path, 'not-a-file');
    });
  }
  return out;
}

/** The paths of `walkLocalFiles`. */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  return (await walkLocalFiles(root, options)).map((f) => f.path);
}

function fileOf(path: string, st: Stats): LocalFile {
  return { path, size: st.size, mtimeMs: st.mtimeMs };
}
