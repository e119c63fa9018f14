import * as l10n from '@vscode/l10n';
import type { promises as fs } from 'node:fs';
import { crc64Update } from '../../crc';
import type { UploadOptions } from './types';

/** The local file changed under the upload (it became shorter, or its identity moved). */
export class LocalFileChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalFileChangedError';
  }
}

/** Read exactly `length` bytes at `offset` into `buf`; a shorter file is a `LocalFileChangedError`. */
export async function readFully(handle: fs.FileHandle, buf: Buffer, length: number, offset: number, path: string): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
    if (bytesRead === 0) throw new LocalFileChangedError(l10n.t('{0} became shorter while it was being uploaded.', path));
    done += bytesRead;
  }
}

/** Bytes hashed between two turns of the event loop, so sockets keep moving while a part is hashed. */
const HASH_SLICE = 1024 * 1024;

/**
 * CRC-64 of a part, computed while the same bytes are being sent: the request starts first, the hash
 * runs in slices alongside it (or in `options.hashPart`, e.g. a worker pool), and the result is awaited
 * only when the service's answer is compared.
 */
export function startHash(options: Pick<UploadOptions, 'hashPart'>, bytes: Uint8Array): Promise<bigint> {
  const run = async (): Promise<bigint> => {
    if (options.hashPart) return options.hashPart(bytes);
    let crc = 0n;
    for (let offset = 0; offset < bytes.length; offset += HASH_SLICE) {
      if (offset > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      crc = crc64Update(crc, bytes.subarray(offset, offset + HASH_SLICE));
    }
    return crc;
  };
  const hashing = run();
  // Awaited later; a failure must not surface as an unhandled rejection before that.
  hashing.catch(() => undefined);
  return hashing;
}
