import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../util/errors';

/**
 * Every regular file under `root`, recursively, sorted by path within each folder. `root` may itself
 * be a file (then the result is `[root]`). Symbolic links to files are included; symbolic links to
 * folders are not followed, so link cycles cannot loop. Errors on `root` itself reject; an unreadable
 * sub-folder is reported through `onError` (and skipped) when given, else rejects.
 */
export async function walkFiles(
  root: string,
  options: { signal?: AbortSignal; onError?(path: string, err: Error): void } = {},
): Promise<string[]> {
  const top = await stat(root);
  if (!top.isDirectory()) return [root];
  const out: string[] = [];
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
      } else if (entry.isFile()) {
        out.push(path);
      } else if (entry.isSymbolicLink()) {
        try {
          if ((await stat(path)).isFile()) out.push(path);
        } catch {
          // A dangling link is not a file to hash.
        }
      }
    }
  };
  await visit(root);
  return out;
}
