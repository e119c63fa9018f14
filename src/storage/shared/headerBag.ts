/** Raw response headers and the readers everything else builds on (a leaf of src/storage: imports only src/util). */

import { rememberLast } from '../../util/rememberLast';

export type HeaderBag = Record<string, string | string[] | number | undefined>;

export function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const v = headers[name] ?? headers[name.toLowerCase()];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0] : String(v);
}

export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * `parseDate` remembering its last text, for the objects of one listing page: the services give
 * LastModified to the second, and objects copied or uploaded together share one; a page has a thousand.
 * A new Date each time, as `parseDate` gives.
 */
export function pageDates(): (value: string | undefined) => Date | undefined {
  const msOf = rememberLast((value) => parseDate(value)?.getTime());
  return (value) => {
    const ms = msOf(value);
    return ms === undefined ? undefined : new Date(ms);
  };
}

/** Size of the whole object: from `Content-Range: bytes a-b/total` when ranged, else `Content-Length`. */
export function objectSizeFromHeaders(headers: HeaderBag | undefined): number {
  const range = header(headers, 'content-range');
  const m = range ? /\/(\d+)\s*$/.exec(range) : null;
  if (m) return Number(m[1]);
  const len = Number(header(headers, 'content-length'));
  return Number.isFinite(len) ? len : 0;
}
