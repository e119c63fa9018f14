import { PassThrough, type Readable } from 'node:stream';
import { CancelledError } from '../../util/errors';

/**
 * The body of a GET as handed to callers: one stream whose errors are always `StorageError` or
 * `CancelledError` (never an SDK object), which fails when the connection goes quiet for too long, and
 * which fails instead of ending quietly when fewer bytes arrive than the response announced.
 */
export interface BodyOptions {
  /** Bytes the response announced (Content-Length), when known. */
  expectedLength?: number;
  /** Fail when no byte arrives for this long, in ms. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
  /** Turn whatever the SDK's stream emitted into a typed error. */
  mapError: (err: unknown) => Error;
  /** The error for an idle timeout. */
  timeoutError: () => Error;
  /** The error for a body shorter than announced. */
  truncatedError: (received: number, expected: number) => Error;
  /** Release the underlying request (abort the socket). */
  release: () => void;
}

export function guardedBody(source: Readable, options: BodyOptions): Readable {
  const out = new PassThrough();
  let received = 0;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;

  const fail = (err: Error): void => {
    if (finished) return;
    finished = true;
    cleanup();
    source.unpipe(out);
    options.release();
    out.destroy(err);
  };
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      // A reader that is slow to take the bytes is not a quiet server: wait for it.
      if (out.writableNeedDrain || source.isPaused()) arm();
      else fail(options.timeoutError());
    }, options.idleTimeoutMs);
    timer.unref?.();
  };
  const onAbort = (): void => fail(new CancelledError());
  const cleanup = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    options.signal?.removeEventListener('abort', onAbort);
  };

  source.on('data', (chunk: Buffer) => {
    received += chunk.length;
    arm();
  });
  source.on('error', (err: unknown) => fail(err instanceof CancelledError ? err : options.mapError(err)));
  source.on('end', () => {
    if (finished) return;
    const expected = options.expectedLength;
    if (expected !== undefined && received !== expected) {
      fail(options.truncatedError(received, expected));
      return;
    }
    finished = true;
    cleanup();
  });
  // A consumer that gives up early (destroy) releases the socket too.
  out.on('close', () => {
    if (!finished) {
      finished = true;
      cleanup();
      options.release();
    }
  });
  if (options.signal?.aborted) {
    queueMicrotask(onAbort);
  } else {
    options.signal?.addEventListener('abort', onAbort, { once: true });
  }
  arm();
  // `end: false` so a short body is reported as an error instead of ending the stream normally.
  source.pipe(out, { end: false });
  source.on('end', () => {
    if (!out.destroyed && finished) out.end();
  });
  return out;
}
