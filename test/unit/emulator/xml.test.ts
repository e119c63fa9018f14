import { describe, expect, it } from 'vitest';
import { esc, toXml, xmlDocument, xmlDocumentChunks, XmlBytes } from '../../../emulator/xml';

/** The emulator's XML writer: every answer body goes through it, listings with thousands of fields. */
describe('emulator XML writer', () => {
  it('escapes the five special characters and leaves other text as it is', () => {
    expect(esc(`a<b>&'"c`)).toBe('a&lt;b&gt;&amp;&apos;&quot;c');
    expect(esc('"etag"')).toBe('&quot;etag&quot;');
    expect(esc('plain/key 1')).toBe('plain/key 1');
    expect(esc(42)).toBe('42');
  });

  it('writes nested nodes and repeated elements in order, leaving out undefined and null', () => {
    expect(toXml({ A: 1, B: [{ C: 'x<' }, { C: 'y', D: undefined }], E: null, F: false, G: [] })).toBe(
      '<A>1</A><B><C>x&lt;</C></B><B><C>y</C></B><F>false</F>',
    );
    expect(xmlDocument('R', { K: 'v' })).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<R><K>v</K></R>');
  });

  it('writes elements into bytes as UTF-8 of their text, past its first buffer and with characters of every width', () => {
    const pieces = Array.from({ length: 3000 }, (_, i) => `<Key>${esc(`k${i}/中文/😀/é&<`)}</Key>`);
    const bytes = new XmlBytes();
    for (const p of pieces) bytes.add(p);
    const expected = Buffer.from(pieces.join(''), 'utf8');
    expect(expected.length).toBeGreaterThan(64 * 1024);
    expect(bytes.bytes().equals(expected)).toBe(true);
    // In several chunks, none copied to grow another, and one piece larger than a chunk kept whole.
    expect(bytes.chunks().length).toBeGreaterThan(1);
    const big = `<Big>${'é'.repeat(50_000)}</Big>`;
    bytes.add(big);
    expect(bytes.bytes().equals(Buffer.concat([expected, Buffer.from(big, 'utf8')]))).toBe(true);
    expect(new XmlBytes().bytes().length).toBe(0);
    expect(new XmlBytes().chunks()).toEqual([]);
  });

  it('writes a document as bytes exactly as its text, elements already in bytes copied where they stand', () => {
    const items = new XmlBytes();
    for (let i = 0; i < 2000; i++) items.add(`<C><K>${esc(`键${i}&😀`)}</K></C>`);
    const text = items.bytes().toString('utf8');
    const node = { A: 'x<', B: [{ C: 1 }, { C: 'é' }], N: null, Items: items, D: { E: items }, F: false };
    const expected = `<?xml version="1.0" encoding="UTF-8"?>\n<R><A>x&lt;</A><B><C>1</C></B><B><C>é</C></B>${text}<D>${text}</D><F>false</F></R>`;
    expect(Buffer.concat(xmlDocumentChunks('R', node)).toString('utf8')).toBe(expected);
    expect(xmlDocument('R', node)).toBe(expected);
  });
});
