import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectColumns } from '../record/types';
import type { ObjectStore } from '../storage/types';
import { CancelledError, isCancelled, throwIfAborted } from '../util/errors';
import { fetchDataFile, fileFault, type DataFileBody } from './import';
import type { FoundManifest, InventoryLocation } from './layout';
import type { ColumnIndex, ManifestFile } from './manifest';
import { parseGzippedCsv, type ParseJob } from './parse';
import { defaultParserPath, ParserThread } from './parserThread';

/**
 * An inventory report read as it streams, without the record: each data file in the manifest's order,
 * GET → gunzip → CSV parser (in the parser thread when the bundle has one) → batches of columns pulled by
 * the reader, with keys, sizes and CRC-64s (what a judgement needs; ETags and LastModified too when asked). A few batches at most wait for
 * the reader: the file's body is held back while they do, so memory stays bounded whatever the report's size. Used where the report is only read once (an audit
 * judged from the two reports, `--stream-reports`).
 */

export interface ReportStreamOptions {
  store: Pick<ObjectStore, 'get'>;
  location: InventoryLocation;
  found: FoundManifest;
  cols: ColumnIndex;
  /** Only objects below this prefix. */
  prefix: string;
  signal?: AbortSignal;
  /** The parser thread's script (default beside the running bundle); `false` parses in this thread. */
  parserPath?: string | false;
  /** Each data file's GET, as it is sent. */
  onRequest?(): void;
  /** Keys, sizes and CRC-64s only (default); `false` adds ETags and LastModified (to tell what changed since). */
  brief?: boolean;
}

/** A data file that could not be read whole (damaged, replaced, a failed GET): the report cannot be judged. */
export class ReportFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Rows a batch: many for a report read on its own (`brief`), fewer when it is merged with a listing, which
 * reads a report at the listing's pace — a batch waits in memory until the listing has passed it, and
 * with 5,000 rows the waiting rows outlived the young generation (the live audit at 1M a side: 0.8–1.5 s
 * of scavenges with 5,000, 0.7–0.8 s with 1,000, and peak RSS 440–460 MiB against 480–520).
 */
const BATCH = { brief: 5000, full: 1000 };
/**
 * Batches parsed ahead of the reader before the file's body is held back. Two: more waiting rows outlive
 * the young generation and are copied to the old one (the streamed audit at 1M a side: 5.1–5.8 s of CPU
 * with two, 6.4–7.9 s in five runs with eight; docs/benchmark.md has a 10M run that went the other way).
 */
const QUEUED = 2;

export async function* streamReport(o: ReportStreamOptions): AsyncGenerator<ObjectColumns> {
  const files = o.found.manifest.files;
  const checkedAt = o.found.manifest.createdAt ?? Date.now();
  const brief = o.brief !== false;
  const parserPath = o.parserPath === undefined ? defaultParserPath() : o.parserPath;
  const parser = parserPath && files.length > 0 ? new ParserThread(parserPath) : undefined;
  const request = (file: ManifestFile) => {
    o.onRequest?.();
    return fetchDataFile(o.store, o.location, file, o.signal);
  };
  let next = files.length > 0 ? request(files[0]) : undefined;
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      const pending = next!;
      // The next file's request travels while this one is read.
      next = i + 1 < files.length ? request(files[i + 1]) : undefined;
      let body: DataFileBody;
      try {
        body = await pending;
      } catch (err) {
        if (o.signal?.aborted || isCancelled(err)) throw new CancelledError();
        throw new ReportFileError(file.key, (err as Error).message);
      }
      const job: ParseJob = { cols: o.cols, prefix: o.prefix, checkedAt, batch: brief ? BATCH.brief : BATCH.full, brief };
      if (file.size !== undefined) job.statedSize = file.size;
      yield* fileColumns(o, file, body, job, parser);
    }
  } finally {
    void parser?.close();
    next?.then(
      (b) => b.destroy(),
      () => undefined,
    );
  }
}

/** One data file's batches, pulled: the body is read only while few batches wait. */
async function* fileColumns(
  o: ReportStreamOptions,
  file: ManifestFile,
  body: DataFileBody,
  job: ParseJob,
  parser: ParserThread | undefined,
): AsyncGenerator<ObjectColumns> {
  const queue: ObjectColumns[] = [];
  let finished = false;
  let stopped = false;
  let failure: unknown;
  let wakeReader: (() => void) | undefined;
  let wakeBody: (() => void) | undefined;
  const wake = (which: 'reader' | 'body') => {
    const w = which === 'reader' ? wakeReader : wakeBody;
    if (which === 'reader') wakeReader = undefined;
    else wakeBody = undefined;
    w?.();
  };
  const held = Readable.from(
    (async function* () {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        while (queue.length >= QUEUED && !stopped) await new Promise<void>((r) => (wakeBody = r));
        if (stopped) return;
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
  const stop = () => {
    stopped = true;
    wake('body');
    body.destroy();
  };
  o.signal?.addEventListener('abort', stop);
  const md5 = createHash('md5');
  const onChunk = (chunk: Buffer) => md5.update(chunk);
  const onColumns = (columns: ObjectColumns) => {
    queue.push(columns);
    wake('reader');
  };
  const parsing = (parser ? parser.parse(held, job, onChunk, onColumns) : parseGzippedCsv(held, job, onColumns, { onChunk }))
    .then((bad) => fileFault(file, md5.digest('hex'), bad))
    .then(
      (fault) => {
        if (fault) failure = new ReportFileError(file.key, fault);
      },
      (err: unknown) => {
        failure = err;
      },
    )
    .finally(() => {
      finished = true;
      wake('reader');
    });
  try {
    for (;;) {
      const columns = queue.shift();
      if (columns) {
        if (queue.length < QUEUED) wake('body');
        yield columns;
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => (wakeReader = r));
    }
    throwIfAborted(o.signal);
    if (failure !== undefined) {
      if (isCancelled(failure)) throw new CancelledError();
      throw failure instanceof ReportFileError ? failure : new ReportFileError(file.key, (failure as Error).message);
    }
  } finally {
    o.signal?.removeEventListener('abort', stop);
    if (!finished) stop();
    await parsing;
  }
}
