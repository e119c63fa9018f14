import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvShapeError, InventoryCsv } from '../../../src/inventory/csv';
import { decodeKey, parseReportDate } from '../../../src/inventory/import';

/** Every row of `text`, fed to the parser in pieces cut at `cuts` (byte offsets). */
function rowsOf(text: string | Buffer, cuts: number[] = [], max = 64 * 1024): string[][] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const csv = new InventoryCsv(max);
  const rows: string[][] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    csv.write(bytes.subarray(at, cut), (r) => rows.push(r));
    at = cut;
  }
  csv.write(bytes.subarray(at), (r) => rows.push(r));
  csv.end((r) => rows.push(r));
  return rows;
}

describe('inventory CSV parser', () => {
  it('reads the OSS example rows as documented (vendor/oss-inventory.md §2): bare Bucket, quoted cells, URL-encoded Key', () => {
    const doc = readFileSync(join(__dirname, '../../fixtures/vendor/oss-inventory.md'), 'utf8');
    const line = doc.split('\n').find((l) => l.startsWith('source-bucket,'))!;
    // The stored copy joins the page's two lines with a space and runs the next sentence on (see its note).
    const text = line.replace(/" source-bucket,/, '"\nsource-bucket,').replace(/"Key 使用.*$/, '"\n');
    const rows = rowsOf(text);
    expect(rows).toEqual([
      ['source-bucket', 'dir%2Fbody.xml', '102400', 'Standard', '2025-04-14T07-06-00Z'],
      ['source-bucket', 'dest.png', '312049', 'Standard', '2025-04-14T07-05-59Z'],
    ]);
    expect(decodeKey(rows[0][1])).toBe('dir/body.xml');
    expect(new Date(parseReportDate(rows[0][4])).toISOString()).toBe('2025-04-14T07:06:00.000Z');
  });

  it('honours doubled quotes, commas and line breaks inside quotes, CRLF, a last row without a line break, and skips empty lines', () => {
    const text = '"a""b","c,d","e\nf"\r\n\n"",x,\r\nlast,"row"';
    expect(rowsOf(text)).toEqual([
      ['a"b', 'c,d', 'e\nf'],
      ['', 'x', ''],
      ['last', 'row'],
    ]);
  });

  it('gives the same rows wherever the chunks are cut, multi-byte characters and CRLF included', () => {
    const text = '"ü数据","1",bare\r\n"q""uote\r\n","2",\n😀,"3","x"\r\n';
    const whole = rowsOf(text);
    const bytes = Buffer.from(text);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) expect(rowsOf(bytes, [a, b])).toEqual(whole);
    }
  });

  it('agrees with a general CSV parser (csv-parse) on generated inventory-shaped files', () => {
    const cell = fc.oneof(
      fc
        .string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', '%2F', 'é', '数', '😀'), maxLength: 12 })
        .map((s) => `"${s.replace(/"/g, '""')}"`),
      fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', ' ', 'é'), maxLength: 8 }),
    );
    const row = fc.array(cell, { minLength: 2, maxLength: 6 }).map((cells) => cells.join(','));
    const file = fc.tuple(fc.array(row, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean());
    fc.assert(
      fc.property(file, fc.array(fc.nat(400), { maxLength: 4 }), ([rows, eol, trailing], cuts) => {
        const text = rows.join(eol) + (trailing ? eol : '');
        const expected = (parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][]).filter(
          (r) => !(r.length === 1 && r[0] === ''),
        );
        const bytes = Buffer.from(text);
        expect(
          rowsOf(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          ),
        ).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['a quote inside a bare cell', 'ab"c,"d"\n', /row 1 is not valid CSV: a quote inside a cell/],
    ['text after a closing quote', '"ok","1"\n"ab"c,"d"\n', /row 2 is not valid CSV: text after the closing quote/],
    ['a quote never closed', '"ok","1"\n"open,d\n', /row 2 is not valid CSV: a quoted cell is never closed/],
  ])('refuses malformed rows: %s', (_name, text, message) => {
    expect(() => rowsOf(text)).toThrow(message);
  });

  it('refuses a row past the bound while it is still arriving, quoted or bare, and takes one just under it', () => {
    const max = 1000;
    const csv = new InventoryCsv(max);
    let seen = 0;
    csv.write(Buffer.from('"'), () => seen++);
    expect(() => {
      for (let i = 0; i < 100; i++) csv.write(Buffer.alloc(100, 0x61), () => seen++);
    }).toThrow(CsvShapeError);
    expect(seen).toBe(0);
    const bare = new InventoryCsv(max);
    const err = (() => {
      try {
        for (let i = 0; i < 100; i++) bare.write(Buffer.alloc(100, 0x61), () => undefined);
      } catch (e) {
        return e as CsvShapeError;
      }
      return undefined;
    })();
    expect(err?.tooLong).toBe(true);
    // A complete row that arrives in one piece is held to the bound too.
    expect(() => rowsOf(`"${'a'.repeat(max)}"\n`, [], max)).toThrow(/longer than 1000 characters/);
    expect(rowsOf(`"${'a'.repeat(max - 3)}"\n`, [], max)).toEqual([['a'.repeat(max - 3)]]);
  });
});
