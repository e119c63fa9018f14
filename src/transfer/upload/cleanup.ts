import * as l10n from '@vscode/l10n';
import { StorageError } from '../../storage/errors';
import type { ObjectStore } from '../../storage/types';
import type { UploadCheckpoint } from '../checkpoint';

type Log = ((line: string) => void) | undefined;

/** A stored object that failed its check is not left looking like a good copy. Returns a sentence for the error. */
export async function removeCorruptObject(store: ObjectStore, bucket: string, key: string, log: Log): Promise<string> {
  try {
    await store.deleteObject(bucket, key);
    return l10n.t('The corrupt copy was removed from the bucket.');
  } catch (err) {
    log?.(`Could not remove the corrupt copy of ${key}: ${(err as Error).message}`);
    return l10n.t('The corrupt copy could not be removed; delete it or upload again.');
  }
}

/**
 * Abort a multipart upload so no parts are left behind (not cancellable: it is the clean-up after a cancel).
 * Returns false when it could not be aborted (then the reason is logged); an upload already gone counts as aborted.
 */
export async function abortQuietly(
  store: ObjectStore,
  cp: Pick<UploadCheckpoint, 'bucket' | 'key' | 'uploadId'>,
  log: Log,
): Promise<boolean> {
  try {
    await store.abortMultipartUpload(cp.bucket, cp.key, cp.uploadId);
    return true;
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-upload') return true;
    log?.(`Could not abort the multipart upload of ${cp.key}: ${(err as Error).message}`);
    return false;
  }
}
