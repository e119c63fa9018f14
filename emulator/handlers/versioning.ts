import type { RequestContext } from '../context';
import { iso } from '../dialects/dialect';
import { EmulatorError } from '../errors';
import { compareUtf8 } from '../objects/keyOrder';
import { drain, readSmallBody } from '../request';
import type { BucketState, ObjectMeta } from '../store';
import {
  addDeleteMarker,
  deleteVersion,
  findVersion,
  historyOf,
  versionedKeys,
  restoreAsCurrent,
  setVersioning,
  versioningStatus,
  type HistoryEntry,
} from '../versions/history';
import { child, parseXml, type XmlNode } from '../xml';

/**
 * Bucket versioning for both dialects (COS PUT/GET Bucket versioning, GET Bucket Object versions; OSS
 * PutBucketVersioning, GetBucketVersioning, ListObjectVersions): version ids on writes, delete markers,
 * GET/HEAD/DELETE/copy of a version by `versionId`. The history itself is in `../versions/history.ts`.
 */

const MAX_KEYS = 1000;

function noSuchVersion(): EmulatorError {
  return new EmulatorError(404, 'NoSuchVersion', 'The specified version does not exist.');
}

/** `x-cos-version-id` / `x-oss-version-id` for an object that has a version id. */
export function versionHeaders(ctx: RequestContext, m: { versionId?: string }): Record<string, string> {
  return m.versionId ? { [ctx.dialect.header('version-id')]: m.versionId } : {};
}

function markerHeaders(ctx: RequestContext, e: HistoryEntry): Record<string, string> {
  return { [ctx.dialect.header('delete-marker')]: 'true', [ctx.dialect.header('version-id')]: e.versionId };
}

/**
 * The object a GET or HEAD reads: the current version, or the one named by `versionId`. A delete marker
 * answers 404 NoSuchKey without a version id and 405 MethodNotAllowed with one, both with
 * `x-…-delete-marker: true`; an unknown version id is 404 NoSuchVersion.
 */
export function versionForRead(ctx: RequestContext, b: BucketState, key: string, versionId: string | undefined): ObjectMeta {
  if (versionId === undefined) {
    const m = b.objects.get(key);
    if (m) return m;
    const newest = historyOf(b, key)[0];
    const headers = newest?.deleteMarker ? markerHeaders(ctx, newest) : {};
    throw new EmulatorError(404, 'NoSuchKey', 'The specified key does not exist.', headers);
  }
  const found = findVersion(b, key, versionId);
  if (!found) throw noSuchVersion();
  if (found.current) return found.current;
  if (found.entry!.deleteMarker)
    throw new EmulatorError(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      markerHeaders(ctx, found.entry!),
    );
  return found.entry!.meta!;
}

/** The source of a copy: `…/key?versionId=X` names a version, else the current one. */
export function copySourceVersion(ctx: RequestContext, b: BucketState, key: string, query: string | undefined): ObjectMeta {
  const versionId = new URLSearchParams(query ?? '').get('versionId') ?? undefined;
  if (versionId === undefined) return ctx.object(b, key);
  return versionForRead(ctx, b, key, versionId);
}

export async function putVersioning(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  let status: string | undefined;
  try {
    const root = parseXml(await readSmallBody(ctx.req));
    status = child(root, 'Status')?.text.trim();
  } catch {
    throw new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
  }
  if (status !== 'Enabled' && status !== 'Suspended')
    throw new EmulatorError(400, 'IllegalVersioningConfigurationException', 'The versioning status must be Enabled or Suspended.');
  await setVersioning(b, status);
  ctx.send(200, {});
}

export function getVersioning(ctx: RequestContext): void {
  const status = versioningStatus(ctx.bucket());
  ctx.sendXml('VersioningConfiguration', { Status: status });
}

/** DeleteObject: on a versioned bucket without `versionId` a delete marker; with one, that version for good. */
export async function deleteObject(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  await drain(ctx.req);
  ctx.send(204, await deleteKey(ctx, b, ctx.key, ctx.q.get('versionId')));
}

/** One key's delete (DeleteObject and each key of a multi-delete); the headers its answer carries. */
export async function deleteKey(
  ctx: RequestContext,
  b: BucketState,
  key: string,
  versionId: string | undefined,
): Promise<Record<string, string>> {
  const remove = (k: string) => ctx.store.deleteObject(b, k);
  if (versionId !== undefined) {
    const gone = await deleteVersion(b, key, versionId, remove, (m) => restoreAsCurrent(b, m).then(() => undefined));
    // As the services answer: deleting a version that is not there is not an error.
    if (!gone) return { [ctx.dialect.header('version-id')]: versionId };
    return 'deleteMarker' in gone && gone.deleteMarker ? markerHeaders(ctx, gone) : { [ctx.dialect.header('version-id')]: versionId };
  }
  if (!versioningStatus(b)) {
    await remove(key);
    return {};
  }
  return markerHeaders(ctx, await addDeleteMarker(b, key, remove));
}

/** One row of a versions listing. */
interface Row {
  key: string;
  versionId: string;
  latest: boolean;
  marker?: HistoryEntry;
  meta?: ObjectMeta;
}

function rowsOf(b: BucketState, key: string): Row[] {
  const rows: Row[] = [];
  const current = b.objects.get(key);
  if (current) rows.push({ key, versionId: current.versionId ?? 'null', latest: true, meta: current });
  for (const e of historyOf(b, key)) {
    rows.push({ key, versionId: e.versionId, latest: rows.length === 0, ...(e.deleteMarker ? { marker: e } : { meta: e.meta }) });
  }
  return rows;
}

export function listVersions(ctx: RequestContext): void {
  const b = ctx.bucket();
  const prefix = ctx.q.get('prefix') ?? '';
  const delimiter = ctx.q.get('delimiter') ?? '';
  const keyMarker = ctx.q.get('key-marker') ?? '';
  const versionIdMarker = ctx.q.get('version-id-marker') ?? '';
  const maxKeysText = ctx.q.get('max-keys');
  const maxKeys = maxKeysText ? Number(maxKeysText) : MAX_KEYS;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new EmulatorError(400, 'InvalidArgument', 'max-keys must be a positive integer.');
  const limit = Math.min(maxKeys, MAX_KEYS);
  const urlEncode = ctx.q.get('encoding-type') === 'url';
  const enc = (s: string) => (urlEncode ? encodeURIComponent(s) : s);
  const versions: XmlNode[] = [];
  const markers: XmlNode[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let last: { key: string; versionId: string } | undefined;
  outer: for (const key of versionedKeys(b, prefix, keyMarker)) {
    if (key === keyMarker && !versionIdMarker) continue;
    if (delimiter) {
      const i = key.indexOf(delimiter, prefix.length);
      if (i >= 0) {
        const cp = key.slice(0, i + delimiter.length);
        if (prefixes.at(-1) === cp || compareUtf8(cp, keyMarker) <= 0) continue;
        if (count >= limit) {
          truncated = true;
          break;
        }
        prefixes.push(cp);
        count++;
        last = { key: cp, versionId: '' };
        continue;
      }
    }
    let rows = rowsOf(b, key);
    if (key === keyMarker) {
      const at = rows.findIndex((r) => r.versionId === versionIdMarker);
      rows = at < 0 ? [] : rows.slice(at + 1);
    }
    for (const r of rows) {
      if (count >= limit) {
        truncated = true;
        break outer;
      }
      count++;
      last = { key: r.key, versionId: r.versionId };
      const common = { Key: enc(r.key), VersionId: r.versionId, IsLatest: r.latest };
      if (r.marker) {
        markers.push({ ...common, LastModified: iso(r.marker.lastModified), Owner: ctx.owner() });
      } else {
        const m = r.meta!;
        versions.push({
          ...common,
          LastModified: iso(m.lastModified),
          ETag: m.etag,
          ...ctx.dialect.listedObjectFields(m),
          Size: m.size,
          StorageClass: m.userMeta[ctx.dialect.header('storage-class')] ?? ctx.dialect.storageClass,
          Owner: ctx.owner(),
        });
      }
    }
  }
  ctx.sendXml('ListVersionsResult', {
    Name: b.name,
    EncodingType: urlEncode ? 'url' : undefined,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionIdMarker,
    MaxKeys: maxKeys,
    Delimiter: delimiter ? enc(delimiter) : undefined,
    IsTruncated: truncated,
    NextKeyMarker: truncated && last ? enc(last.key) : undefined,
    NextVersionIdMarker: truncated && last?.versionId ? last.versionId : undefined,
    DeleteMarker: markers,
    Version: versions,
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}
