import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import type { CrcRecord, Scope } from '../record/record';
import type { ObjectColumns } from '../record/types';
import type { RunJournal } from '../record/runJournal';
import type { ObjectStore } from '../storage/types';
import { CancelledError, isCancelled, throwIfAborted } from '../util/errors';
import { ProgressThrottle } from '../util/progress';
import { findLatestManifest, type InventoryLocation } from './layout';
import { columnIndex, type ColumnIndex, type ManifestFile } from './manifest';
import { parseGzippedCsv, type ParseJob } from './parse';
import { defaultParserPath, ParserThread } from './parserThread';

export { decodeKey, MAX_RATIO, MAX_RECORD_BYTES, parseReportDate } from './parse';

/**
 * An inventory report into the CRC record: the newest manifest, then each gzipped CSV streamed
 * GET → gunzip → CSV parser (./parse.ts) → batched upserts, never a whole file in memory; gunzip and
 * parsing run in a parser thread when the bundle has one (./parserThread.ts), and the next file's GET is
 * sent while the current one is imported. Each file is imported in
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
  /**
   * The parser thread's script (default dist/inventory-worker.js beside the running bundle); `false`
   * parses in this thread. Without a script (running from the sources) files are parsed in this thread.
   */
  parserPath?: string | false;
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

/** The record's run journal as imports use it: the manifest imported last, per target. */
export function importJournal(record: CrcRecord): RunJournal<string, never> {
  return record.journal<string, never>();
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

const BATCH = 5000;

interface FileJob {
  options: ImportOptions;
  file: ManifestFile;
  cols: ColumnIndex;
  checkedAt: number;
  parser?: ParserThread;
  onRows(n: number, bytes: number): void;
}

type Body = Awaited<ReturnType<ObjectStore['get']>>['body'];

async function importFile(job: FileJob, body: Body): Promise<void> {
  const { options, file } = job;
  const { record, signal } = options;
  const scope: Scope = { profile: options.profile, bucket: options.location.sourceBucket };
  const md5 = createHash('md5');
  const onChunk = (chunk: Buffer) => {
    md5.update(chunk);
    job.onRows(0, chunk.length);
  };
  const onColumns = (columns: ObjectColumns) => {
    record.objects.upsertColumns(scope, columns);
    job.onRows(columns.keys.length, 0);
  };
  const parse: ParseJob = {
    cols: job.cols,
    prefix: options.prefix ?? '',
    checkedAt: job.checkedAt,
    ...(file.size !== undefined ? { statedSize: file.size } : {}),
    batch: BATCH,
  };
  // One transaction for the whole file, across its awaits: all of its rows are recorded, or none.
  await record.transaction(async () => {
    let bad: number;
    if (job.parser) {
      const stop = () => body.destroy(new Error('cancelled'));
      signal?.addEventListener('abort', stop);
      try {
        bad = await job.parser.parse(body, parse, onChunk, onColumns);
      } finally {
        signal?.removeEventListener('abort', stop);
      }
      throwIfAborted(signal);
    } else {
      bad = await parseGzippedCsv(body, parse, onColumns, { onChunk, ...(signal ? { signal } : {}) });
    }
    const fault = fileFault(file, md5.digest('hex'), bad);
    if (fault) throw new Error(fault);
  });
}

/** What is wrong with a data file once read whole (its MD5 against the manifest's, rows that are not inventory rows), if anything. */
export function fileFault(file: ManifestFile, md5: string, bad: number): string | undefined {
  if (file.md5 && md5 !== file.md5) return l10n.t('its MD5 is not the one in the manifest (the file is damaged or was replaced)');
  if (bad > 0) return bad === 1 ? l10n.t('1 row is not valid inventory rows') : l10n.t('{0} rows are not valid inventory rows', bad);
  return undefined;
}

export type DataFileBody = Body;

/** A data file's GET, sent ahead of its turn; its failure is met when its turn comes. */
export function fetchDataFile(
  store: Pick<ObjectStore, 'get'>,
  location: InventoryLocation,
  file: ManifestFile,
  signal: AbortSignal | undefined,
): Promise<Body> {
  const p = store.get(location.destinationBucket, file.key, { signal }).then((r) => r.body);
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
  const parserPath = options.parserPath === undefined ? defaultParserPath() : options.parserPath;
  const parser = parserPath && files.length > 0 ? new ParserThread(parserPath) : undefined;
  const fetchAhead = (file: ManifestFile) => fetchDataFile(options.store, options.location, file, signal);
  let next = files.length > 0 ? fetchAhead(files[0]) : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      const body = next!;
      // The next file's request travels while this one is gunzipped, parsed and recorded.
      next = i + 1 < files.length ? fetchAhead(files[i + 1]) : undefined;
      throwIfAborted(signal);
      const before = progress.rows;
      try {
        await importFile({ options, file, cols, checkedAt, onRows, ...(parser ? { parser } : {}) }, await body);
      } catch (err) {
        if (signal?.aborted || isCancelled(err)) throw new CancelledError();
        progress.rows = before;
        failed.push({ key: file.key, message: (err as Error).message });
      }
      progress.filesDone++;
      options.onProgress?.({ ...progress });
    }
  } finally {
    void parser?.close();
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
