import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import { formatCrc64, parseCrc64 } from '../../crc';
import type { ObjectStore } from '../../storage/types';
import { IntegrityError } from '../../util/errors';
import { removeCorruptObject } from './cleanup';
import { LocalFileChangedError, startHash } from './localFile';
import { type UploadOptions, type UploadResult } from './types';
import { uploadVerdict } from './verdict';
import { retryBudget } from '../retryBudget';

/**
 * A small file in one PUT: read once, hashed while it is sent, checked against the CRC-64 the service
 * computed over what it stored; a mismatch is sent again up to `partRetries` times, then removed.
 */
export async function uploadSingle(store: ObjectStore, options: UploadOptions, size: number): Promise<UploadResult> {
  const { bucket, key, localPath } = options;
  const body = await fs.readFile(localPath);
  if (body.length !== size) throw new LocalFileChangedError(l10n.t('{0} changed while it was being read.', localPath));
  const hashing = options.verify !== false ? startHash(options, body) : undefined;
  const retries = retryBudget('partResends', options.partRetries);
  const base = { path: localPath, bucket, key, size, parts: 0, retriedParts: [] as number[], resumedParts: 0 };
  options.onProgress?.({ bytesDone: 0, bytesTotal: size });
  for (let attempt = 0; ; attempt++) {
    const res = await store.put(bucket, key, body, { signal: options.signal });
    const local = hashing ? await hashing : undefined;
    const remote = parseCrc64(res.crc64);
    const verdict = uploadVerdict({ local, remote, via: 'put' });
    if (verdict.kind !== 'integrity-failure') {
      options.onProgress?.({ bytesDone: size, bytesTotal: size });
      const crcs = {
        ...(local !== undefined ? { crc64: formatCrc64(local) } : {}),
        ...(remote !== undefined && local !== undefined ? { remoteCrc64: formatCrc64(remote) } : {}),
      };
      return verdict.kind === 'verified'
        ? { ...base, ...crcs, verified: true }
        : { ...base, ...crcs, verified: false, reason: verdict.reason };
    }
    const [ours, theirs] = [formatCrc64(verdict.expected), formatCrc64(verdict.actual)];
    base.retriedParts = [0];
    options.log?.(`PUT ${key}: CRC-64 mismatch (local ${ours}, service ${theirs}); sending again`);
    if (attempt >= retries) {
      const removed = await removeCorruptObject(store, bucket, key, options.log);
      throw new IntegrityError(
        l10n.t('Upload of {0} failed its CRC-64 check {1} times (local {2}, service {3}). {4}', key, attempt + 1, ours, theirs, removed),
        ours,
        theirs,
      );
    }
  }
}
