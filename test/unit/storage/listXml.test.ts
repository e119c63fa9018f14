import { describe, expect, it } from 'vitest';
import { parseListXml, xmlText } from '../../../src/storage/shared/listXml';
import { pageDates, parseDate } from '../../../src/storage/shared/headerBag';

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

  it('refuses a body cut short after a whole object, instead of reading it as the last page', () => {
    // Read as a page, its missing keys would count as deleted.
    const cut = '<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a</Key><Size>1</Size></Contents>';
    expect(() => parseListXml(cut)).toThrow(/<ListBucketResult> is not closed/);
    expect(() => parseListXml(`${cut}<Contents><Key>b</Key><Si`)).toThrow(/not/);
  });

  it('reads elements in any order, with whitespace, comments, attributes and self-closing elements between them', () => {
    const xml =
      '<?xml version="1.0"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <!-- a <comment> -->\n' +
      '  <Contents>\n    <Owner/>\n    <Size>7</Size>\n    <Key>k/1</Key>\n    <Type>Appendable</Type>\n  </Contents>\n' +
      '  <Contents><Owner><ID>1</ID><DisplayName>Key</DisplayName></Owner><Key>k/2</Key><Size>0</Size></Contents>\n' +
      '  <CommonPrefixes><Prefix/></CommonPrefixes>\n  <IsTruncated>true</IsTruncated>\n  <NextMarker>k/2</NextMarker>\n</ListBucketResult>\n';
    expect(parseListXml(xml)).toEqual({
      objects: [
        { key: 'k/1', size: 7, type: 'Appendable' },
        { key: 'k/2', size: 0 },
      ],
      prefixes: [],
      truncated: true,
      nextMarker: 'k/2',
    });
  });

  it('reads a full page of 1,000 objects, each with its own fields', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `p/${String(i).padStart(4, '0')}`);
    const body = keys.map((k, i) => `<Contents><Key>${k}</Key><ETag>"${i}"</ETag><Size>${i}</Size></Contents>`).join('');
    const page = parseListXml(`<ListBucketResult>${body}<IsTruncated>false</IsTruncated></ListBucketResult>`);
    expect(page.objects.map((o) => [o.key, o.size, o.etag])).toEqual(keys.map((k, i) => [k, i, `"${i}"`]));
    expect(page.objects.every((o) => o.type === undefined && o.storageClass === undefined)).toBe(true);
  });

  it('reads every Size as Number reads its text, and each object its own date and class', () => {
    const sizes = ['0', '7', '', '123456789012345', '9007199254740993', '12345678901234567890', ' 5', '5 ', '1e3', '-1', 'x', '０'];
    const body = sizes
      .map((size, i) => {
        const date = i < 6 ? '2024-01-02T03:04:05.000Z' : '2024-01-02T03:04:06.000Z';
        return `<Contents><Key>k${i}</Key><LastModified>${date}</LastModified><Size>${size}</Size><StorageClass>${i % 2 ? 'IA' : 'STANDARD'}</StorageClass></Contents>`;
      })
      .join('');
    const page = parseListXml(`<ListBucketResult>${body}<IsTruncated>false</IsTruncated></ListBucketResult>`);
    expect(page.objects.map((o) => o.size)).toEqual(sizes.map(Number));
    expect(page.objects.map((o) => [o.lastModified?.slice(-7), o.storageClass])).toEqual(
      sizes.map((_, i) => [i < 6 ? '05.000Z' : '06.000Z', i % 2 ? 'IA' : 'STANDARD']),
    );
  });

  it('reads a body given as bytes in pieces exactly as its text, multi-byte keys and the fields after the objects included', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `数据/${String(i).padStart(5, '0')}/😀&amp;`);
    const xml =
      '<?xml version="1.0"?><ListBucketResult><Name>b</Name>' +
      keys.map((k, i) => `<Contents><Key>${k}</Key><Size>${i}</Size></Contents>`).join('') +
      '<CommonPrefixes><Prefix>数据/d/</Prefix></CommonPrefixes><IsTruncated>true</IsTruncated><NextContinuationToken>t</NextContinuationToken></ListBucketResult>';
    const bytes = Buffer.from(xml);
    expect(bytes.length).toBeGreaterThan(100_000);
    const page = parseListXml(bytes);
    expect(page).toEqual(parseListXml(xml));
    expect(page.objects.map((o) => o.key)).toEqual(keys.map((k) => k.replace('&amp;', '&')));
    expect(page).toMatchObject({ prefixes: ['数据/d/'], truncated: true, nextContinuationToken: 't' });
    // Cut anywhere after the first objects, the bytes are refused too.
    for (const cut of [40_000, 100_000, bytes.length - 20])
      expect(() => parseListXml(bytes.subarray(0, cut))).toThrow(/not closed|not valid/);
    expect(() => parseListXml(Buffer.from('<Error><Code>AccessDenied</Code></Error>'))).toThrow(/not a ListBucketResult/);
  });

  it('reads objects written as the services write them exactly as the same objects laid out otherwise', () => {
    // Compact <Contents> take the one-pass read; with spaces, comments, attributes or other elements
    // between their fields they take the general one. Both must give the same objects.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const fields = (i: number): string[] => {
      const all = [
        `<Key>k/${i}/&lt;&amp;&quot;中😀</Key>`,
        `<LastModified>2024-01-0${1 + (i % 3)}T03:04:05.000Z</LastModified>`,
        `<ETag>&quot;${i.toString(16)}-2&quot;</ETag>`,
        `<Size>${i * 31}</Size>`,
        `<StorageClass>${['STANDARD', 'Archive', 'IA'][i % 3]}</StorageClass>`,
        '<Owner><ID>1250000000</ID><DisplayName>main</DisplayName></Owner>',
        `<Type>${i % 2 ? 'Normal' : 'Multipart'}</Type>`,
      ];
      const picked = all.filter((_, f) => f === 0 || random(4) > 0);
      for (let a = picked.length - 1; a > 0; a--) {
        const b = random(a + 1);
        [picked[a], picked[b]] = [picked[b], picked[a]];
      }
      return picked;
    };
    const laidOut = [
      (f: string[]) => f.join('\n  '),
      (f: string[]) => f.join('<!-- note -->'),
      (f: string[]) => f.join('') + '<RestoreStatus><OngoingRequest>false</OngoingRequest></RestoreStatus>',
      (f: string[]) => f.map((x) => x.replace('<Size>', '<Size a="1">')).join(''),
      (f: string[]) => f.join('') + '<TransitionTime/>',
    ];
    const objects = Array.from({ length: 400 }, (_, i) => fields(i));
    const page = (layout: (f: string[], i: number) => string) =>
      parseListXml(
        `<ListBucketResult>${objects.map((f, i) => `<Contents>${layout(f, i)}</Contents>`).join('')}<IsTruncated>false</IsTruncated></ListBucketResult>`,
      );
    const compact = page((f) => f.join(''));
    expect(compact.objects).toHaveLength(400);
    expect(compact.objects[0].key).toBe('k/0/<&"中😀');
    for (const layout of laidOut) {
      expect(page(layout)).toEqual(compact);
      // Every other object laid out otherwise: the two reads alternate within one page.
      expect(page((f, i) => (i % 2 ? layout(f) : f.join('')))).toEqual(compact);
    }
    const broken = '<ListBucketResult><Contents><Key>a<Size>1</Size></Contents></ListBucketResult>';
    expect(() => parseListXml(broken)).toThrow(/not valid|not closed/);
    expect(() => parseListXml('<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>')).toThrow(/without a Key/);
  });

  it('leaves text without entities as it is', () => {
    expect(xmlText('plain/key')).toBe('plain/key');
    expect(xmlText('&amp;amp;')).toBe('&amp;');
  });

  it('reads a quoted ETag as the general rule does, whatever its quotes hold', () => {
    expect(xmlText('&quot;7817e9d311a03492d66a4d1dcdac85ec&quot;')).toBe('"7817e9d311a03492d66a4d1dcdac85ec"');
    expect(xmlText('&quot;a-3&quot;')).toBe('"a-3"');
    expect(xmlText('&quot;&quot;')).toBe('""');
    expect(xmlText('&quot;')).toBe('"');
    expect(xmlText('&quot;a&amp;b&quot;')).toBe('"a&b"');
    expect(xmlText('&quot;a&quot;b&quot;')).toBe('"a"b"');
    expect(xmlText('&quot;a&#x41;&quot;')).toBe('"aA"');
    expect(xmlText('x&quot;a&quot;')).toBe('x"a"');
  });
});

describe('pageDates', () => {
  it('reads each text as parseDate does, a new Date each time, remembering only the last text', () => {
    const dateOf = pageDates();
    const texts = [
      '2024-01-02T03:04:05.000Z',
      '2024-01-02T03:04:05.000Z',
      'Tue, 02 Jan 2024 03:04:06 GMT',
      '',
      'not a date',
      '2024-01-02T03:04:05.000Z',
      undefined,
    ];
    const dates = texts.map(dateOf);
    expect(dates.map((d) => d?.getTime())).toEqual(texts.map((t) => parseDate(t)?.getTime()));
    expect(dates[0]).not.toBe(dates[1]);
  });
});
