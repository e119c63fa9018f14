import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { CrcRecord, ObjectUpdate, Scope } from '../record/record';
import type { RunJournal } from '../record/runJournal';
import type { ObjectStore } from '../storage/types';
import { CancelledError, isCancelled, throwIfAborted } from '../util/errors';
import { ProgressThrottle } from '../util/progress';
import { CsvShapeError, InventoryCsv } from './csv';
import { findLatestManifest, type InventoryLocation } from './layout';
import { columnIndex, type ColumnIndex, type ManifestFile } from './manifest';

/**
 * An inventory report into the CRC record: the newest manifest, then each gzipped CSV streamed
 * GET → gunzip → CSV parser (./csv.ts, made for the inventory shape) → batched upserts, never a whole
 * file in memory; the next file's GET is sent while the current one is imported. Each file is imported in
 * one transaction: a truncated or corrupt file (bad gzip, bad CSV, MD5 not the manifest's, a row or an
 * unpacked size past the bounds below) is rolled back and reported, and the other files are still imported.
 */

export interface ImportProgress {
  filesDone: number;
  files: number;
  rows: number;
  /** Compressed bytes read. */
  bytes: number;
}

export interface ImportOptions {
  store: Pick<ObjectStore, 'list' | 'get'>;
  record: CrcRecord;
  /** Profile the source bucket is reached with (the record is keyed by it). */
  profile: string;
  location: InventoryLocation;
  /** Only objects below this prefix are recorded (default: all). */
  prefix?: string;
  /** The manifest imported last time: when it is still the newest, nothing is read again. */
  skipManifest?: string;
  signal?: AbortSignal;
  onProgress?(p: ImportProgress): void;
}

export interface FailedFile {
  key: string;
  message: string;
}

export interface ImportResult {
  manifestKey: string;
  /** The run folder, e.g. `20240102`: the inventory is as old as that run. */
  run: string;
  createdAt?: number;
  files: number;
  rows: number;
  failed: FailedFile[];
  /** True when the newest manifest was `skipManifest` (nothing imported). */
  unchanged?: boolean;
}

const BATCH = 5000;

/** The record's run journal as imports use it: the manifest imported last, per target. */
export function importJournal(record: CrcRecord): RunJournal<string, never> {
  return record.journal<string, never>();
}

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

/** A data file that is larger, once unpacked, than an inventory file can be: damaged input. */
class OversizedError extends Error {}

function tooLarge(why: string): OversizedError {
  return new OversizedError(l10n.t('it is damaged: {0}, more than an inventory file can hold (skipped)', why));
}

/** Counts unpacked bytes and stops the file once they pass the ratio limit against its compressed size. */
function unpackedLimit(file: ManifestFile, compressedSoFar: () => number): Transform {
  let unpacked = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      unpacked += chunk.length;
      const packed = Math.max(file.size ?? 0, compressedSoFar());
      if (unpacked > packed * MAX_RATIO + RATIO_FLOOR)
        cb(tooLarge(`it unpacks to over ${MAX_RATIO} times its ${file.size !== undefined ? 'stated ' : ''}size of ${packed} bytes`));
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
    return err.tooLong
      ? tooLarge(l10n.t('a row is longer than {0} KiB', MAX_RECORD_BYTES / 1024))
      : new Error(l10n.t('it is damaged: {0}', err.message));
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

/**
 * When a run scanned the bucket, from its folder's name: COS `YYYYMMDD` (the start of that UTC day) or
 * OSS `YYYY-MM-DDTHH-MMZ`; undefined for a name that is neither.
 */
export function runFolderDate(run: string): number | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2})-?(\d{2})(?:-?(\d{2}))?Z?)?/.exec(run);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return Number.isFinite(ms) ? ms : undefined;
}

/** `parseReportDate` remembering its last answer: the rows of one report often share a time. */
function reportDates(): (text: string | undefined) => number {
  let last: string | undefined;
  let value = NaN;
  return (text) => {
    if (text !== last) {
      last = text;
      value = parseReportDate(text);
    }
    return value;
  };
}

/** A row of a report of all versions that is not the key's current content: an older version, a delete marker. */
function notCurrent(row: string[], cols: ColumnIndex): boolean {
  const yes = (i: number | undefined) => i !== undefined && (row[i] ?? '').trim().toLowerCase() === 'true';
  return (cols.isLatest !== undefined && !yes(cols.isLatest)) || yes(cols.isDeleteMarker);
}

const CRC_DIGITS = /^\d{1,20}$/;

function toUpdate(
  row: string[],
  cols: ColumnIndex,
  checkedAt: number,
  date: (text: string | undefined) => number,
): ObjectUpdate | undefined {
  const size = Number(row[cols.size]);
  if (!Number.isSafeInteger(size) || size < 0) return undefined;
  let key: string;
  try {
    key = decodeKey(row[cols.key] ?? '');
  } catch {
    return undefined;
  }
  if (key === '') return undefined;
  const crc = cols.crc64 === undefined ? '' : (row[cols.crc64] ?? '').trim();
  const lm = cols.lastModified === undefined ? NaN : date(row[cols.lastModified]);
  const etag = cols.etag === undefined ? undefined : row[cols.etag];
  return {
    key,
    size,
    source: 'inventory',
    checkedAt,
    ...(CRC_DIGITS.test(crc) ? { crc64: crc } : {}),
    ...(etag ? { etag } : {}),
    ...(Number.isFinite(lm) ? { lastModified: lm } : {}),
  };
}

interface FileJob {
  options: ImportOptions;
  file: ManifestFile;
  cols: ColumnIndex;
  checkedAt: number;
  onRows(n: number, bytes: number): void;
}

type Body = Awaited<ReturnType<ObjectStore['get']>>['body'];

async function importFile(job: FileJob, body: Body): Promise<void> {
  const { options, file, cols } = job;
  const { record, signal } = options;
  const scope: Scope = { profile: options.profile, bucket: options.location.sourceBucket };
  const prefix = options.prefix ?? '';
  const md5 = createHash('md5');
  let compressed = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      md5.update(chunk);
      compressed += chunk.length;
      job.onRows(0, chunk.length);
      cb(null, chunk);
    },
  });
  let bad = 0;
  const date = reportDates();
  // One transaction for the whole file, across its awaits: all of its rows are recorded, or none.
  await record.transaction(async () => {
    await pipeline(
      body,
      tap,
      createGunzip(),
      unpackedLimit(file, () => compressed),
      csvRows(MAX_RECORD_BYTES),
      async function (batches: AsyncIterable<string[][]>) {
        let batch: ObjectUpdate[] = [];
        for await (const rows of batches) {
          for (const row of rows) {
            // The record holds what a key is now: only the current version of a report of all versions.
            if (notCurrent(row, cols)) continue;
            const update = toUpdate(row, cols, job.checkedAt, date);
            if (!update) bad++;
            else if (update.key.startsWith(prefix)) batch.push(update);
          }
          if (batch.length >= BATCH) {
            record.objects.upsertMany(scope, batch);
            job.onRows(batch.length, 0);
            batch = [];
          }
        }
        record.objects.upsertMany(scope, batch);
        job.onRows(batch.length, 0);
      },
      { signal },
    ).catch((err: unknown) => {
      throw damaged(err);
    });
    if (file.md5 && md5.digest('hex') !== file.md5)
      throw new Error(l10n.t('its MD5 is not the one in the manifest (the file is damaged or was replaced)'));
    if (bad > 0)
      throw new Error(bad === 1 ? l10n.t('1 row is not valid inventory rows') : l10n.t('{0} rows are not valid inventory rows', bad));
  });
}

/** A data file's GET, sent ahead of its turn; its failure is met when its turn comes. */
function fetchAhead(options: ImportOptions, file: ManifestFile): Promise<Body> {
  const p = options.store.get(options.location.destinationBucket, file.key, { signal: options.signal }).then((r) => r.body);
  p.catch(() => undefined);
  return p;
}

/**
 * Imports the newest report of an inventory. Rejects with `InventoryError` when there is no report
 * (`not-found`) or the inventory has no Crc64 column (`no-crc64-field`), and on cancellation; a damaged
 * data file is listed in `failed` and the rest is imported.
 */
export async function importInventory(options: ImportOptions): Promise<ImportResult> {
  const { signal } = options;
  const found = await findLatestManifest(options.store, options.location, signal);
  if (found.key === options.skipManifest) return { manifestKey: found.key, run: found.run, files: 0, rows: 0, failed: [], unchanged: true };
  const cols = columnIndex(found.manifest, `"${options.location.inventoryId}" of ${options.location.sourceBucket}`);
  // COS manifests carry no creationTimestamp: the run folder dates the scan (never the import time, which is later).
  const checkedAt = found.manifest.createdAt ?? runFolderDate(found.run) ?? Date.now();
  const progress: ImportProgress = { filesDone: 0, files: found.manifest.files.length, rows: 0, bytes: 0 };
  const failed: FailedFile[] = [];
  const throttle = new ProgressThrottle();
  const onRows = (n: number, bytes: number) => {
    progress.rows += n;
    progress.bytes += bytes;
    if (throttle.due()) options.onProgress?.({ ...progress });
  };
  const files = found.manifest.files;
  let next = files.length > 0 ? fetchAhead(options, files[0]) : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      const body = next!;
      // The next file's request travels while this one is gunzipped, parsed and recorded.
      next = i + 1 < files.length ? fetchAhead(options, files[i + 1]) : undefined;
      throwIfAborted(signal);
      const before = progress.rows;
      try {
        await importFile({ options, file, cols, checkedAt, onRows }, await body);
      } catch (err) {
        if (signal?.aborted || isCancelled(err)) throw new CancelledError();
        progress.rows = before;
        failed.push({ key: file.key, message: (err as Error).message });
      }
      progress.filesDone++;
      options.onProgress?.({ ...progress });
    }
  } finally {
    // Stopped early (cancelled): the body fetched ahead is not left open.
    next?.then(
      (b) => b.destroy(),
      () => undefined,
    );
  }
  return {
    manifestKey: found.key,
    run: found.run,
    ...(found.manifest.createdAt ? { createdAt: found.manifest.createdAt } : {}),
    files: found.manifest.files.length,
    rows: progress.rows,
    failed,
  };
}
