import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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
 * Every regular file under `root` with its size and mtime, sorted by name within each folder (so the
 * order is stable). `root` may itself be a file: then the result is that file alone.
 */
export async function walkLocalFiles(root: string, options: WalkOptions = {}): Promise<LocalFile[]> {
  const top = await stat(root);
  if (!top.isDirectory()) return [fileOf(root, top)];
  const out: LocalFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    throwIfAborted(options.signal);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === root || !options.onError) throw err;
      options.onError(dir, err as Error);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(path);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) {
        options.onSkip?.(path, 'not-a-file');
        continue;
      }
      let st: Stats;
      try {
        st = await stat(path);
      } catch (err) {
        if (entry.isSymbolicLink() && (err as NodeJS.ErrnoException).code === 'ENOENT') options.onSkip?.(path, 'dangling-link');
        else if (options.onError) options.onError(path, err as Error);
        else throw err;
        continue;
      }
      if (st.isFile()) out.push(fileOf(path, st));
      else options.onSkip?.(path, st.isDirectory() ? 'folder-link' : 'not-a-file');
    }
  };
  await visit(root);
  return out;
}

/** The paths of `walkLocalFiles`. */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  return (await walkLocalFiles(root, options)).map((f) => f.path);
}

function fileOf(path: string, st: Stats): LocalFile {
  return { path, size: st.size, mtimeMs: st.mtimeMs };
}
