import * as l10n from '@vscode/l10n';
import { Crc64Hasher } from '../../crc/crc64';
import { StorageError } from '../../storage/errors';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { CancelledError, isCancelled, throwIfAborted } from '../../util/errors';

export interface RemoteCrcResult {
  /** CRC-64 of the bytes downloaded, unsigned decimal. */
  crc64: string;
  size: number;
  /** The service's own CRC-64, when the object has one (to show both). */
  serviceCrc64?: string;
  info: ObjectInfo;
}

export interface RemoteCrcOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
  /** Each chunk as it is hashed (to keep the bytes); throwing stops the download with that error. */
  onChunk?(chunk: Uint8Array, info: ObjectInfo): void;
}

/**
 * CRC-64 of an object computed by streaming it through the engine (never written to disk), for objects
 * stored without one. Accepts `(store, bucket, key, signal, onProgress)` or `(store, bucket, key, options)`.
 */
export async function computeRemoteCrc64(
  store: Pick<ObjectStore, 'get'>,
  bucket: string,
  key: string,
  signalOrOptions?: AbortSignal | RemoteCrcOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<RemoteCrcResult> {
  const options: RemoteCrcOptions =
    signalOrOptions === undefined || signalOrOptions instanceof AbortSignal ? { signal: signalOrOptions, onProgress } : signalOrOptions;
  const { signal } = options;
  const { info, body } = await store.get(bucket, key, { signal });
  const hasher = new Crc64Hasher();
  try {
    for await (const chunk of body) {
      hasher.update(chunk as Uint8Array);
      options.onChunk?.(chunk as Uint8Array, info);
      options.onProgress?.(hasher.length, info.size);
    }
  } catch (err) {
    body.destroy();
    if (signal?.aborted || isCancelled(err)) throw new CancelledError();
    throw err;
  }
  throwIfAborted(signal);
  if (hasher.length !== info.size) {
    throw new StorageError(
      'network',
      l10n.t('The download of {0} ended after {1} of {2} bytes.', key, hasher.length, info.size),
      l10n.t('Retry; check the network connection if it keeps happening.'),
    );
  }
  return { crc64: hasher.digestDecimal(), size: hasher.length, ...(info.crc64 ? { serviceCrc64: info.crc64 } : {}), info };
}
