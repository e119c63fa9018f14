import * as l10n from '@vscode/l10n';
import { computeRemoteCrc64 } from './remoteCrc';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { IntegrityError } from '../../util/errors';
import { formatBytes } from '../../util/format';

/**
 * Reading a whole object into memory — to show it in an editor — with its CRC-64 checked on the way:
 * the bytes are handed out only when they hash to the CRC-64 the service stored. Objects stored without
 * one are read but flagged, so the caller can say "not verified" instead of implying a check.
 */

export interface VerifiedReadOptions {
  signal?: AbortSignal;
  /** Refuse objects larger than this many bytes (from the announced size, when the first bytes arrive). */
  maxBytes?: number;
  onProgress?(done: number, total: number): void;
}

export interface VerifiedRead {
  bytes: Buffer;
  info: ObjectInfo;
  /** CRC-64 of the bytes received, unsigned decimal. */
  crc64: string;
  /** True when the bytes were checked against the service's CRC-64; false when it has none. */
  verified: boolean;
  /** Why the read is not verified, in a sentence, when `verified` is false. */
  notVerifiedReason?: string;
}

/** The object is larger than the caller allows reading into memory. */
export class ObjectTooLargeError extends Error {
  constructor(
    readonly key: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(l10n.t('{0} is {1}, more than the {2} allowed to open in an editor.', key, formatBytes(size), formatBytes(maxBytes)));
    this.name = 'ObjectTooLargeError';
  }
}

/**
 * GETs an object, hashes every chunk as it arrives and returns the bytes only when their CRC-64 equals
 * the one in the response (the service's whole-object CRC-64). Throws `IntegrityError` on a mismatch,
 * `ObjectTooLargeError` above `maxBytes`, `StorageError` when the body ends early, `CancelledError`
 * when the signal aborts.
 */
export async function readObjectVerified(
  store: Pick<ObjectStore, 'get'>,
  bucket: string,
  key: string,
  options: VerifiedReadOptions = {},
): Promise<VerifiedRead> {
  const { maxBytes } = options;
  const chunks: Buffer[] = [];
  let received = 0;
  const { info, crc64 } = await computeRemoteCrc64(store, bucket, key, {
    signal: options.signal,
    onProgress: options.onProgress,
    onChunk: (chunk, head) => {
      received += chunk.length;
      // Checked on the first chunk from the announced size (the rest is not read), and on every chunk
      // in case a response sends more than it announced.
      if (maxBytes !== undefined && (head.size > maxBytes || received > maxBytes))
        throw new ObjectTooLargeError(key, Math.max(head.size, received), maxBytes);
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
  });
  const bytes = Buffer.concat(chunks, received);
  if (!info.crc64) {
    return {
      bytes,
      info,
      crc64,
      verified: false,
      notVerifiedReason: 'the object was stored without a CRC-64, so its content could not be checked',
    };
  }
  if (info.crc64 !== crc64) {
    throw new IntegrityError(
      l10n.t(
        'The bytes received for {0} do not match its stored CRC-64 (received {1}, stored {2}): they were damaged on the way and are not shown. Try again.',
        key,
        crc64,
        info.crc64,
      ),
      info.crc64,
      crc64,
    );
  }
  return { bytes, info, crc64, verified: true };
}
