import * as l10n from '@vscode/l10n';
import { StorageError } from './errors';
import { listObjects } from './listing';
import type { DeleteObjectsResult, ObjectStore } from './types';

/**
 * Basic bucket operations above the `ObjectStore`: deleting many keys (in requests of 1,000), the keys
 * below a prefix (what a folder delete removes, listed before anything is deleted), and folder markers.
 */

/** Keys per Delete Multiple Objects request, the most either service takes. */
export const DELETE_BATCH = 1000;

export interface DeleteProgress {
  done: number;
  total: number;
}

/**
 * Deletes exactly these keys, 1,000 per request, in order; what was deleted and what the service refused
 * are both returned (a refusal does not stop the rest). Cancelling stops before the next request.
 */
export async function deleteKeys(
  store: Pick<ObjectStore, 'deleteObjects'>,
  bucket: string,
  keys: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (p: DeleteProgress) => void } = {},
): Promise<DeleteObjectsResult> {
  const out: DeleteObjectsResult = { deleted: [], failed: [] };
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
    const r = await store.deleteObjects(bucket, batch, { signal: options.signal });
    out.deleted.push(...r.deleted);
    out.failed.push(...r.failed);
    options.onProgress?.({ done: Math.min(i + batch.length, keys.length), total: keys.length });
  }
  return out;
}

/**
 * Every key below a prefix (the folder marker `prefix` itself included), listed before a folder delete so
 * that the count confirmed is the set deleted: keys written after the listing are not touched.
 */
export async function keysUnder(store: Pick<ObjectStore, 'list'>, bucket: string, prefix: string, signal?: AbortSignal): Promise<string[]> {
  if (!prefix.endsWith('/')) throw new StorageError('invalid-request', l10n.t('"{0}" is not a folder (it does not end with "/").', prefix));
  const keys: string[] = [];
  for await (const o of listObjects(store, bucket, prefix, { signal })) keys.push(o.key);
  return keys;
}

/** What is wrong with a folder name typed by a person (one or more segments), or undefined. */
export function folderNameProblem(name: string): string | undefined {
  const t = name.replace(/\/+$/, '');
  if (!t) return l10n.t('Type a folder name.');
  if (t.startsWith('/')) return l10n.t('A folder name does not start with "/".');
  if (t.split('/').some((s) => s === '')) return l10n.t('A folder name has no empty segment ("//").');
  if (t.split('/').some((s) => s === '.' || s === '..')) return l10n.t('A folder name has no "." or ".." segment.');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(t)) return l10n.t('A folder name has no control characters.');
  if (Buffer.byteLength(t, 'utf8') + 1 > 850) return l10n.t('A folder name is at most 850 bytes long.');
  return undefined;
}

/**
 * Creates the folder `parent + name + '/'` as a zero-byte marker object (how the consoles make an empty
 * folder). An object already stored under that key is left as it is (a marker may hold bytes): the
 * folder is reported as existing. Returns the marker's key.
 */
export async function createFolder(
  store: Pick<ObjectStore, 'head' | 'put'>,
  bucket: string,
  parent: string,
  name: string,
  signal?: AbortSignal,
): Promise<{ key: string; created: boolean }> {
  const problem = folderNameProblem(name);
  if (problem) throw new StorageError('invalid-request', problem);
  const key = `${parent}${name.replace(/\/+$/, '')}/`;
  try {
    await store.head(bucket, key, { signal });
    return { key, created: false };
  } catch (err) {
    if (!(err instanceof StorageError && err.kind === 'no-such-key')) throw err;
  }
  await store.put(bucket, key, Buffer.alloc(0), { signal });
  return { key, created: true };
}
