import { CancelledError } from '../util/errors';

/**
 * Part buffers shared by every part in flight, so memory stays at `capacity × part size` however many
 * parts or files are uploading: a part waits for a free buffer before it is read. Buffers are reused
 * (no allocation per part, nothing for the garbage collector to lag behind on).
 */
export class PartBufferPool {
  private readonly free: Buffer[] = [];
  private allocated = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`Invalid buffer pool capacity: ${capacity}`);
  }

  /** A buffer of at least `size` bytes; waits while `capacity` buffers are out. */
  async acquire(size: number, signal?: AbortSignal): Promise<Buffer> {
    while (this.free.length === 0 && this.allocated >= this.capacity) {
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new CancelledError());
        const wake = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new CancelledError());
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    const reused = this.free.pop();
    if (reused && reused.length >= size) return reused;
    // A larger part size (raised for a huge file) replaces a smaller buffer rather than adding one.
    if (!reused) this.allocated++;
    return Buffer.allocUnsafeSlow(size);
  }

  release(buffer: Buffer): void {
    this.free.push(buffer);
    this.waiters.shift()?.();
  }
}
