import { PassThrough } from 'node:stream';
import { CancelledError } from '../../util/errors';
import { truncatedBody } from '../errors';
import { guardedBody } from '../shared/body';
import { RawError, type Attempt, type CallContext, type CallRunner } from '../shared/call';
import { header, infoFromHeaders, type HeaderBag } from '../shared/headers';
import type { GetOptions, GetResult } from '../types';
import type { CosClient } from './client';
import { rawFromSdkError } from './errors';

export const CRC_HEADER = 'x-cos-hash-crc64ecma';
export const CLASS_HEADER = 'x-cos-storage-class';

/**
 * The SDK's output stream for a GET. The transport copies the response's status and headers onto a
 * destination that has `setHeader` as soon as the response arrives, before any byte of the body: that is
 * how the adapter learns them without waiting for the whole download.
 */
class HeaderCapture extends PassThrough {
  readonly headersSent = false;
  readonly headers: HeaderBag = {};
  onHeaders?: (status: number, headers: HeaderBag) => void;

  setHeader(name: string, value: string | string[]): void {
    this.headers[name.toLowerCase()] = value;
  }

  set statusCode(status: number) {
    this.onHeaders?.(status, this.headers);
  }
}

export interface GetTarget {
  bucket: string;
  key: string;
  region: string;
  /** Headers every attempt sends (the SSE-C key). */
  headers?: Record<string, string>;
}

/**
 * One GET attempt: resolves as soon as the headers are in, with the body still streaming. The body is
 * never repeated behind the caller's back; opening it is retried like any other call.
 */
export function getAttempt(
  cos: CosClient,
  attempt: Attempt,
  target: GetTarget,
  options: GetOptions,
  ctx: CallContext,
  runner: CallRunner,
): Promise<GetResult> {
  return new Promise<GetResult>((resolve, reject) => {
    let settled = false;
    const capture = new HeaderCapture();
    // The SDK re-emits transport errors on the output stream; they are mapped on the caller's stream.
    capture.on('error', () => undefined);
    attempt.signal.addEventListener('abort', () => capture.destroy(new CancelledError()), { once: true });
    capture.onHeaders = (status, headers) => {
      if (status < 200 || status >= 300) {
        capture.resume(); // drain the error body; the SDK's callback reports the error
        return;
      }
      const length = Number(header(headers, 'content-length'));
      const body = guardedBody(capture, {
        expectedLength: Number.isFinite(length) ? length : undefined,
        idleTimeoutMs: runner.timeoutMs,
        signal: options.signal,
        mapError: (err) => runner.errorOf(err, ctx),
        timeoutError: () => runner.fail({ timedOut: true }, ctx),
        truncatedError: (received, expected) => truncatedBody(received, expected, ctx.operation),
        release: () => {
          capture.destroy();
          attempt.abort();
        },
      });
      settled = true;
      resolve({ info: infoFromHeaders(target.key, headers, CRC_HEADER, CLASS_HEADER), body });
    };
    const headers: Record<string, string> = { ...target.headers };
    if (options.range) headers.Range = `bytes=${options.range.start}-${options.range.end}`;
    const version = options.versionId ? { VersionId: options.versionId } : {};
    cos.getObject(
      { Bucket: target.bucket, Region: target.region, Key: target.key, ...version, Headers: headers, Output: capture },
      (err) => {
        if (err && !settled) reject(new RawError(rawFromSdkError(err)));
      },
    );
  });
}
