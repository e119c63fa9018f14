import { stateFromHeaders } from '../objectState';
import type { ObjectInfo } from '../types';
import { header, objectSizeFromHeaders, pageDates, parseDate, type HeaderBag } from './headerBag';

import { objectKindFromHeaders } from './objectKind';

export { header, objectSizeFromHeaders, pageDates, parseDate, type HeaderBag };

/** Reading the response headers both clouds share in shape (their names differ by prefix). */

/** A CRC header as a canonical decimal string, or undefined when absent or not a valid CRC-64. */
export function crcFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (!/^\d{1,20}$/.test(t)) return undefined;
  const n = BigInt(t);
  return n < 1n << 64n ? n.toString(10) : undefined;
}

export function infoFromHeaders(key: string, headers: HeaderBag | undefined, crcHeader: string, classHeader: string): ObjectInfo {
  return {
    key,
    size: objectSizeFromHeaders(headers),
    lastModified: parseDate(header(headers, 'last-modified')),
    etag: header(headers, 'etag'),
    storageClass: header(headers, classHeader) ?? 'STANDARD',
    crc64: crcFromHeader(header(headers, crcHeader)),
    ...objectKindFromHeaders(headers, crcHeader.slice(0, crcHeader.indexOf('-hash-') + 1)),
    // The restore and encryption headers share the storage class header's prefix (`x-cos-`, `x-oss-`).
    ...stateFromHeaders(headers, classHeader.replace(/storage-class$/, '')),
  };
}
