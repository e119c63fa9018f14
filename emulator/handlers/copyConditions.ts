import type { RequestContext } from '../context';
import { EmulatorError } from '../errors';
import { normalizeEtag } from '../request';
import type { ObjectMeta } from '../store';

/**
 * The copy-source conditions of CopyObject and UploadPartCopy (`x-cos-copy-source-If-Match` /
 * `x-oss-copy-source-if-match` and the If-None-Match, If-Modified-Since and If-Unmodified-Since variants),
 * checked before anything is read or written: a copy whose condition fails writes nothing.
 */

const failed = (): EmulatorError =>
  new EmulatorError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.');

/** A date header in milliseconds; undefined when absent or not a date (the services ignore such a header). */
function dateHeader(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.serviceHeader(name);
  const ms = raw === undefined ? NaN : Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether an If-Match / If-None-Match value (a list, `*`, quoted or not) names the object's ETag. */
function etagListed(value: string, etag: string): boolean {
  return value.split(',').some((e) => e.trim() === '*' || normalizeEtag(e) === normalizeEtag(etag));
}

/**
 * Throws unless the source `m` meets the request's copy-source conditions. If-Match decides over
 * If-Unmodified-Since, If-None-Match over If-Modified-Since, as the headers pair up in HTTP; dates compare
 * in whole seconds, the precision of Last-Modified. A failed If-Match / If-Unmodified-Since is 412
 * PreconditionFailed on both services; a failed If-None-Match / If-Modified-Since is 412 on COS and
 * 304 Not Modified on OSS (the dialect's `copyNotModifiedStatus`).
 */
export function checkCopySourceConditions(ctx: RequestContext, m: ObjectMeta): void {
  const modified = Math.floor(m.lastModified / 1000) * 1000;
  const ifMatch = ctx.serviceHeader('copy-source-if-match');
  const ifUnmodifiedSince = dateHeader(ctx, 'copy-source-if-unmodified-since');
  if (ifMatch !== undefined ? !etagListed(ifMatch, m.etag) : ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    throw failed();
  }
  const ifNoneMatch = ctx.serviceHeader('copy-source-if-none-match');
  const ifModifiedSince = dateHeader(ctx, 'copy-source-if-modified-since');
  if (ifNoneMatch !== undefined ? etagListed(ifNoneMatch, m.etag) : ifModifiedSince !== undefined && modified <= ifModifiedSince) {
    throw ctx.dialect.copyNotModifiedStatus === 304
      ? new EmulatorError(304, 'NotModified', 'The source object was not modified.')
      : failed();
  }
}
