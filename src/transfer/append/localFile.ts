import * as l10n from '@vscode/l10n';
import { createReadStream, promises as fs } from 'node:fs';
import { Crc64Hasher } from '../../crc';

/** CRC-64 of the local file's first `length` bytes (streamed, never held whole). */
export async function prefixCrc(path: string, length: number, signal?: AbortSignal): Promise<bigint> {
  if (length === 0) return 0n;
  const hasher = new Crc64Hasher();
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, signal, highWaterMark: 1024 * 1024 })) {
    hasher.update(chunk as Buffer);
  }
  return hasher.digest();
}

/** Exactly `length` bytes at `offset`; the file only grows, so a short read means it was truncated. */
export async function readRange(handle: fs.FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
    if (bytesRead === 0) throw new Error(l10n.t('The local file became shorter while it was being appended.'));
    done += bytesRead;
  }
  return buf;
}
