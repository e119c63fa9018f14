import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { BucketState, ObjectMeta } from '../store';
import { objectFileName } from '../objects/fileName';
import { compareUtf8 } from '../objects/keyOrder';

/**
 * Bucket versioning, kept beside the object index: the index (`b.objects`) holds each key's current
 * version as before, so listings, GET and HEAD without a `versionId` need no change; this history holds the
 * versions that are not current and the delete markers (a key whose newest entry is a delete marker has
 * nothing in the index). A bucket whose versioning was never set has no history and no version ids.
 *
 * On disk: `versions/<hash of key>.json` is a key's history (newest first), `versions/<versionId>.bin` the
 * bytes of a non-current version; `versioning.json` the bucket's status. All survive a restart.
 */

export type VersioningStatus = 'Enabled' | 'Suspended';

/** A version that is not current, or a delete marker (current or not). */
export interface HistoryEntry {
  key: string;
  versionId: string;
  lastModified: number;
  deleteMarker?: true;
  /** The version's object record (`file` relative to the bucket's objects folder); absent for a marker. */
  meta?: ObjectMeta;
}

interface BucketVersions {
  status?: VersioningStatus;
  /** Per key, newest first. */
  history: Map<string, HistoryEntry[]>;
}

const state = new WeakMap<BucketState, BucketVersions>();

function of(b: BucketState): BucketVersions {
  let v = state.get(b);
  if (!v) state.set(b, (v = { history: new Map() }));
  return v;
}

const dir = (b: BucketState): string => join(b.dir, 'versions');

/** A fresh version id, in the services' shape (opaque, URL-safe). */
export function newVersionId(): string {
  return `MTg0NDUx${randomBytes(18).toString('base64url')}`;
}

export function versioningStatus(b: BucketState): VersioningStatus | undefined {
  return state.get(b)?.status;
}

export async function setVersioning(b: BucketState, status: VersioningStatus): Promise<void> {
  of(b).status = status;
  await fsp.mkdir(dir(b), { recursive: true });
  await fsp.writeFile(join(b.dir, 'versioning.json'), JSON.stringify({ status }));
}

/** A key's non-current versions and delete markers, newest first. */
export function historyOf(b: BucketState, key: string): readonly HistoryEntry[] {
  return state.get(b)?.history.get(key) ?? [];
}

/** Every key with a history, for listing versions. */
export function keysWithHistory(b: BucketState): IterableIterator<string> {
  return of(b).history.keys();
}

async function saveHistory(b: BucketState, key: string, entries: HistoryEntry[]): Promise<void> {
  const v = of(b);
  const file = join(dir(b), `${objectFileName(key)}.json`);
  if (entries.length === 0) {
    v.history.delete(key);
    await fsp.rm(file, { force: true });
    return;
  }
  v.history.set(key, entries);
  await fsp.mkdir(dir(b), { recursive: true });
  await fsp.writeFile(file, JSON.stringify(entries));
}

/** The bytes file of a history entry, relative to the bucket's objects folder (as `ObjectMeta.file` is). */
const versionFile = (versionId: string): string => join('..', 'versions', `${objectFileName(versionId)}.bin`);

async function dropEntryBytes(b: BucketState, e: HistoryEntry): Promise<void> {
  if (e.meta && !e.meta.synthetic) await fsp.rm(join(b.dir, 'objects', e.meta.file), { force: true });
}

/**
 * Move the current version of `key` into the history before it is replaced or deleted. Under `Suspended`
 * a current `null` version is not kept (the next `null` replaces it), as the services document.
 */
async function retireCurrent(b: BucketState, key: string, status: VersioningStatus): Promise<void> {
  const current = b.objects.get(key);
  let entries = [...historyOf(b, key)];
  if (status === 'Suspended') {
    // The write about to happen is the `null` version: an older `null` (version or marker) goes.
    for (const e of entries.filter((x) => x.versionId === 'null')) await dropEntryBytes(b, e);
    entries = entries.filter((x) => x.versionId !== 'null');
  }
  if (current && !(status === 'Suspended' && (current.versionId ?? 'null') === 'null')) {
    const versionId = current.versionId ?? 'null';
    let meta: ObjectMeta = { ...current, versionId };
    if (!current.synthetic) {
      const file = versionFile(versionId);
      await fsp.mkdir(dir(b), { recursive: true });
      await fsp.rename(join(b.dir, 'objects', current.file), join(b.dir, 'objects', file));
      meta = { ...meta, file };
    }
    entries.unshift({ key, versionId, lastModified: current.lastModified, meta });
  }
  await saveHistory(b, key, entries);
}

/**
 * Called before a write replaces `key`: keeps the current version when the bucket is versioned and
 * returns the new version's id (`null` when suspended); undefined for a bucket never versioned.
 */
export async function beforeWrite(b: BucketState, key: string): Promise<string | undefined> {
  const status = versioningStatus(b);
  if (!status) return undefined;
  await retireCurrent(b, key, status);
  return status === 'Enabled' ? newVersionId() : 'null';
}

/** DELETE without a version id on a versioned bucket: the current version is kept and a delete marker added. */
export async function addDeleteMarker(b: BucketState, key: string, removeCurrent: (key: string) => Promise<void>): Promise<HistoryEntry> {
  const status = versioningStatus(b)!;
  await retireCurrent(b, key, status);
  await removeCurrent(key);
  const marker: HistoryEntry = {
    key,
    versionId: status === 'Enabled' ? newVersionId() : 'null',
    lastModified: Date.now(),
    deleteMarker: true,
  };
  await saveHistory(b, key, [marker, ...historyOf(b, key)]);
  return marker;
}

/** A version by id: the current object, a stored older one, or a delete marker. */
export function findVersion(b: BucketState, key: string, versionId: string): { current?: ObjectMeta; entry?: HistoryEntry } | undefined {
  const current = b.objects.get(key);
  if (current && (current.versionId ?? 'null') === versionId) return { current };
  const entry = historyOf(b, key).find((e) => e.versionId === versionId);
  return entry ? { entry } : undefined;
}

/**
 * DELETE with a version id: that version is gone for good. Deleting the current version makes the next
 * newest one current again (a version back into the index; a delete marker stays the newest entry).
 */
export async function deleteVersion(
  b: BucketState,
  key: string,
  versionId: string,
  removeCurrent: (key: string) => Promise<void>,
  restore: (meta: ObjectMeta) => Promise<void>,
): Promise<HistoryEntry | ObjectMeta | undefined> {
  const found = findVersion(b, key, versionId);
  if (!found) return undefined;
  let gone: HistoryEntry | ObjectMeta;
  if (found.current) {
    await removeCurrent(key);
    gone = found.current;
  } else {
    gone = found.entry!;
    await dropEntryBytes(b, found.entry!);
    await saveHistory(
      b,
      key,
      historyOf(b, key).filter((e) => e !== found.entry),
    );
  }
  // With no current version left, the newest one kept becomes current (a delete marker stays an entry).
  const entries = [...historyOf(b, key)];
  const next = entries[0];
  if (!b.objects.has(key) && next?.meta) {
    entries.shift();
    await saveHistory(b, key, entries);
    await restore(next.meta);
  }
  return gone;
}

/** Back into the index as the current version: its bytes return to the object's own file name. */
export async function restoreAsCurrent(b: BucketState, meta: ObjectMeta): Promise<ObjectMeta> {
  const base = objectFileName(meta.key);
  let full = meta;
  if (!meta.synthetic) {
    full = { ...meta, file: `${base}.bin` };
    await fsp.rename(join(b.dir, 'objects', meta.file), join(b.dir, 'objects', full.file));
  }
  await fsp.writeFile(join(b.dir, 'objects', `${base}.json`), JSON.stringify(full));
  b.objects.set(meta.key, full);
  return full;
}

/** Read a bucket's status and histories back after a restart. */
export async function loadVersions(b: BucketState): Promise<void> {
  try {
    const { status } = JSON.parse(await fsp.readFile(join(b.dir, 'versioning.json'), 'utf8')) as { status: VersioningStatus };
    of(b).status = status;
  } catch {
    return;
  }
  for (const f of await fsp.readdir(dir(b)).catch(() => [] as string[])) {
    if (!f.endsWith('.json')) continue;
    try {
      const entries = JSON.parse(await fsp.readFile(join(dir(b), f), 'utf8')) as HistoryEntry[];
      if (entries.length) of(b).history.set(entries[0].key, entries);
    } catch {
      // A history being written when the process stopped: its versions are not listed.
    }
  }
}

/** Every version and delete marker of a key for an inventory of all versions, newest first; keys of a bucket never versioned have one `null` version. */
export function reportVersions(
  b: BucketState,
  key: string,
): Array<ObjectMeta & { versionId: string; isLatest: boolean; deleteMarker?: boolean }> {
  const rows: Array<ObjectMeta & { versionId: string; isLatest: boolean; deleteMarker?: boolean }> = [];
  const current = b.objects.get(key);
  if (current) rows.push({ ...current, versionId: current.versionId ?? 'null', isLatest: true });
  for (const e of historyOf(b, key)) {
    const isLatest = rows.length === 0;
    if (e.meta) rows.push({ ...e.meta, versionId: e.versionId, isLatest });
    else
      rows.push({
        key,
        size: 0,
        etag: '',
        lastModified: e.lastModified,
        contentType: '',
        type: 'Normal',
        userMeta: {},
        file: '',
        versionId: e.versionId,
        isLatest,
        deleteMarker: true,
      });
  }
  return rows;
}

/** Keys with a current version or a history, in key order, from `after` on (`after` included). */
export function* versionedKeys(b: BucketState, prefix: string, after: string): Generator<string> {
  const history = [...keysWithHistory(b)].filter((k) => k.startsWith(prefix) && compareUtf8(k, after) >= 0).sort(compareUtf8);
  // The index lists keys after `after`: the marker key itself comes first when it is there.
  function* fromIndexKeys(): Generator<string> {
    if (after && after.startsWith(prefix) && b.objects.has(after)) yield after;
    yield* b.objects.keysFrom(prefix, after);
  }
  const index = fromIndexKeys();
  let fromIndex = index.next();
  let h = 0;
  for (;;) {
    const a = fromIndex.done ? undefined : fromIndex.value;
    const c = history[h];
    if (a === undefined && c === undefined) return;
    if (c === undefined || (a !== undefined && compareUtf8(a, c) < 0)) {
      yield a!;
      fromIndex = index.next();
    } else {
      if (a === c) fromIndex = index.next();
      yield c;
      h++;
    }
  }
}
