import * as l10n from '@vscode/l10n';
import { isIP } from 'node:net';
import { StorageError } from './errors';

/**
 * Object addresses and the lifetime rule of presigned URLs, shared by both clouds. A presigned URL carries
 * a signature made with the connection's keys: it is handed to the caller and never logged.
 */

/** The longest a presigned URL may stay valid: 7 days. */
export const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
/** The lifetime offered first: 1 hour. */
export const DEFAULT_PRESIGNED_SECONDS = 3600;

/** A key in a URL path: each segment percent-encoded, the slashes kept. */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/**
 * The address of an object behind an endpoint override: path style (`<endpoint>/<bucket>/<key>`) when the
 * endpoint is an IP address or `localhost` (a local or private server answers for every bucket on one
 * host), otherwise the bucket in the host name (`<bucket>.<endpoint host>`), as the clouds' own endpoints.
 */
export function endpointObjectUrl(endpoint: URL, bucket: string, key: string): string {
  return isPathStyle(endpoint)
    ? `${endpoint.protocol}//${endpoint.host}/${bucket}/${keyPath(key)}`
    : `${endpoint.protocol}//${bucket}.${endpoint.host}/${keyPath(key)}`;
}

/** Whether an endpoint's objects are addressed path style (see `endpointObjectUrl`). */
export function isPathStyle(endpoint: URL): boolean {
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 || host === 'localhost';
}

/** Refuses a lifetime outside 1 s … 7 days (the longest either service documents for a signed URL). */
export function checkPresignedLifetime(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGNED_SECONDS) {
    throw new StorageError(
      'invalid-request',
      l10n.t('A presigned URL is valid for 1 second to 7 days, not {0} seconds.', seconds),
      l10n.t('Pick a shorter lifetime, e.g. 1h or 7d.'),
    );
  }
  return seconds;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A lifetime typed by a person: `90s`, `30m`, `1h`, `7d`, `1h30m`, or a bare number of seconds. Returns the
 * seconds, or a message saying what is wrong (including more than 7 days).
 */
export function parseLifetime(text: string): number | string {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!t) return 'Type a lifetime such as 1h, 30m or 7d.';
  let seconds: number;
  if (/^\d+$/.test(t)) seconds = Number(t);
  else {
    if (!/^(\d+[smhd])+$/.test(t)) return `"${text}" is not a lifetime: use a number with s, m, h or d (1h, 30m, 7d).`;
    seconds = 0;
    for (const [, n, unit] of t.matchAll(/(\d+)([smhd])/g)) seconds += Number(n) * UNIT_SECONDS[unit];
  }
  if (seconds < 1) return 'A presigned URL must stay valid at least 1 second.';
  if (seconds > MAX_PRESIGNED_SECONDS) return 'A presigned URL is valid at most 7 days (7d).';
  return seconds;
}
