import * as l10n from '@vscode/l10n';
import type { Readable } from 'node:stream';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { CancelledError, throwIfAborted } from '../../util/errors';
import { backoffDelay, DEFAULT_RETRY_POLICY, isTransientError, sleep } from '../../storage/retry';
import { retryBudget } from '../retryBudget';

/**
 * The source object as one sequential stream, read into caller-owned buffers (pooled part buffers) so
 * nothing is buffered beyond what the caller holds. A connection that fails or ends early mid-body is
 * reopened with a ranged GET from the first byte not yet read; an ETag that changed between two GETs
 * means the source changed, and the migration stops rather than mixing two versions.
 */

export interface SourceStreamOptions {
  bucket: string;
  key: string;
  /** First byte to read (a resume starts at its first missing part). */
  start: number;
  /** The source's size. */
  size: number;
  /** The ETag the source had when the migration started. */
  etag?: string;
  reopenRetries?: number;
  retryBaseDelayMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export class SourceChangedError extends Error {
  constructor(key: string) {
    super(l10n.t('The source {0} changed while it was being migrated (its ETag is different); run the migration again.', key));
    this.name = 'SourceChangedError';
  }
}

const normEtag = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '').toLowerCase();

export class SourceStream {
  /** Headers of the first GET; `crc64` is the whole object's, also for a ranged GET. */
  info?: ObjectInfo;
  private offset: number;
  private body?: Readable;
  private chunks?: AsyncIterator<Buffer>;
  private leftover?: Buffer;
  private reopened = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly options: SourceStreamOptions,
  ) {
    this.offset = options.start;
  }

  /** Fill `target[0, length)` with the next `length` bytes of the object. */
  async readInto(target: Buffer, length: number): Promise<void> {
    let filled = 0;
    while (filled < length) {
      const chunk = await this.nextChunk();
      const take = Math.min(chunk.length, length - filled);
      chunk.copy(target, filled, 0, take);
      if (take < chunk.length) this.leftover = chunk.subarray(take);
      filled += take;
      this.offset += take;
    }
  }

  /** Stop reading; the connection is released. */
  close(): void {
    this.body?.destroy();
    this.body = undefined;
    this.chunks = undefined;
  }

  private async nextChunk(): Promise<Buffer> {
    if (this.leftover) {
      const chunk = this.leftover;
      this.leftover = undefined;
      return chunk;
    }
    for (;;) {
      throwIfAborted(this.options.signal);
      try {
        if (!this.chunks) await this.open();
        const step = await this.chunks!.next();
        if (!step.done) return step.value;
        throw new PrematureEndError(this.options.key, this.offset, this.options.size);
      } catch (err) {
        if (this.options.signal?.aborted) throw new CancelledError();
        if (err instanceof SourceChangedError) throw err;
        await this.reopenAfter(err);
      }
    }
  }

  private async reopenAfter(err: unknown): Promise<void> {
    this.close();
    const retries = retryBudget('sourceReopens', this.options.reopenRetries);
    if (!(err instanceof PrematureEndError || isTransientError(err)) || this.reopened >= retries) throw err;
    this.options.log?.(`GET ${this.options.key}: ${(err as Error).message}; reading again from byte ${this.offset}`);
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: this.options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs };
    await sleep(backoffDelay(++this.reopened, policy), this.options.signal);
  }

  private async open(): Promise<void> {
    const { bucket, key, size, signal } = this.options;
    const range = this.offset > 0 ? { start: this.offset, end: size - 1 } : undefined;
    const got = await this.store.get(bucket, key, { range, signal });
    const expected = this.options.etag ?? this.info?.etag;
    if (expected !== undefined && normEtag(got.info.etag) !== normEtag(expected)) {
      got.body.destroy();
      throw new SourceChangedError(key);
    }
    this.info ??= got.info;
    this.body = got.body;
    this.chunks = (got.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
}

class PrematureEndError extends Error {
  constructor(key: string, offset: number, size: number) {
    super(l10n.t('the body of {0} ended at byte {1} of {2}', key, offset, size));
    this.name = 'PrematureEndError';
  }
}
