import OSS from 'ali-oss';
import { parseEndpoint } from '../shared/connection';
import type { ConnectionOptions } from '../types';
import { checkPresignedLifetime, endpointObjectUrl, isPathStyle, keyPath } from '../urls';
import { ossRegion } from './client';

/** OSS object addresses and presigned GET URLs (ali-oss `signatureUrl`, V1 query signature). */

export function ossObjectUrl(options: ConnectionOptions, bucket: string, key: string): string {
  if (options.endpoint) return endpointObjectUrl(parseEndpoint(options.endpoint), bucket, key);
  return `https://${bucket}.${ossRegion(options.region)}.aliyuncs.com/${keyPath(key)}`;
}

/**
 * `<object URL>?OSSAccessKeyId=…&Expires=<epoch s>&Signature=…` (plus `security-token` for temporary keys).
 * ali-oss refuses to sign for an IP endpoint; the V1 signature covers `/<bucket>/<key>`, not the host, so a
 * path-style endpoint is signed under a stand-in host name and the URL gets the real host back.
 */
export function ossPresignedUrl(options: ConnectionOptions, bucket: string, key: string, expiresSeconds: number): string {
  const target = new URL(ossObjectUrl(options, bucket, key));
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  const endpoint = options.endpoint ? parseEndpoint(options.endpoint) : undefined;
  const pathStyle = !!endpoint && isPathStyle(endpoint);
  const client = new OSS({
    accessKeyId,
    accessKeySecret: secretAccessKey,
    ...(sessionToken ? { stsToken: sessionToken } : {}),
    region: ossRegion(options.region),
    bucket,
    ...(endpoint
      ? { endpoint: pathStyle ? `${endpoint.protocol}//localhost` : `${endpoint.protocol}//${endpoint.host}` }
      : { secure: true }),
    ...(pathStyle ? { sldEnable: true } : {}),
  } as OSS.Options);
  const signed = new URL(client.signatureUrl(key, { expires: checkPresignedLifetime(expiresSeconds), method: 'GET' }));
  signed.protocol = target.protocol;
  signed.host = target.host;
  return signed.toString();
}
