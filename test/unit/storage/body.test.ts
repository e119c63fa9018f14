import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardedBody, type BodyOptions } from '../../../src/storage/shared/body';
import { StorageError } from '../../../src/storage/errors';
import { CancelledError } from '../../../src/util/errors';

function guard(source: Readable, over: Partial<BodyOptions> = {}): { body: Readable; released: () => number } {
  let released = 0;
  const body = guardedBody(source, {
    idleTimeoutMs: 60,
    mapError: (err) => new StorageError('network', `mapped: ${(err as Error).message}`),
    timeoutError: () => new StorageError('timeout', 'quiet'),
    truncatedError: (got, want) => new StorageError('network', `short ${got}/${want}`),
    release: () => void released++,
    ...over,
  });
  return { body, released: () => released };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('guardedBody', () => {
  it('passes the bytes through when the announced length arrives', async () => {
    const source = new PassThrough();
    const { body } = guard(source, { expectedLength: 6 });
    source.end(Buffer.from('abcdef'));
    expect((await readAll(body)).toString()).toBe('abcdef');
  });

  it('fails a body shorter than announced instead of ending quietly', async () => {
    const source = new PassThrough();
    const { body, released } = guard(source, { expectedLength: 10 });
    source.end(Buffer.from('abc'));
    await expect(readAll(body)).rejects.toThrow('short 3/10');
    expect(released()).toBe(1);
  });

  it('maps the source error to a typed error', async () => {
    const source = new PassThrough();
    const { body } = guard(source);
    source.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(readAll(body)).rejects.toThrow('mapped: socket hang up');
  });

  it('fails when the server goes quiet, and releases the request', async () => {
    const source = new PassThrough();
    const { body, released } = guard(source);
    source.write('a');
    const err = await readAll(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('timeout');
    expect(released()).toBe(1);
  });

  it('does not count a slow reader as a quiet server', async () => {
    const source = new PassThrough();
    const { body } = guard(source, { expectedLength: 256 * 1024 });
    source.end(Buffer.alloc(256 * 1024, 1)); // far more than the buffers hold: the reader has to catch up
    await new Promise((r) => setTimeout(r, 200));
    expect((await readAll(body)).length).toBe(256 * 1024);
  });

  it('ends with a cancellation on abort and releases the request', async () => {
    const source = new PassThrough();
    const controller = new AbortController();
    const { body, released } = guard(source, { signal: controller.signal, idleTimeoutMs: 10_000 });
    source.write('abc');
    controller.abort();
    await expect(readAll(body)).rejects.toBeInstanceOf(CancelledError);
    expect(released()).toBe(1);
  });

  it('a reader that stops early releases the request', async () => {
    const source = new PassThrough();
    const { body, released } = guard(source, { idleTimeoutMs: 10_000 });
    source.write('abc');
    body.destroy();
    await new Promise((r) => setImmediate(r));
    expect(released()).toBe(1);
  });
});
