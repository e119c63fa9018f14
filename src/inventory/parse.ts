import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { normalizeEtag } from '../record/keyOrder';
import type { ObjectColumns } from '../record/types';
import { rememberLast } from '../util/rememberLast';
import { CsvShapeError, InventoryCsv } from './csv';
import type { ColumnIndex } from './manifest';

/**
 * One inventory data file from its gzipped bytes to columns of objects: gunzip → CSV parser (./csv.ts,
 * made for the inventory shape) → the rows that are objects, a batch of columns at a time. The same code
 * runs in the importing thread or in the parser thread (./parserThread.ts), so both read a file alike.
 */

/**
 * Bounds on what one data file may unpack to, so a damaged or hostile file (a gzip bomb: a few hundred KB
 * that unpack to gigabytes of one cell) is refused early instead of exhausting memory. A row of an
 * inventory is well under a kilobyte (keys are at most 1,024 bytes, URL-encoded); CSV of that kind packs
 * about 5–20 to 1, so a file may unpack to `MAX_RATIO` times its stated (or, without one, its read) size,
 * plus `RATIO_FLOOR` for tiny files.
 */
export const MAX_RECORD_BYTES = 64 * 1024;
export const MAX_RATIO = 200;
const RATIO_FLOOR = 16 * 1024 * 1024;

/** What a file is read with; plain data, so it can be posted to the parser thread. */
export interface ParseJob {
  cols: ColumnIndex;
  /** Only keys below this prefix are kept. */
  prefix: string;
  checkedAt: number;
  /** The file's size as the manifest states it. */
  statedSize?: number;
  /** Rows per batch of columns. */
  batch: number;
  /** Keys, sizes and CRC-64s only (`etags` and `lastModified` stay empty): a reader that judges, not records. */
  brief?: boolean;
}

/** A data file that is larger, once unpacked, than an inventory file can be: damaged input. */
class OversizedError extends Error {}

function tooLarge(why: string): OversizedError {
  return new OversizedError(`it is damaged: ${why}, more than an inventory file can hold (skipped)`);
}

/** Counts unpacked bytes and stops the file once they pass the ratio limit against its compressed size. */
function unpackedLimit(statedSize: number | undefined, compressedSoFar: () => number): Transform {
  let unpacked = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      unpacked += chunk.length;
      const packed = Math.max(statedSize ?? 0, compressedSoFar());
      if (unpacked > packed * MAX_RATIO + RATIO_FLOOR)
        cb(tooLarge(`it unpacks to over ${MAX_RATIO} times its ${statedSize !== undefined ? 'stated ' : ''}size of ${packed} bytes`));
      else cb(null, chunk);
    },
  });
}

/** Unpacked CSV in, the rows each chunk completes out (an error here stops the pipeline with it). */
function csvRows(maxRecord: number): Transform {
  const csv = new InventoryCsv(maxRecord);
  let rows: string[][] = [];
  const onRow = (cells: string[]) => rows.push(cells);
  const flush = (self: Transform) => {
    if (rows.length) self.push(rows);
    rows = [];
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, cb) {
      try {
        csv.write(chunk, onRow);
      } catch (err) {
        return cb(err as Error);
      }
      flush(this);
      cb();
    },
    flush(cb) {
      try {
        csv.end(onRow);
      } catch (err) {
        return cb(err as Error);
      }
      flush(this);
      cb();
    },
  });
}

/** The CSV parser's errors in the words of the rest: a row past the bound, or text that is not CSV. */
function damaged(err: unknown): unknown {
  if (err instanceof CsvShapeError)
    return err.tooLong ? tooLarge(`a row is longer than ${MAX_RECORD_BYTES / 1024} KiB`) : new Error(`it is damaged: ${err.message}`);
  return err;
}

/** Keys are URL-encoded in both services' CSVs ('+' as a space, as form encoding writes it). */
export function decodeKey(text: string): string {
  // Most keys need no decoding: skip the two passes over them.
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/**
 * A report's LastModifiedDate in ms. OSS writes `2025-04-14T07-06-00Z` (hyphens in the time,
 * https://help.aliyun.com/zh/oss/user-guide/bucket-inventory); ISO 8601 is read as well.
 */
export function parseReportDate(text: string | undefined): number {
  if (!text) return NaN;
  const t = text.trim().replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/, '$1:$2:$3$4');
  return Date.parse(t);
}

/** A row of a report of all versions that is not the key's current content: an older version, a delete marker. */
function notCurrent(row: string[], cols: ColumnIndex): boolean {
  return (cols.isLatest !== undefined && !cellIsTrue(row, cols.isLatest)) || cellIsTrue(row, cols.isDeleteMarker);
}

/** Whether a report's boolean column (`IsLatest`, `IsDeleteMarker`) says true in `row`. */
export function cellIsTrue(row: string[], i: number | undefined): boolean {
  return i !== undefined && (row[i] ?? '').trim().toLowerCase() === 'true';
}

export const CRC_DIGITS = /^\d{1,20}$/;

/** Rows of a file into batches of columns; rows that are not valid inventory rows are counted. */
export class RowColumns {
  /** Rows that are not valid inventory rows. */
  bad = 0;
  private columns: ObjectColumns;
  // The rows of one report often share a time.
  private readonly date = rememberLast(parseReportDate);

  constructor(private readonly job: ParseJob) {
    this.columns = this.empty();
  }

  private empty(): ObjectColumns {
    return { source: 'inventory', checkedAt: this.job.checkedAt, keys: [], etags: [], sizes: [], lastModified: [], crc64s: [] };
  }

  get length(): number {
    return this.columns.keys.length;
  }

  add(row: string[]): void {
    const { cols, prefix } = this.job;
    // The record holds what a key is now: only the current version of a report of all versions.
    if (notCurrent(row, cols)) return;
    const size = Number(row[cols.size]);
    let key: string;
    try {
      key = decodeKey(row[cols.key] ?? '');
    } catch {
      key = '';
    }
    if (!Number.isSafeInteger(size) || size < 0 || key === '') {
      this.bad++;
      return;
    }
    if (!key.startsWith(prefix)) return;
    const crc = cols.crc64 === undefined ? '' : (row[cols.crc64] ?? '').trim();
    const c = this.columns;
    c.keys.push(key);
    c.sizes.push(size);
    c.crc64s.push(CRC_DIGITS.test(crc) ? crc : null);
    if (this.job.brief) return;
    const lm = cols.lastModified === undefined ? NaN : this.date(row[cols.lastModified]);
    const etag = cols.etag === undefined ? undefined : row[cols.etag];
    // As the record keeps it (`normalizeEtag`): done here, in the parser thread, not by the reader.
    c.etags.push(normalizeEtag(etag));
    c.lastModified.push(Number.isFinite(lm) ? lm : null);
  }

  /** The rows so far, and a new empty batch. */
  take(): ObjectColumns {
    const c = this.columns;
    this.columns = this.empty();
    return c;
  }
}

/**
 * Reads one gzipped data file from `source`, within the bounds above, and hands its CSV rows to `onRows` a
 * batch at a time; `onChunk` sees each compressed chunk as gunzip takes it. Rejects with a message fit for
 * the user when the file is damaged or too large.
 */
export async function readGzippedRows(
  source: Readable,
  statedSize: number | undefined,
  onRows: (rows: string[][]) => void,
  options: { onChunk?(chunk: Buffer): void; signal?: AbortSignal } = {},
): Promise<void> {
  let compressed = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      compressed += chunk.length;
      options.onChunk?.(chunk);
      cb(null, chunk);
    },
  });
  await pipeline(
    source,
    tap,
    createGunzip(),
    unpackedLimit(statedSize, () => compressed),
    csvRows(MAX_RECORD_BYTES),
    async function (batches: AsyncIterable<string[][]>) {
      for await (const batch of batches) onRows(batch);
    },
    { signal: options.signal },
  ).catch((err: unknown) => {
    throw damaged(err);
  });
}

/**
 * Reads one gzipped data file from `source` and hands its objects to `onColumns` a batch at a time (at
 * least `job.batch` rows, the last batch fewer). Resolves with the number of rows that are not valid
 * inventory rows; rejects as `readGzippedRows` does.
 */
export async function parseGzippedCsv(
  source: Readable,
  job: ParseJob,
  onColumns: (columns: ObjectColumns) => void,
  options: { onChunk?(chunk: Buffer): void; signal?: AbortSignal } = {},
): Promise<number> {
  const rows = new RowColumns(job);
  await readGzippedRows(
    source,
    job.statedSize,
    (batch) => {
      for (const row of batch) rows.add(row);
      if (rows.length >= job.batch) onColumns(rows.take());
    },
    options,
  );
  if (rows.length) onColumns(rows.take());
  return rows.bad;
}
