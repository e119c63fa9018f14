import COS from 'cos-nodejs-sdk-v5';
import { parseEndpoint } from '../shared/connection';
import type { ConnectionOptions } from '../types';
import { checkPresignedLifetime, endpointObjectUrl, keyPath } from '../urls';

/** COS object addresses and presigned GET URLs (the SDK's own signing, as its `getObjectUrl` does). */

export function cosObjectUrl(options: ConnectionOptions, bucket: string, key: string): string {
  if (options.endpoint) return endpointObjectUrl(parseEndpoint(options.endpoint), bucket, key);
  return `https://${bucket}.cos.${options.region}.myqcloud.com/${keyPath(key)}`;
}

/**
 * `<object URL>?q-sign-algorithm=sha1&q-ak=…&q-sign-time=<now>;<now+lifetime>&…&q-signature=…`, the Host
 * signed (the URL opens on that host only), plus `x-cos-security-token` for temporary keys.
 */
export function cosPresignedUrl(
  options: ConnectionOptions,
  bucket: string,
  key: string,
  expiresSeconds: number,
  clockOffsetMs = 0,
): string {
  const url = cosObjectUrl(options, bucket, key);
  const authorization = cosGetAuthorization(options, {
    key,
    host: new URL(url).host,
    expiresSeconds: checkPresignedLifetime(expiresSeconds),
    clockOffsetMs,
  });
  const { sessionToken } = options.credentials;
  return `${url}?${authorization}${sessionToken ? `&x-cos-security-token=${encodeURIComponent(sessionToken)}` : ''}`;
}

/**
 * The SDK's own signature (`COS.getAuthorization`, the Host signed) of a GET of `key` on `host` with the
 * store's keys: a presigned URL's query, or the Authorization header of a listing page sent directly.
 */
export function cosGetAuthorization(
  options: ConnectionOptions,
  get: { key: string; host: string; query?: Record<string, string>; expiresSeconds?: number; clockOffsetMs: number },
): string {
  const { accessKeyId, secretAccessKey } = options.credentials;
  return COS.getAuthorization({
    SecretId: accessKeyId,
    SecretKey: secretAccessKey,
    Method: 'get',
    Key: get.key,
    ...(get.query ? { Query: get.query } : {}),
    ...(get.expiresSeconds !== undefined ? { Expires: get.expiresSeconds } : {}),
    Headers: { host: get.host },
    SystemClockOffset: get.clockOffsetMs,
  });
}
