import { parseXmlError, type RawFailure } from '../shared/errorMapping';
import { header, type HeaderBag } from '../shared/headers';

/** How OSS failures read as plain fields, from ali-oss's error object and what the wire showed. */

/** What the transport saw during one attempt, beyond what ali-oss puts in its error. */
export interface OssTransport {
  /** urllib's socket error code (ECONNREFUSED, ECONNRESET). */
  code?: string;
  /** Headers of a failed answer: a HEAD answer has no body, OSS puts its error in `x-oss-err` instead. */
  errorHeaders?: HeaderBag;
}

export function rawFromSdkError(err: unknown, transport: OssTransport = {}): RawFailure {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; name?: unknown; message?: unknown; requestId?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'string' && e.code ? e.code : typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const raw: RawFailure = {
    status,
    code,
    requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
    serviceMessage: status !== undefined && status >= 400 && typeof e.message === 'string' ? e.message : undefined,
  };
  if (status === -2 || code === 'ConnectionTimeoutError' || code === 'ResponseTimeoutError') raw.timedOut = true;
  else if (status === -1 || (status === undefined && transport.code)) {
    raw.networkError = true;
    // urllib's own code (ECONNREFUSED, ECONNRESET) says more than ali-oss's "RequestError".
    if (transport.code) raw.code = transport.code;
  }
  // ali-oss calls every bodiless 404 NoSuchKey; the service's own code in `x-oss-err` tells a missing bucket.
  const fromHeader = errorFromHeader(transport.errorHeaders);
  if (fromHeader.code && status !== undefined && status >= 400) {
    raw.code = fromHeader.code;
    raw.serviceMessage = fromHeader.message ?? raw.serviceMessage;
    raw.requestId = fromHeader.requestId ?? raw.requestId;
  }
  return raw;
}

function errorFromHeader(headers: HeaderBag | undefined): { code?: string; message?: string; requestId?: string } {
  const encoded = header(headers, 'x-oss-err');
  if (!encoded) return {};
  return parseXmlError(Buffer.from(encoded, 'base64').toString('utf8'));
}
