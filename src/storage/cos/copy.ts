import * as l10n from '@vscode/l10n';
import { RawError } from '../shared/call';
import { describe, partCopyOperation } from '../shared/connection';
import { crcFromHeader, header } from '../shared/headers';
import { customerKeyHeaders } from '../objectState';
import type { CopyOptions, CopyResult, PartCopySource, UploadedPart } from '../types';
import { CRC_HEADER } from './get';
import type { CosCall, CosData } from './client';

/**
 * COS server-side copies: PUT Object - Copy and Upload Part - Copy, with `x-cos-copy-source-If-Match`
 * so that a source changed since it was read fails (412) instead of being copied.
 */

export interface CosOps {
  sdk: CosCall;
  region: string;
  /** The connection's SSE-C key: sent for the source, and the copy is written with it. */
  customerKey?: string;
}

/**
 * SSE-C headers of a copy: the source's key, and for a whole-object copy the same key for what it writes
 * (a part copy belongs to an upload whose encryption was set when it started).
 */
function copyKeyHeaders(ops: CosOps, whole: boolean): { Headers?: Record<string, string> } {
  if (!ops.customerKey) return {};
  return {
    Headers: {
      ...customerKeyHeaders('x-cos-copy-source-', ops.customerKey),
      ...(whole ? customerKeyHeaders('x-cos-', ops.customerKey) : {}),
    },
  };
}

/** `x-cos-copy-source`: `<bucket>.cos.<region>.myqcloud.com/<key, URL-encoded per segment>`. */
export function copySource(region: string, bucket: string, key: string, versionId?: string): string {
  const version = versionId ? `?versionId=${encodeURIComponent(versionId)}` : '';
  return `${bucket}.cos.${region}.myqcloud.com/${key.split('/').map(encodeURIComponent).join('/')}${version}`;
}

/** COS reports a copy's CRC-64 in the header and in the XML body; either will do. */
function copied(data: CosData): { etag?: string; crc64?: string } {
  const etag = (data.ETag as string | undefined) ?? header(data.headers, 'etag');
  return { etag, crc64: crcFromHeader(header(data.headers, CRC_HEADER)) ?? crcFromHeader(data.CRC64 as string | undefined) };
}

export function copyObject(
  ops: CosOps,
  srcBucket: string,
  srcKey: string,
  dstBucket: string,
  dstKey: string,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const ctx = {
    operation: l10n.t('copy {0} to {1}', describe('cos', srcBucket, srcKey), describe('cos', dstBucket, dstKey)),
    bucket: dstBucket,
    sourceBucket: srcBucket,
    readsObject: true,
  };
  const params = {
    ...copyKeyHeaders(ops, true),
    Bucket: dstBucket,
    Region: ops.region,
    Key: dstKey,
    CopySource: copySource(ops.region, srcBucket, srcKey, options.sourceVersionId),
    ...(options.ifMatch ? { CopySourceIfMatch: options.ifMatch } : {}),
  };
  return ops.sdk(ctx, options.signal, 'putObjectCopy', params, copied);
}

export function uploadPartCopy(
  ops: CosOps,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  source: PartCopySource,
): Promise<UploadedPart> {
  const { srcBucket, srcKey, range } = source;
  const ctx = {
    operation: partCopyOperation('cos', bucket, key, partNumber, source),
    bucket,
    sourceBucket: srcBucket,
    readsObject: true,
  };
  const params = {
    ...copyKeyHeaders(ops, false),
    Bucket: bucket,
    Region: ops.region,
    Key: key,
    UploadId: uploadId,
    PartNumber: partNumber,
    CopySource: copySource(ops.region, srcBucket, srcKey, source.sourceVersionId),
    CopySourceRange: `bytes=${range.start}-${range.end}`,
    ...(source.ifMatch ? { CopySourceIfMatch: source.ifMatch } : {}),
  };
  return ops.sdk(ctx, source.signal, 'uploadPartCopy', params, (data) => {
    const { etag, crc64 } = copied(data);
    if (!etag) throw new RawError({ malformed: true });
    return { partNumber, etag, crc64, size: range.end - range.start + 1 };
  });
}
