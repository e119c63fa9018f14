import * as l10n from '@vscode/l10n';
import { StorageError } from '../errors';
import { describe } from '../shared/connection';
import { header } from '../shared/headers';
import type { ObjectInfo, RequestOptions } from '../types';
import type { OssCall } from './client';

/**
 * OSS symlink objects. A listing gives a link's own entry (type `Symlink`, the size of the link, not of
 * what it points to), while HEAD and GET follow it to the target. Checks compare sizes from the listing
 * before any CRC-64, so a link listed with its own size would be a false "differs" (oss-browser #347):
 * a listed link is HEADed here and carries its target's size, ETag and CRC-64, marked as a link.
 */

export async function readSymlink(sdk: OssCall, bucket: string, key: string, options: RequestOptions = {}): Promise<string> {
  const ctx = { operation: l10n.t('read the symlink {0}', describe('oss', bucket, key)), bucket, objectLevel: true };
  const res = await sdk(ctx, bucket, options.signal, (c) => c.getSymlink(key, {}));
  return (res.targetName as string | undefined) ?? decodeURIComponent(header(res.res.headers, 'x-oss-symlink-target') ?? '');
}

/** Listed links as what they read as; a link whose target is gone keeps its own entry. */
export async function resolveListedSymlinks(objects: ObjectInfo[], head: (key: string) => Promise<ObjectInfo>): Promise<ObjectInfo[]> {
  if (!objects.some((o) => o.objectType === 'Symlink')) return objects;
  return Promise.all(
    objects.map(async (o) => {
      if (o.objectType !== 'Symlink') return o;
      try {
        const target = await head(o.key);
        return { ...target, key: o.key, objectType: 'Symlink', ...(o.lastModified ? { lastModified: o.lastModified } : {}) };
      } catch (err) {
        if (err instanceof StorageError && err.kind === 'no-such-key') return o;
        throw err;
      }
    }),
  );
}
