import * as l10n from '@vscode/l10n';
import { StorageError } from '../errors';
import type { RestoreOutcome, RestoreRequest } from '../objectState';
import { describe } from '../shared/connection';
import type { RequestOptions } from '../types';
import type { OssClient } from './client';
import type { OssCall } from './client';

/**
 * RestoreObject, sent as a plain signed request: ali-oss's `restore` takes only 202 as success, where OSS
 * answers 200 for an object already restored (its readable time is then extended), and it sends the tier
 * only for Cold Archive classes.
 */

interface RawRequests {
  _objectRequestParams(method: string, name: string, options: object): Record<string, unknown>;
  request(params: object): Promise<{ status: number }>;
}

export async function restoreObject(
  sdk: OssCall,
  bucket: string,
  key: string,
  request: RestoreRequest,
  options: RequestOptions = {},
): Promise<RestoreOutcome> {
  const ctx = { operation: l10n.t('restore {0}', describe('oss', bucket, key)), bucket, objectLevel: true };
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<RestoreRequest><Days>${request.days}</Days><JobParameters><Tier>${request.tier}</Tier></JobParameters></RestoreRequest>`;
  try {
    const res = await sdk(ctx, bucket, options.signal, (c: OssClient) => {
      const raw = c as unknown as RawRequests;
      const params = raw._objectRequestParams('POST', key, { subres: { restore: '' } });
      params.content = body;
      params.mime = 'xml';
      params.successStatuses = [200, 202];
      return raw.request(params);
    });
    return res.status === 200 ? 'extended' : 'started';
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'restore-in-progress') return 'in-progress';
    if (err instanceof StorageError && err.code === 'OperationNotSupported') {
      throw new StorageError(
        'not-archived',
        l10n.t('{0} ({1}).', l10n.t('The object is not in an archive storage class, so it needs no restore'), ctx.operation),
        l10n.t('Read it directly.'),
        err.code,
        err.requestId,
        err.status,
      );
    }
    throw err;
  }
}
