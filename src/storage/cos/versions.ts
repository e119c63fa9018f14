import * as l10n from '@vscode/l10n';
import { describe } from '../shared/connection';
import { parseDate } from '../shared/headers';
import type { RequestOptions } from '../types';
import type { VersionPage, VersionPageOptions, VersioningStatus } from '../versions';
import { orderVersions } from '../versions';
import type { CosOps } from './copy';

/** COS GET/PUT Bucket versioning and GET Bucket Object versions (ListVersionsResult). */

interface CosVersionItem {
  Key: string;
  VersionId: string;
  IsLatest?: string;
  LastModified?: string;
  ETag?: string;
  Size?: string;
  StorageClass?: string;
}

export function getVersioning(ops: CosOps, bucket: string, options: RequestOptions = {}): Promise<VersioningStatus> {
  const ctx = { operation: l10n.t('read the versioning of {0}', describe('cos', bucket)), bucket };
  return ops.sdk(ctx, options.signal, 'getBucketVersioning', { Bucket: bucket, Region: ops.region }, (data) => {
    const status = (data.VersioningConfiguration as { Status?: string } | undefined)?.Status;
    return status === 'Enabled' || status === 'Suspended' ? status : 'Off';
  });
}

export function setVersioning(ops: CosOps, bucket: string, status: 'Enabled' | 'Suspended', options: RequestOptions = {}): Promise<void> {
  const ctx = { operation: l10n.t('set the versioning of {0}', describe('cos', bucket)), bucket };
  const params = { Bucket: bucket, Region: ops.region, VersioningConfiguration: { Status: status } };
  return ops.sdk(ctx, options.signal, 'putBucketVersioning', params, () => undefined);
}

export function listVersions(ops: CosOps, bucket: string, options: VersionPageOptions = {}): Promise<VersionPage> {
  const ctx = { operation: l10n.t('list the versions in {0}', describe('cos', bucket, options.prefix)), bucket };
  const params = {
    Bucket: bucket,
    Region: ops.region,
    Prefix: options.prefix ?? '',
    KeyMarker: options.keyMarker,
    VersionIdMarker: options.versionIdMarker,
    MaxKeys: options.pageSize ?? 1000,
  };
  return ops.sdk(ctx, options.signal, 'listObjectVersions', params, (data) => {
    const item = (v: CosVersionItem, deleteMarker: boolean) => ({
      key: v.Key,
      versionId: v.VersionId,
      isLatest: v.IsLatest === 'true',
      deleteMarker,
      size: Number(v.Size ?? 0),
      lastModified: parseDate(v.LastModified),
      ...(v.ETag ? { etag: v.ETag } : {}),
      ...(deleteMarker ? {} : { storageClass: v.StorageClass ?? 'STANDARD' }),
    });
    const versions = orderVersions([
      ...((data.Versions ?? []) as CosVersionItem[]).map((v) => item(v, false)),
      ...((data.DeleteMarkers ?? []) as CosVersionItem[]).map((v) => item(v, true)),
    ]);
    const page: VersionPage = { versions };
    if (data.IsTruncated === 'true' && data.NextKeyMarker)
      page.next = { keyMarker: data.NextKeyMarker as string, versionIdMarker: (data.NextVersionIdMarker as string) ?? '' };
    return page;
  });
}
