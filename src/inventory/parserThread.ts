import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ObjectColumns } from '../record/types';
import type { ParseJob } from './parse';

/**
 * The importing side of the inventory parser thread (./worker.ts): a data file's gzipped bytes go to the
 * thread as they arrive and its objects come back in columns, so gunzip and CSV parsing run on the other
 * core while this thread writes the record. A few chunks at most are in flight, so memory stays bounded
 * when the record is the slower side.
 */

export type ToParser =
  | { type: 'start'; run: number; job: ParseJob }
  | { type: 'chunk'; run: number; data: Uint8Array }
  | { type: 'end'; run: number }
  | { type: 'stop'; run: number };

type FromParser =
  | { type: 'rows'; run: number; columns: ObjectColumns }
  | { type: 'ack'; run: number }
  | { type: 'done'; run: number; bad: number }
  | { type: 'error'; run: number; message: string };

const IN_FLIGHT = 4;
/** Compressed bytes per message to the thread. */
const POST_BYTES = 256 * 1024;

/** dist/inventory-worker.js next to the running bundle; undefined from the sources (tests pass a path). */
export function defaultParserPath(): string | undefined {
  const path = join(__dirname, 'inventory-worker.js');
  return existsSync(path) ? path : undefined;
}

export class ParserThread {
  private readonly worker: Worker;
  private runs = 0;

  constructor(path: string) {
    this.worker = new Worker(path);
    // An idle parser thread does not keep the process alive.
    this.worker.unref();
  }

  /**
   * Parses one file streamed from `body`; `onChunk` sees each compressed chunk first (checksums, progress)
   * and `onColumns` each batch of objects. Resolves with the count of rows that are not inventory rows.
   */
  parse(body: Readable, job: ParseJob, onChunk: (chunk: Buffer) => void, onColumns: (columns: ObjectColumns) => void): Promise<number> {
    const run = ++this.runs;
    const worker = this.worker;
    return new Promise<number>((resolve, reject) => {
      let inFlight = 0;
      let wake: (() => void) | undefined;
      let settled = false;
      const finish = (err: unknown, bad = 0) => {
        if (settled) return;
        settled = true;
        worker.off('message', onMessage);
        worker.off('error', finish);
        wake?.();
        if (err === undefined) return resolve(bad);
        worker.postMessage({ type: 'stop', run } satisfies ToParser);
        body.destroy();
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      const onMessage = (m: FromParser) => {
        if (m.run !== run) return;
        if (m.type === 'rows') {
          try {
            onColumns(m.columns);
          } catch (err) {
            finish(err);
          }
        } else if (m.type === 'ack') {
          inFlight--;
          wake?.();
        } else if (m.type === 'done') finish(undefined, m.bad);
        else finish(new Error(m.message));
      };
      worker.on('message', onMessage);
      worker.on('error', finish);
      worker.postMessage({ type: 'start', run, job } satisfies ToParser);
      // Socket-sized chunks are gathered into one message of about POST_BYTES, its memory handed over
      // (not copied): a message (and its acknowledgement) per 16 KB cost both threads more than the bytes.
      let gathered: Buffer[] = [];
      let gatheredBytes = 0;
      const post = async () => {
        if (gatheredBytes === 0) return;
        // A buffer of its own (never a slice of Node's shared pool), so handing its memory over is safe.
        const data = Buffer.allocUnsafeSlow(gatheredBytes);
        let at = 0;
        for (const c of gathered) at += c.copy(data, at);
        gathered = [];
        gatheredBytes = 0;
        inFlight++;
        worker.postMessage({ type: 'chunk', run, data } satisfies ToParser, [data.buffer as ArrayBuffer]);
        while (inFlight >= IN_FLIGHT && !settled) await new Promise<void>((r) => (wake = r));
      };
      void (async () => {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          if (settled) return;
          onChunk(chunk);
          gathered.push(chunk);
          gatheredBytes += chunk.byteLength;
          if (gatheredBytes >= POST_BYTES) await post();
        }
        await post();
        if (!settled) worker.postMessage({ type: 'end', run } satisfies ToParser);
      })().catch(finish);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
