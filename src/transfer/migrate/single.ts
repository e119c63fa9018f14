import * as l10n from '@vscode/l10n';
import { crc64, formatCrc64, parseCrc64 } from '../../crc';
import type { ObjectInfo } from '../../storage/types';
import { IntegrityError } from '../../util/errors';
import { PartBufferPool } from '../bufferPool';
import { refOf, removeCorruptDestination } from './shared';
import { SourceStream } from './sourceStream';
import { type MigrateOptions, type MigrateResult } from './types';
import { verdict } from './verdict';
import { retryBudget } from '../retryBudget';

/**
 * A small object in one GET and one PUT, through one pooled buffer: the stream's CRC-64 must be the
 * source's (else it is read again), and the destination's must be the stream's (else it is sent again).
 */
export async function migrateSingle(options: MigrateOptions, head: ObjectInfo): Promise<MigrateResult> {
  const verify = options.verify !== false;
  const pool = options.buffers ?? new PartBufferPool(1);
  const buffer = await pool.acquire(Math.max(1, head.size), options.signal);
  try {
    const bytes = buffer.subarray(0, head.size);
    const read = await readVerified(options, head, bytes);
    options.onProgress?.({ bytesDone: 0, bytesTotal: head.size });
    const put = await putVerified(options, bytes, read.streamCrc);
    options.onProgress?.({ bytesDone: head.size, bytesTotal: head.size });
    const base = {
      source: refOf(options.source),
      destination: refOf(options.destination),
      size: head.size,
      parts: 0,
      outcome: 'copied' as const,
      retriedParts: put.retried ? [0] : [],
      resumedParts: 0,
      sourceRetries: read.sourceRetries,
    };
    if (!verify) return { ...base, verified: false, reason: l10n.t('verification was switched off') };
    return { ...base, ...verdict(read.sourceCrc, read.streamCrc!, put.destinationCrc) };
  } finally {
    pool.release(buffer);
  }
}

async function readVerified(
  options: MigrateOptions,
  head: ObjectInfo,
  bytes: Buffer,
): Promise<{ streamCrc?: bigint; sourceCrc?: bigint; sourceRetries: number }> {
  const { bucket, key } = options.source;
  const retries = retryBudget('sourceRereads', options.sourceRetries);
  for (let attempt = 0; ; attempt++) {
    const stream = new SourceStream(options.source.store, {
      bucket,
      key,
      start: 0,
      size: head.size,
      etag: head.etag,
      retryBaseDelayMs: options.retryBaseDelayMs,
      signal: options.signal,
      log: options.log,
    });
    try {
      await stream.readInto(bytes, bytes.length);
    } finally {
      stream.close();
    }
    if (options.verify === false) return { sourceRetries: attempt };
    const streamCrc = crc64(bytes);
    const sourceCrc = parseCrc64(stream.info?.crc64 ?? head.crc64);
    if (sourceCrc === undefined || sourceCrc === streamCrc) return { streamCrc, sourceCrc, sourceRetries: attempt };
    const what = l10n.t(
      "The bytes read from {0} have CRC-64 {1} but the source's is {2}",
      key,
      formatCrc64(streamCrc),
      formatCrc64(sourceCrc),
    );
    if (attempt >= retries) {
      throw new IntegrityError(
        l10n.t('{0} (read {1} times). Nothing was written.', what, attempt + 1),
        formatCrc64(sourceCrc),
        formatCrc64(streamCrc),
      );
    }
    options.log?.(`${what}; reading it again.`);
  }
}

async function putVerified(
  options: MigrateOptions,
  bytes: Buffer,
  streamCrc: bigint | undefined,
): Promise<{ destinationCrc?: bigint; retried: boolean }> {
  const { store, bucket, key } = options.destination;
  const retries = retryBudget('partResends', options.partRetries);
  for (let attempt = 0; ; attempt++) {
    const res = await store.put(bucket, key, bytes, { signal: options.signal });
    const destinationCrc = parseCrc64(res.crc64);
    if (streamCrc === undefined || destinationCrc === undefined || destinationCrc === streamCrc) {
      return { destinationCrc, retried: attempt > 0 };
    }
    const what = l10n.t(
      "PUT {0}: the destination's CRC-64 {1} is not the stream's {2}",
      key,
      formatCrc64(destinationCrc),
      formatCrc64(streamCrc),
    );
    if (attempt >= retries) {
      const removed = await removeCorruptDestination(options);
      throw new IntegrityError(
        l10n.t('{0} (sent {1} times). {2}', what, attempt + 1, removed),
        formatCrc64(streamCrc),
        formatCrc64(destinationCrc),
      );
    }
    options.log?.(`${what}; sending again.`);
  }
}
