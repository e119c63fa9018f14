import { describe, expect, it } from 'vitest';
import { parseListXml, xmlText } from '../../../src/storage/shared/listXml';

/** The listing answer read straight from its XML (the store tests read it through the SDKs against the emulator). */
describe('ListBucketResult reader', () => {
  it('reads objects, folders and the next-page fields, with entities and character references resolved', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><Prefix>a/</Prefix><IsTruncated>true</IsTruncated>' +
      '<NextMarker>a/&lt;x&gt;</NextMarker>' +
      '<Contents><Key>a/&amp;&quot;&apos;&#38;&#x1F600; b</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass><Owner><ID>1</ID></Owner></Contents>' +
      '<Contents><Key>a/Size</Key><Size>0</Size></Contents>' +
      '<CommonPrefixes><Prefix>a/d&amp;/</Prefix></CommonPrefixes>' +
      '<NextContinuationToken>t&amp;1</NextContinuationToken></ListBucketResult>';
    expect(parseListXml(xml)).toEqual({
      objects: [
        { key: 'a/&"\'&😀 b', size: 12, lastModified: '2024-01-02T03:04:05.000Z', etag: '"abc"', storageClass: 'STANDARD' },
        { key: 'a/Size', size: 0 },
      ],
      prefixes: ['a/d&/'],
      truncated: true,
      nextMarker: 'a/<x>',
      nextContinuationToken: 't&1',
    });
  });

  it('reads an empty last page (IsTruncated false, an empty NextMarker) as the end', () => {
    expect(parseListXml('<ListBucketResult><IsTruncated>false</IsTruncated><NextMarker></NextMarker></ListBucketResult>')).toEqual({
      objects: [],
      prefixes: [],
      truncated: false,
    });
    expect(parseListXml('<ListBucketResult><IsTruncated>false</IsTruncated><NextMarker/></ListBucketResult>').truncated).toBe(false);
  });

  it('refuses what is not a listing or is cut short, instead of reading part of it', () => {
    expect(() => parseListXml('<Error><Code>AccessDenied</Code></Error>')).toThrow(/not a ListBucketResult/);
    expect(() => parseListXml('<ListBucketResult><Contents><Key>a</Key><Size>1</Size>')).toThrow(/not closed/);
    expect(() => parseListXml('<ListBucketResult><Contents><Key>a</Contents></ListBucketResult>')).toThrow(/not closed/);
    expect(() => parseListXml('<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>')).toThrow(/without a Key/);
  });

  it('leaves text without entities as it is', () => {
    expect(xmlText('plain/key')).toBe('plain/key');
    expect(xmlText('&amp;amp;')).toBe('&amp;');
  });
});
