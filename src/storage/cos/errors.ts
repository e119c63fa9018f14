import { parseXmlError, type RawFailure } from '../shared/errorMapping';
import { header, type HeaderBag } from '../shared/headers';

/** How COS failures read as plain fields, from the SDK's error object or from the wire itself. */

export const REQUEST_ID_HEADER = 'x-cos-request-id';

/** An SDK error (or one of the adapter's own `{ malformed }` / `{ statusCode, code }` stand-ins) reduced to plain fields. */
export function rawFromSdkError(err: unknown): RawFailure {
  const e = (err ?? {}) as {
    statusCode?: number;
    code?: string;
    malformed?: boolean;
    headers?: HeaderBag;
    error?: { Code?: string; Message?: string; RequestId?: string } | string;
  };
  if (e.malformed) return { malformed: true };
  const body = typeof e.error === 'object' && e.error !== null ? e.error : undefined;
  const code = body?.Code ?? (typeof e.code === 'string' ? e.code : undefined);
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const raw: RawFailure = {
    status,
    code,
    serviceMessage: body?.Message,
    requestId: body?.RequestId ?? header(e.headers, REQUEST_ID_HEADER),
  };
  // A socket error code wins over a status: the status may belong to a response that broke off mid-body.
  if (code && /^E[A-Z_]+$/.test(code)) {
    raw.status = undefined;
    raw.networkError = true;
    if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') raw.timedOut = true;
  }
  return fixSuccessWithError(raw);
}

/** COS may answer 200 with an `<Error>` body (CompleteMultipartUpload); treat it by its code. */
function fixSuccessWithError(raw: RawFailure): RawFailure {
  if (raw.status !== undefined && raw.status < 300 && raw.code) {
    const transient = ['InternalError', 'SlowDown', 'ServiceUnavailable'].includes(raw.code);
    return { ...raw, status: transient ? 503 : 400 };
  }
  return raw;
}

/** The transport's view of one attempt (a socket error, or a status with its error body), reduced to plain fields. */
export function rawFromTransport(
  err: unknown,
  response: { statusCode?: number; headers?: HeaderBag } | undefined,
  body: unknown,
): RawFailure {
  if (err) {
    const code = (err as { code?: unknown }).code;
    const c = typeof code === 'string' ? code : undefined;
    return { code: c, networkError: true, timedOut: c === 'ETIMEDOUT' || c === 'ESOCKETTIMEDOUT' };
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : undefined;
  const xml = parseXmlError(text);
  return fixSuccessWithError({
    status: response?.statusCode,
    code: xml.code,
    serviceMessage: xml.message,
    requestId: xml.requestId ?? header(response?.headers, REQUEST_ID_HEADER),
  });
}
