import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CancelledError, isCancelled, throwIfAborted } from '../util/errors';
import { Crc64Hasher } from './crc64';
import type { LocalCrcs } from './localCrcs';
import type { HashPool } from './pool';

/**
 * Local hashing as the checks (Compare, Verify) take it: a `LocalHasher` hashes a list of files, one
 * outcome per path. The worker pool (parallel, cached) in the extension and the CLI; a plain stream
 * hasher by default.
 */

/** The CRC-64 (decimal) of one whole local file, streamed on this thread in 1 MiB chunks. */
export async function fileCrc64(path: string, signal?: AbortSignal): Promise<string> {
  const hasher = new Crc64Hasher();
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1024 * 1024 })) hasher.update(chunk as Uint8Array);
  return hasher.digestDecimal();
}

export interface HashOutcome {
  path: string;
  size?: number;
  crc64?: bigint;
  error?: Error;
}

/** CRC-64 of local files, one outcome per path in the order given. */
export type LocalHasher = (
  paths: readonly string[],
  signal: AbortSignal | undefined,
  onProgress: (done: number, total: number) => void,
) => Promise<HashOutcome[]>;

/**
 * The default hasher: each file streamed through the CRC-64 engine on this thread. The extension and
 * the CLI pass the worker pool instead (parallel, cached).
 */
export const streamHasher: LocalHasher = async (paths, signal, onProgress) => {
  const sizes = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  const out: HashOutcome[] = [];
  for (const path of paths) {
    throwIfAborted(signal);
    const hasher = new Crc64Hasher();
    try {
      for await (const chunk of createReadStream(path, { signal })) {
        hasher.update(chunk as Uint8Array);
        done += (chunk as Uint8Array).length;
        onProgress(done, total);
      }
      out.push({ path, size: hasher.length, crc64: hasher.digest() });
    } catch (err) {
      if (signal?.aborted || isCancelled(err)) throw new CancelledError();
      out.push({ path, error: err as Error });
    }
  }
  return out;
};

/** The worker pool as a `LocalHasher` (remembered CRC-64s, when given, spare files that cannot have changed). */
export function poolHasher(pool: Pick<HashPool, 'hashFiles'>, cache?: LocalCrcs): LocalHasher {
  return async (paths, signal, onProgress) =>
    (await pool.hashFiles(paths, { signal, onProgress, ...(cache ? { cache } : {}) })).map((r) =>
      'error' in r ? { path: r.path, error: r.error } : { path: r.path, size: r.size, crc64: r.crc64 },
    );
}
