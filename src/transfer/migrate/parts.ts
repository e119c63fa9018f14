import * as l10n from '@vscode/l10n';
import { formatCrc64, parseCrc64 } from '../../crc';
import { StorageError } from '../../storage/errors';
import type { ObjectInfo } from '../../storage/types';
import { runLimited } from '../../util/concurrency';
import { IntegrityError } from '../../util/errors';
import { PartBufferPool } from '../bufferPool';
import { partRange } from '../planner';
import type { MigrationSession } from './session';
import { startHash } from './shared';
import { SourceStream } from './sourceStream';
import { DEFAULT_MIGRATE_CONCURRENCY, type MigrateOptions } from './types';
import { retryBudget } from '../retryBudget';

/**
 * Stream the source from its first part the destination does not have into pooled buffers and send the
 * parts, several in flight. Each part's CRC-64 is computed from the streamed bytes and checked against the
 * destination's (a wrong one is sent again); a part an interrupted run already sent that comes by in the
 * stream is checked against the CRC it was sent with (and sent again if the bytes differ).
 */

export interface StreamedParts {
  /** CRC-64 of every part's source bytes (streamed now, or from the checkpoint); empty without verify. */
  crcs: Map<number, bigint>;
  retriedParts: Set<number>;
  /** The source's whole-object CRC-64 as the GET reported it (the HEAD's when nothing was streamed). */
  sourceCrc?: bigint;
}

interface Part {
  n: number;
  buffer: Buffer;
  length: number;
}

export async function streamParts(options: MigrateOptions, head: ObjectInfo, session: MigrationSession): Promise<StreamedParts> {
  const { plan, done } = session;
  const verify = options.verify !== false;
  const crcs = new Map<number, bigint>();
  const retriedParts = new Set<number>();
  if (verify) for (const p of done.values()) crcs.set(p.partNumber, BigInt(p.crc64));
  let first = 1;
  while (first <= plan.partCount && done.has(first)) first++;
  if (first > plan.partCount) return { crcs, retriedParts, sourceCrc: parseCrc64(head.crc64) };

  // One controller stops the reader and the pool waits as soon as a part fails.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_MIGRATE_CONCURRENCY);
  const reader = partReader(options, head, session, first, options.buffers ?? new PartBufferPool(concurrency), stop.signal);
  let bytesDone = 0;
  for (let n = 1; n < first; n++) bytesDone += done.get(n)!.size;
  options.onProgress?.({ bytesDone, bytesTotal: head.size });
  const send = partSender(options, session, retriedParts);
  try {
    await runLimited(
      reader.parts(),
      concurrency,
      async (part, laneSignal) => {
        try {
          const crc = await send(part, laneSignal);
          if (crc !== undefined) crcs.set(part.n, crc);
          bytesDone += part.length;
          options.onProgress?.({ bytesDone, bytesTotal: head.size });
        } catch (err) {
          stop.abort();
          throw err;
        } finally {
          reader.release(part.buffer);
        }
      },
      { signal: options.signal },
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    reader.close();
    await session.saving;
  }
  return { crcs, retriedParts, sourceCrc: parseCrc64(reader.stream.info?.crc64 ?? head.crc64) };
}

/**
 * The parts from `first` on, each read from the one source stream into a pooled buffer. Buffers handed
 * out and not yet given back are tracked, so a part read but never taken by a lane is released too.
 */
function partReader(
  options: MigrateOptions,
  head: ObjectInfo,
  session: MigrationSession,
  first: number,
  pool: PartBufferPool,
  signal: AbortSignal,
) {
  const { plan } = session;
  const stream = new SourceStream(options.source.store, {
    bucket: options.source.bucket,
    key: options.source.key,
    start: partRange(plan, head.size, first).offset,
    size: head.size,
    etag: head.etag,
    retryBaseDelayMs: options.retryBaseDelayMs,
    signal,
    log: options.log,
  });
  const out = new Set<Buffer>();
  const release = (buffer: Buffer): void => {
    if (out.delete(buffer)) pool.release(buffer);
  };
  async function* parts(): AsyncGenerator<Part> {
    for (let n = first; n <= plan.partCount; n++) {
      const { length } = partRange(plan, head.size, n);
      const buffer = await pool.acquire(plan.partSize, signal);
      out.add(buffer);
      await stream.readInto(buffer, length);
      yield { n, buffer, length };
    }
  }
  const close = (): void => {
    stream.close();
    for (const buffer of [...out]) release(buffer);
  };
  return { stream, parts, release, close };
}

/** Sends one part (or confirms one already sent) and returns the CRC-64 of its source bytes. */
function partSender(options: MigrateOptions, session: MigrationSession, retriedParts: Set<number>) {
  const { store, bucket, key } = options.destination;
  const verify = options.verify !== false;
  const retries = retryBudget('partResends', options.partRetries);
  const uploadId = session.checkpoint.uploadId;
  return async (part: Part, signal: AbortSignal): Promise<bigint | undefined> => {
    const bytes = part.buffer.subarray(0, part.length);
    const hashing = verify ? startHash({}, bytes) : undefined;
    const kept = session.done.get(part.n);
    if (kept && hashing) {
      const crc = await hashing;
      if (crc === BigInt(kept.crc64)) return crc;
      options.log?.(`Part ${part.n} of ${key}: the source's bytes differ from those sent before; sending it again.`);
      session.done.delete(part.n);
    } else if (kept) return undefined;
    for (let attempt = 0; ; attempt++) {
      const res = await store.uploadPart(bucket, key, uploadId, part.n, bytes, { signal });
      if (!res.etag)
        throw new StorageError('malformed-response', l10n.t('The destination returned no ETag for part {0} of {1}.', part.n, key));
      const local = hashing ? await hashing : undefined;
      const remote = verify ? parseCrc64(res.crc64) : undefined;
      if (local !== undefined && remote !== undefined && remote !== local) {
        retriedParts.add(part.n);
        const what = l10n.t(
          "Part {0} of {1}: the destination's CRC-64 {2} is not the stream's {3}",
          part.n,
          key,
          formatCrc64(remote),
          formatCrc64(local),
        );
        if (attempt < retries) {
          options.log?.(`${what}; sending again.`);
          continue;
        }
        throw new IntegrityError(
          l10n.t('{0} (sent {1} times). The migration was not completed.', what, attempt + 1),
          formatCrc64(local),
          formatCrc64(remote),
          part.n,
        );
      }
      session.done.set(part.n, {
        partNumber: part.n,
        etag: res.etag,
        crc64: local === undefined ? '' : formatCrc64(local),
        size: part.length,
        verified: remote !== undefined,
      });
      session.save();
      return local;
    }
  };
}
