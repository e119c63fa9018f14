import { getMaxListeners, setMaxListeners } from 'node:events';
import { CancelledError } from '../util/errors';
import type { ConnectionOptions, ObjectInfo } from './types';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';
import { StorageError } from './errors';
import { redact } from './errorMapping';

/** Helpers shared by the COS and OSS adapters. */

export type HeaderBag = Record<string, string | string[] | number | undefined>;

export function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const v = headers[name] ?? headers[name.toLowerCase()];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0] : String(v);
}

/** A CRC header as a canonical decimal string, or undefined when absent or not a valid CRC-64. */
export function crcFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (!/^\d{1,20}$/.test(t)) return undefined;
  const n = BigInt(t);
  return n < 1n << 64n ? n.toString(10) : undefined;
}

export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Size of the whole object: from `Content-Range: bytes a-b/total` when ranged, else `Content-Length`. */
export function objectSizeFromHeaders(headers: HeaderBag | undefined): number {
  const range = header(headers, 'content-range');
  const m = range ? /\/(\d+)\s*$/.exec(range) : null;
  if (m) return Number(m[1]);
  const len = Number(header(headers, 'content-length'));
  return Number.isFinite(len) ? len : 0;
}

export function infoFromHeaders(key: string, headers: HeaderBag | undefined, crcHeader: string, classHeader: string): ObjectInfo {
  return {
    key,
    size: objectSizeFromHeaders(headers),
    lastModified: parseDate(header(headers, 'last-modified')),
    etag: header(headers, 'etag'),
    storageClass: header(headers, classHeader) ?? 'STANDARD',
    crc64: crcFromHeader(header(headers, crcHeader)),
  };
}

/** Retry policy from connection options. */
export function policyOf(options: ConnectionOptions): RetryPolicy {
  return {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
    baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
  };
}

/** Default per-request timeout: generous for big part uploads on slow links, finite so nothing hangs. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Run one SDK call so that an abort rejects at once with `CancelledError` (the adapters also tear the
 * socket down), whatever the SDK does afterwards.
 */
export function abortable<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(new CancelledError());
  if (!signal) return run();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    run().then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? new CancelledError() : e);
      },
    );
  });
}

/**
 * One signal commonly cancels a whole batch (a folder compare, a multipart upload), so dozens of requests
 * listen to it at once by design; lift Node's leak warning threshold (10) for such a signal.
 */
function allowManyListeners(signal: AbortSignal | undefined): void {
  if (signal && getMaxListeners(signal) !== 0 && getMaxListeners(signal) < 1000) setMaxListeners(1000, signal);
}

/** Retry wrapper that logs retries without secrets. */
export function retrying<T>(
  options: ConnectionOptions,
  what: string,
  signal: AbortSignal | undefined,
  op: () => Promise<T>,
): Promise<T> {
  const secrets = secretsOf(options);
  allowManyListeners(signal);
  return withRetry(() => op(), {
    policy: policyOf(options),
    signal,
    onRetry: (err, retry, delay) => {
      const why = err instanceof StorageError ? `${err.kind}${err.status ? ` ${err.status}` : ''}` : 'error';
      options.log?.(redact(`[storage] ${what}: ${why}; retry ${retry} in ${delay} ms`, secrets));
    },
  });
}

export function secretsOf(options: ConnectionOptions): string[] {
  const c = options.credentials;
  return [c.secretAccessKey, c.sessionToken ?? ''].filter((s) => s.length > 0);
}

export function describe(provider: string, bucket: string, key?: string): string {
  return `${provider}://${bucket}/${key ?? ''}`;
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
