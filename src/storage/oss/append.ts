import * as l10n from '@vscode/l10n';
import { PositionConflictError, StorageError } from '../errors';
import { describe } from '../shared/connection';
import { crcFromHeader, header, objectSizeFromHeaders, parseDate, type HeaderBag } from '../shared/headers';
import type { AppendResult, ObjectInfo, RequestOptions } from '../types';
import type { OssTransport } from './errors';
import { CRC_HEADER } from './answer';
import type { OssCall } from './client';

/** OSS AppendObject and GetObjectMeta. */

const NEXT_POSITION_HEADER = 'x-oss-next-append-position';

function position(headers: HeaderBag | undefined): number | undefined {
  const v = header(headers, NEXT_POSITION_HEADER);
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

/**
 * Append `body` at `position`. A retry after a lost answer cannot write twice: the service refuses an
 * append at a position that is no longer the object's length, and that refusal says the current length.
 */
export async function appendObject(
  sdk: OssCall,
  bucket: string,
  key: string,
  at: number,
  body: Buffer,
  options: RequestOptions = {},
): Promise<AppendResult> {
  const ctx = { operation: l10n.t('append {0} bytes at {1} to {2}', body.length, at, describe('oss', bucket, key)), bucket };
  let last: OssTransport | undefined;
  try {
    const res = await sdk(
      ctx,
      bucket,
      options.signal,
      (c) => c.append(key, body, { position: String(at), mime: 'application/octet-stream' }),
      (transport) => (last = transport),
    );
    const headers = res.res.headers;
    return {
      nextPosition: position(headers) ?? at + body.length,
      crc64: crcFromHeader(header(headers, CRC_HEADER)),
      etag: header(headers, 'etag'),
    };
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'position-conflict') throw new PositionConflictError(err, position(last?.errorHeaders));
    throw err;
  }
}

/** GetObjectMeta: size, ETag and date (it carries no storage class, and CRC-64 only if the service adds it). */
export async function getObjectMeta(sdk: OssCall, bucket: string, key: string, options: RequestOptions = {}): Promise<ObjectInfo> {
  const ctx = { operation: l10n.t('read the metadata of {0}', describe('oss', bucket, key)), bucket, objectLevel: true };
  const res = await sdk(ctx, bucket, options.signal, (c) => c.getObjectMeta(key, {}));
  const headers = res.res.headers;
  const info: ObjectInfo = {
    key,
    size: objectSizeFromHeaders(headers),
    lastModified: parseDate(header(headers, 'last-modified')),
    etag: header(headers, 'etag'),
  };
  const crc64 = crcFromHeader(header(headers, CRC_HEADER));
  if (crc64 !== undefined) info.crc64 = crc64;
  return info;
}
