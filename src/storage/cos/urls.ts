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
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  const authorization = COS.getAuthorization({
    SecretId: accessKeyId,
    SecretKey: secretAccessKey,
    Method: 'get',
    Key: key,
    Expires: checkPresignedLifetime(expiresSeconds),
    Headers: { host: new URL(url).host },
    SystemClockOffset: clockOffsetMs,
  });
  return `${url}?${authorization}${sessionToken ? `&x-cos-security-token=${encodeURIComponent(sessionToken)}` : ''}`;
}
