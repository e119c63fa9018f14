import { getMaxListeners, setMaxListeners } from 'node:events';
import { CancelledError, isAbortError } from '../../util/errors';
import { StorageError, type StorageErrorKind } from '../errors';
import { withRetry } from '../retry';
import type { ConnectionOptions, ProviderKind } from '../types';
import { DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS, policyOf, secretsOf } from './connection';
import { redact, toStorageError, type RawFailure } from './errorMapping';

/**
 * The one path every cloud call takes, for both adapters: call → attempts (each with its own timeout,
 * torn down on abort) → retry with backoff inside one total deadline → one typed error. An adapter only
 * supplies what one attempt sends with its SDK, and how its SDK's failures read as plain fields.
 */

export interface CallContext {
  /** What the call does, for messages: `HEAD cos://bucket/key`. */
  operation: string;
  bucket?: string;
  /** The source bucket of a copy. */
  sourceBucket?: string;
  /** An object-level call (HEAD, GET...): a bare 404 may then mean the bucket is missing. */
  objectLevel?: boolean;
  /** A call that reads an object (HEAD, GET, a copy's source), which an SSE-C key would be sent with. */
  readsObject?: boolean;
}

/** One attempt of a call. */
export interface Attempt {
  /** Ends the attempt: the caller's abort, or this attempt's own timeout. Hand it to the transport. */
  readonly signal: AbortSignal;
  /** How long this attempt may take, in ms: the timeout, or what is left of the deadline. */
  readonly timeoutMs: number;
  /** Tear this attempt's request down, e.g. when the caller stops reading a body it already has. */
  abort(): void;
}

/** An SDK failure the adapter already reduced to plain fields (thrown from inside an attempt). */
export class RawError extends Error {
  constructor(readonly raw: RawFailure) {
    super('request failed');
    this.name = 'RawError';
  }
}

export interface CallRunnerOptions {
  provider: ProviderKind;
  connection: ConnectionOptions;
  /** Reduce anything an SDK threw (that is not already a `RawError`) to plain fields. */
  rawOf: (err: unknown) => RawFailure;
  /** A cheap request that fails with `no-such-bucket` when the bucket is missing (a one-key listing). */
  probeBucket: (bucket: string, signal?: AbortSignal) => Promise<unknown>;
}

/** How long a bucket that answered a probe is trusted to exist without asking again. */
const BUCKET_TRUST_MS = 60_000;

export class CallRunner {
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  private readonly secrets: string[];
  private readonly bareNotFound = new WeakSet<StorageError>();
  private readonly bucketsSeen = new Map<string, number>();

  constructor(private readonly spec: CallRunnerOptions) {
    this.timeoutMs = spec.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadlineMs = spec.connection.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.secrets = secretsOf(spec.connection);
  }

  /** One logical call: attempts under the retry policy and the deadline, each a single request. */
  async run<T>(ctx: CallContext, signal: AbortSignal | undefined, attempt: (a: Attempt) => Promise<T>): Promise<T> {
    allowManyListeners(signal);
    const log = this.spec.connection.log;
    try {
      return await withRetry((n, remaining) => this.once(ctx, signal, n + 1, remaining, attempt), {
        policy: policyOf(this.spec.connection),
        signal,
        deadlineMs: this.deadlineMs,
        onRetry: (err, retry, delay) => {
          const why = err instanceof StorageError ? `${err.kind}${err.status ? ` ${err.status}` : ''}` : 'error';
          log?.(redact(`[storage] ${ctx.operation}: ${why}; retry ${retry} in ${delay} ms`, this.secrets));
        },
      });
    } catch (err) {
      throw await this.settleNotFound(err, ctx, signal);
    }
  }

  /** The typed error for anything an attempt or a body stream failed with. */
  errorOf(err: unknown, ctx: CallContext): Error {
    if (err instanceof StorageError || err instanceof CancelledError) return err;
    if (isAbortError(err)) return new CancelledError();
    return this.fail(err instanceof RawError ? err.raw : this.spec.rawOf(err), ctx);
  }

  /** The typed error for a failure described in plain fields. */
  fail(raw: RawFailure, ctx: CallContext, deadline?: { ms: number; attempts: number }, kind?: StorageErrorKind): StorageError {
    const err = toStorageError(raw, {
      kind,
      provider: this.spec.provider,
      operation: ctx.operation,
      bucket: ctx.bucket,
      profileName: this.spec.connection.profileName,
      region: this.spec.connection.region,
      defaultEndpoint: !this.spec.connection.endpoint,
      secrets: this.secrets,
      deadline,
      customerKey: ctx.readsObject ? (this.spec.connection.customerKey ? 'sent' : 'none') : undefined,
      customerKeyOnConnection: Boolean(this.spec.connection.customerKey),
    });
    // An SDK may stand in the status or a generic word for the code the answer did not have.
    const bare = !raw.code || /^\d+$/.test(raw.code) || raw.code === 'NotFound';
    if (ctx.objectLevel && err.kind === 'no-such-key' && bare) this.bareNotFound.add(err);
    return err;
  }

  private once<T>(
    ctx: CallContext,
    signal: AbortSignal | undefined,
    attempts: number,
    remainingMs: number,
    attempt: (a: Attempt) => Promise<T>,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const ms = Math.max(1, Math.min(this.timeoutMs, remainingMs));
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    // Settles the attempt even when an SDK does not notice the abort itself.
    const ended = new Promise<never>((_resolve, reject) =>
      controller.signal.addEventListener('abort', () => reject(new CancelledError()), { once: true }),
    );
    const handle: Attempt = { signal: controller.signal, timeoutMs: ms, abort: () => controller.abort() };
    let running: Promise<T>;
    try {
      running = attempt(handle);
    } catch (err) {
      running = Promise.reject(err);
    }
    return Promise.race([running, ended]).then(
      (value) => {
        cleanup();
        return value;
      },
      (err: unknown) => {
        cleanup();
        if (signal?.aborted) throw new CancelledError();
        if (timedOut) throw this.fail({ timedOut: true }, ctx, ms < this.timeoutMs ? { ms: this.deadlineMs, attempts } : undefined);
        throw this.errorOf(err, ctx);
      },
    );
  }

  /**
   * A 404 that carried no error code (HEAD answers have no body) says nothing about which is missing,
   * the object or its bucket: a one-key listing of the bucket tells, at most once a minute per bucket.
   */
  private async settleNotFound(err: unknown, ctx: CallContext, signal: AbortSignal | undefined): Promise<unknown> {
    if (!(err instanceof StorageError) || !this.bareNotFound.has(err) || ctx.bucket === undefined) return err;
    const seen = this.bucketsSeen.get(ctx.bucket);
    if (seen !== undefined && Date.now() - seen < BUCKET_TRUST_MS) return err;
    try {
      await this.spec.probeBucket(ctx.bucket, signal);
    } catch (probeErr) {
      if (probeErr instanceof StorageError && probeErr.kind === 'no-such-bucket') {
        this.bucketsSeen.delete(ctx.bucket);
        return probeErr;
      }
      if (probeErr instanceof CancelledError) return probeErr;
      return err;
    }
    this.bucketsSeen.set(ctx.bucket, Date.now());
    return err;
  }
}

/**
 * One signal commonly cancels a whole batch (a folder compare, a multipart upload), so dozens of requests
 * listen to it at once by design; lift Node's leak warning threshold (10) for such a signal.
 */
function allowManyListeners(signal: AbortSignal | undefined): void {
  if (signal && getMaxListeners(signal) !== 0 && getMaxListeners(signal) < 1000) setMaxListeners(1000, signal);
}
