import { describe, expect, it } from 'vitest';
import { crcFromHeader, infoFromHeaders, objectSizeFromHeaders } from '../../../src/storage/shared/headers';
import { parseEndpoint } from '../../../src/storage/shared/connection';
import { StorageError } from '../../../src/storage/errors';

describe('adapter helpers', () => {
  it('normalizes CRC headers to canonical decimal or nothing', () => {
    expect(crcFromHeader('18446744073709551615')).toBe('18446744073709551615');
    expect(crcFromHeader(' 0042 ')).toBe('42');
    expect(crcFromHeader('18446744073709551616')).toBeUndefined();
    expect(crcFromHeader('-1')).toBeUndefined();
    expect(crcFromHeader('abc')).toBeUndefined();
    expect(crcFromHeader(undefined)).toBeUndefined();
  });

  it('takes the whole object size from Content-Range when the response is a range', () => {
    expect(objectSizeFromHeaders({ 'content-length': '10', 'content-range': 'bytes 0-9/1000' })).toBe(1000);
    expect(objectSizeFromHeaders({ 'content-length': '10' })).toBe(10);
    expect(objectSizeFromHeaders({})).toBe(0);
  });

  it('builds object info from headers', () => {
    const info = infoFromHeaders(
      'k',
      { 'content-length': '3', etag: '"e"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT', 'x-cos-hash-crc64ecma': '7' },
      'x-cos-hash-crc64ecma',
      'x-cos-storage-class',
    );
    expect(info).toEqual({
      key: 'k',
      size: 3,
      etag: '"e"',
      lastModified: new Date('2024-01-01T00:00:00Z'),
      storageClass: 'STANDARD',
      crc64: '7',
    });
  });

  it('accepts http(s) endpoints only', () => {
    expect(parseEndpoint('http://127.0.0.1:9000').host).toBe('127.0.0.1:9000');
    expect(() => parseEndpoint('ftp://x')).toThrow(StorageError);
    expect(() => parseEndpoint('127.0.0.1:9000')).toThrow(/not an http/);
  });
});
