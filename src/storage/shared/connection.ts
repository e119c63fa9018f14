import * as l10n from '@vscode/l10n';
import { StorageError } from '../errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry';
import type { ConnectionOptions, PartCopySource, ProviderKind } from '../types';

/** Defaults and checks of `ConnectionOptions` that both adapters apply the same way. */

/** Default time one attempt may take (until the response headers): generous for big parts on slow links, finite so nothing hangs. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Default total time of one call, every attempt and backoff included: a black-holed endpoint fails after
 * at most this long, however many retries are left.
 */
export const DEFAULT_DEADLINE_MS = 300_000;

/** Retry policy from connection options. */
export function policyOf(options: ConnectionOptions): RetryPolicy {
  return {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
    baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
  };
}

export function secretsOf(options: ConnectionOptions): string[] {
  const c = options.credentials;
  return [c.secretAccessKey, c.sessionToken ?? '', options.customerKey ?? ''].filter((s) => s.length > 0);
}

/** The operation of an UploadPartCopy, as both adapters name it in messages. */
export function partCopyOperation(provider: ProviderKind, bucket: string, key: string, partNumber: number, source: PartCopySource): string {
  const { srcBucket, srcKey, range } = source;
  const from = describe(provider, srcBucket, srcKey);
  return l10n.t('copy bytes {0}-{1} of {2} to part {3} of {4}', range.start, range.end, from, partNumber, describe(provider, bucket, key));
}

/** `cos://bucket/key`, as operations are named in messages. */
export function describe(provider: ProviderKind, bucket: string, key?: string, versionId?: string): string {
  const where = `${provider}://${bucket}/${key ?? ''}`;
  return versionId ? l10n.t('{0} (version {1})', where, versionId) : where;
}

/** The endpoint override as a URL, or a `StorageError` that says what a valid one looks like. */
export function parseEndpoint(endpoint: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) {
    throw new StorageError(
      'invalid-request',
      l10n.t('The endpoint "{0}" is not an http:// or https:// URL.', endpoint),
      l10n.t('Set the endpoint to a URL such as https://cos.ap-guangzhou.myqcloud.com or http://127.0.0.1:9000.'),
    );
  }
  return url;
}
