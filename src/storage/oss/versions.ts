import * as l10n from '@vscode/l10n';
import { describe } from '../shared/connection';
import { parseDate } from '../shared/headers';
import type { RequestOptions } from '../types';
import type { ObjectVersion, VersionPage, VersionPageOptions, VersioningStatus } from '../versions';
import { orderVersions } from '../versions';
import type { OssCall } from './client';

/** OSS GetBucketVersioning, PutBucketVersioning and ListObjectVersions (GetBucketVersions). */

export async function getVersioning(sdk: OssCall, bucket: string, options: RequestOptions = {}): Promise<VersioningStatus> {
  const ctx = { operation: l10n.t('read the versioning of {0}', describe('oss', bucket)), bucket };
  const res = await sdk(ctx, bucket, options.signal, (c) => c.getBucketVersioning(bucket, {}));
  const status = res.versionStatus;
  return status === 'Enabled' || status === 'Suspended' ? status : 'Off';
}

export async function setVersioning(
  sdk: OssCall,
  bucket: string,
  status: 'Enabled' | 'Suspended',
  options: RequestOptions = {},
): Promise<void> {
  const ctx = { operation: l10n.t('set the versioning of {0}', describe('oss', bucket)), bucket };
  await sdk(ctx, bucket, options.signal, (c) => c.putBucketVersioning(bucket, status, {}));
}

interface OssVersionItem {
  name: string;
  versionId: string;
  isLatest?: boolean;
  lastModified?: string;
  etag?: string;
  size?: number;
  storageClass?: string;
}

export async function listVersions(sdk: OssCall, bucket: string, options: VersionPageOptions = {}): Promise<VersionPage> {
  const ctx = { operation: l10n.t('list the versions in {0}', describe('oss', bucket, options.prefix)), bucket };
  const query: Record<string, string | number> = { maxKeys: options.pageSize ?? 1000 };
  if (options.prefix) query.prefix = options.prefix;
  // ali-oss refuses a version-id marker without a key marker.
  if (options.keyMarker !== undefined) query.keyMarker = options.keyMarker;
  if (options.keyMarker !== undefined && options.versionIdMarker) query.versionIdMarker = options.versionIdMarker;
  const res = await sdk(ctx, bucket, options.signal, (c) => c.getBucketVersions(query, {}));
  const item = (v: OssVersionItem, deleteMarker: boolean): ObjectVersion => ({
    key: v.name,
    versionId: v.versionId,
    // ali-oss reads IsLatest for versions only; a marker's is taken from the XML below.
    isLatest: v.isLatest === true,
    deleteMarker,
    size: Number(v.size ?? 0),
    lastModified: parseDate(v.lastModified),
    ...(v.etag ? { etag: v.etag } : {}),
    ...(deleteMarker ? {} : { storageClass: v.storageClass ?? 'Standard' }),
  });
  const listed = [
    ...((res.objects ?? []) as OssVersionItem[]).map((v) => item(v, false)),
    ...((res.deleteMarker ?? []) as OssVersionItem[]).map((v) => item(v, true)),
  ];
  // ali-oss leaves IsLatest out of delete markers: a key none of whose versions is latest has a newest marker that is.
  const hasLatest = new Set(listed.filter((v) => v.isLatest).map((v) => v.key));
  const versions = orderVersions(listed);
  for (const v of versions) {
    if (hasLatest.has(v.key)) continue;
    hasLatest.add(v.key);
    v.isLatest = v.deleteMarker;
  }
  const page: VersionPage = { versions };
  if (res.isTruncated && res.nextKeyMarker)
    page.next = { keyMarker: res.nextKeyMarker as string, versionIdMarker: (res.nextVersionIdMarker as string | null) ?? '' };
  return page;
}
