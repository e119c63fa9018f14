import { StorageError } from '../errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry';
import type { ConnectionOptions, ProviderKind } from '../types';

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

/** `cos://bucket/key`, as operations are named in messages. */
export function describe(provider: ProviderKind, bucket: string, key?: string, versionId?: string): string {
  return `${provider}://${bucket}/${key ?? ''}${versionId ? ` (version ${versionId})` : ''}`;
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
      `The endpoint "${endpoint}" is not an http:// or https:// URL.`,
      'Set the endpoint to a URL such as https://cos.ap-guangzhou.myqcloud.com or http://127.0.0.1:9000.',
    );
  }
  return url;
}
