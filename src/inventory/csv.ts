import * as l10n from '@vscode/l10n';
import { StringDecoder } from 'node:string_decoder';

/**
 * The CSV of inventory data files, read by a parser made for that one shape instead of a general one:
 * no header row, comma separated, rows ended by LF or CRLF, cells either bare (OSS writes `Bucket` so) or
 * in double quotes with `""` for a quote (vendor-examples/oss-inventory.md §2; COS documents no row and
 * is read the same way), a quoted cell may hold commas and line breaks. Empty lines are skipped.
 * Anything else — a quote inside a bare cell, text after a closing quote, a quote left open at the end —
 * is a damaged file, as is a row longer than `maxRecord` characters (checked while the row is still
 * arriving, so one endless cell never fills memory).
 */

export class CsvShapeError extends Error {
  constructor(
    message: string,
    /** True when the row passed the length bound (the caller words that as a bound). */
    readonly tooLong = false,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export class InventoryCsv {
  private rest = '';
  private readonly decoder = new StringDecoder('utf8');
  /** Rows parsed so far (1-based line numbers in messages). */
  private row = 0;

  constructor(private readonly maxRecord: number) {}

  /** Parses what `chunk` completes; each whole row goes to `onRow`. */
  write(chunk: Buffer, onRow: (cells: string[]) => void): void {
    const text = this.rest === '' ? this.decoder.write(chunk) : this.rest + this.decoder.write(chunk);
    const at = this.parse(text, false, onRow);
    this.rest = at === text.length ? '' : text.slice(at);
    if (this.rest.length > this.maxRecord) throw this.tooLong();
  }

  /** The last row (a file need not end with a line break). */
  end(onRow: (cells: string[]) => void): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    this.parse(text, true, onRow);
  }

  private tooLong(): CsvShapeError {
    return new CsvShapeError(l10n.t('row {0} is longer than {1} characters', this.row + 1, this.maxRecord), true);
  }

  private bad(why: string): CsvShapeError {
    return new CsvShapeError(l10n.t('row {0} is not valid CSV: {1}', this.row + 1, why));
  }

  /** Returns where the first row that is not complete yet starts (`text.length` when none). */
  private parse(text: string, final: boolean, onRow: (cells: string[]) => void): number {
    const n = text.length;
    let start = 0;
    while (start < n) {
      const cells: string[] = [];
      let i = start;
      for (;;) {
        if (i < n && text.charCodeAt(i) === QUOTE) {
          // A quoted cell: up to the quote that is not doubled.
          let j = i + 1;
          let value = '';
          let closed = -1;
          for (;;) {
            const q = text.indexOf('"', j);
            if (q < 0) break;
            if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(j, q + 1);
              j = q + 2;
              continue;
            }
            // A quote at the very end of the text may be the first of a doubled pair: wait for more.
            if (q + 1 >= n && !final) break;
            value += text.slice(j, q);
            closed = q + 1;
            break;
          }
          if (closed < 0) {
            if (final) throw this.bad(l10n.t('a quoted cell is never closed'));
            if (n - start > this.maxRecord) throw this.tooLong();
            return start;
          }
          cells.push(value);
          i = closed;
        } else {
          // A bare cell: up to the next comma or line break.
          let j = i;
          while (j < n) {
            const c = text.charCodeAt(j);
            if (c === COMMA || c === LF) break;
            if (c === QUOTE) throw this.bad(l10n.t('a quote inside a cell that does not start with one'));
            j++;
          }
          if (j >= n && !final) return start;
          cells.push(
            j > i && text.charCodeAt(j - 1) === CR && (j >= n || text.charCodeAt(j) === LF) ? text.slice(i, j - 1) : text.slice(i, j),
          );
          i = j;
        }
        if (i >= n) {
          if (!final) return start;
          break;
        }
        const c = text.charCodeAt(i);
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === LF) {
          i++;
          break;
        }
        if (c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) {
          i += 2;
          break;
        }
        if (c === CR && i + 1 >= n && !final) return start;
        throw this.bad(l10n.t('text after the closing quote of a cell'));
      }
      if (i - start > this.maxRecord) throw this.tooLong();
      // An empty line (only a line break) is skipped, as a writer's trailing blank line.
      if (!(cells.length === 1 && cells[0] === '' && text.charCodeAt(start) !== QUOTE)) {
        this.row++;
        onRow(cells);
      }
      start = i;
    }
    return start;
  }
}
