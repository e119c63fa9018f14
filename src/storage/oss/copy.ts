import * as l10n from '@vscode/l10n';
import { RawError } from '../shared/call';
import { describe, partCopyOperation } from '../shared/connection';
import { header } from '../shared/headers';
import { customerKeyHeaders } from '../objectState';
import type { CopyOptions, CopyResult, PartCopySource, UploadedPart } from '../types';
import type { OssClient } from './client';
import { etagAndCrc } from './answer';
import type { OssCall } from './client';

/**
 * OSS server-side copies: CopyObject and UploadPartCopy, with `x-oss-copy-source-if-match` so that a
 * source changed since it was read fails (412) instead of being copied. Both are sent as plain signed
 * requests: ali-oss's `copy` would add each condition a second time as a header of the destination, and
 * its `uploadPartCopy` drops the answer's body, where the part's ETag may be.
 */

interface CopyAnswer {
  data?: { ETag?: string };
  res: { headers: Record<string, string | string[] | number | undefined> };
}

interface RawRequests {
  _objectRequestParams(method: string, name: string, options: object): Record<string, unknown>;
  request(params: object): Promise<CopyAnswer>;
}

/**
 * The source (a version of it, when given), its condition and its SSE-C key; a whole-object copy is
 * written with the same key (a part copy belongs to an upload whose encryption was set when it started).
 */
function copyHeaders(
  sdk: OssCall,
  srcBucket: string,
  srcKey: string,
  ifMatch: string | undefined,
  whole: boolean,
  versionId?: string,
): Record<string, string> {
  const version = versionId ? `?versionId=${encodeURIComponent(versionId)}` : '';
  const key = sdk.customerKey;
  return {
    'x-oss-copy-source': `/${srcBucket}/${encodeURIComponent(srcKey)}${version}`,
    ...(ifMatch ? { 'x-oss-copy-source-if-match': ifMatch } : {}),
    ...(key ? customerKeyHeaders('x-oss-copy-source-', key) : {}),
    ...(key && whole ? customerKeyHeaders('x-oss-', key) : {}),
  };
}

function send(c: OssClient, key: string, options: object): Promise<CopyAnswer> {
  const raw = c as unknown as RawRequests;
  const params = raw._objectRequestParams('PUT', key, options);
  params.xmlResponse = true;
  params.successStatuses = [200];
  return raw.request(params);
}

/** The ETag from the header, or from the XML body (`CopyObjectResult` / `CopyPartResult`). */
function copied(answer: CopyAnswer): { etag?: string; crc64?: string } {
  const { etag, crc64 } = etagAndCrc(answer.res, answer.data?.ETag);
  return { etag: header(answer.res.headers, 'etag') ?? etag, crc64 };
}

export async function copyObject(
  sdk: OssCall,
  srcBucket: string,
  srcKey: string,
  dstBucket: string,
  dstKey: string,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const ctx = {
    operation: l10n.t('copy {0} to {1}', describe('oss', srcBucket, srcKey), describe('oss', dstBucket, dstKey)),
    bucket: dstBucket,
    sourceBucket: srcBucket,
    readsObject: true,
  };
  const headers = copyHeaders(sdk, srcBucket, srcKey, options.ifMatch, true, options.sourceVersionId);
  return copied(await sdk(ctx, dstBucket, options.signal, (c) => send(c, dstKey, { headers })));
}

export async function uploadPartCopy(
  sdk: OssCall,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  source: PartCopySource,
): Promise<UploadedPart> {
  const { srcBucket, srcKey, range } = source;
  const ctx = {
    operation: partCopyOperation('oss', bucket, key, partNumber, source),
    bucket,
    sourceBucket: srcBucket,
    readsObject: true,
  };
  const headers = {
    ...copyHeaders(sdk, srcBucket, srcKey, source.ifMatch, false, source.sourceVersionId),
    'x-oss-copy-source-range': `bytes=${range.start}-${range.end}`,
  };
  const answer = await sdk(ctx, bucket, source.signal, (c) => send(c, key, { headers, subres: { partNumber, uploadId } }));
  const { etag, crc64 } = copied(answer);
  if (!etag) throw new RawError({ malformed: true });
  return { partNumber, etag, crc64, size: range.end - range.start + 1 };
}
