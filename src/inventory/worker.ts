import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { parseGzippedCsv } from './parse';
import type { ToParser } from './parserThread';

/**
 * Inventory parser thread (bundled to dist/inventory-worker.js): gunzips and parses the data files the
 * importing thread streams to it, and posts back columns of objects, so that thread only writes the
 * record. One file at a time; each message names its run, so the leftovers of a stopped one are ignored.
 */

const port = parentPort!;
const runs = new Map<number, Readable>();

port.on('message', (m: ToParser) => {
  if (m.type === 'start') {
    const source = new Readable({ read() {} });
    runs.set(m.run, source);
    // A chunk is acknowledged once gunzip has taken it: the sender keeps only a few in flight.
    const onChunk = () => port.postMessage({ type: 'ack', run: m.run });
    parseGzippedCsv(source, m.job, (columns) => port.postMessage({ type: 'rows', run: m.run, columns }), { onChunk }).then(
      (bad) => port.postMessage({ type: 'done', run: m.run, bad }),
      (err: unknown) => port.postMessage({ type: 'error', run: m.run, message: (err as Error).message }),
    );
    return;
  }
  const source = runs.get(m.run);
  if (!source) return;
  if (m.type === 'chunk') source.push(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  else if (m.type === 'end') {
    source.push(null);
    runs.delete(m.run);
  } else {
    runs.delete(m.run);
    source.destroy(new Error('stopped'));
  }
});
