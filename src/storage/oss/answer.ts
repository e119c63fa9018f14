import { crcFromHeader, header } from '../shared/headers';
import type { OssRes } from './client';

/** Reading what OSS answered: the CRC-64 and storage class headers, and the ETag of a write. */

export const CRC_HEADER = 'x-oss-hash-crc64ecma';
export const CLASS_HEADER = 'x-oss-storage-class';

/** The ETag and CRC-64 of an answer that stored something (PUT, part, Complete, copy, append). */
export function etagAndCrc(res: OssRes, etag?: unknown): { etag?: string; crc64?: string } {
  return {
    etag: header(res.headers, 'etag') ?? (typeof etag === 'string' ? etag : undefined),
    crc64: crcFromHeader(header(res.headers, CRC_HEADER)),
  };
}
