import { stateFromHeaders } from '../objectState';
import type { ObjectInfo } from '../types';
import { header, parseDate, type HeaderBag } from './headerBag';

export { header, parseDate, type HeaderBag };

/** Reading the response headers both clouds share in shape (their names differ by prefix). */

/** A CRC header as a canonical decimal string, or undefined when absent or not a valid CRC-64. */
export function crcFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (!/^\d{1,20}$/.test(t)) return undefined;
  const n = BigInt(t);
  return n < 1n << 64n ? n.toString(10) : undefined;
}

/** Size of the whole object: from `Content-Range: bytes a-b/total` when ranged, else `Content-Length`. */
export function objectSizeFromHeaders(headers: HeaderBag | undefined): number {
  const range = header(headers, 'content-range');
  const m = range ? /\/(\d+)\s*$/.exec(range) : null;
  if (m) return Number(m[1]);
  const len = Number(header(headers, 'content-length'));
  return Number.isFinite(len) ? len : 0;
}

export function infoFromHeaders(key: string, headers: HeaderBag | undefined, crcHeader: string, classHeader: string): ObjectInfo {
  return {
    key,
    size: objectSizeFromHeaders(headers),
    lastModified: parseDate(header(headers, 'last-modified')),
    etag: header(headers, 'etag'),
    storageClass: header(headers, classHeader) ?? 'STANDARD',
    crc64: crcFromHeader(header(headers, crcHeader)),
    // The restore and encryption headers share the storage class header's prefix (`x-cos-`, `x-oss-`).
    ...stateFromHeaders(headers, classHeader.replace(/storage-class$/, '')),
  };
}
