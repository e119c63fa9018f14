import type { RequestContext } from './context';
import { EmulatorError, ResetSignal } from './errors';
import type { Received } from './store';

/**
 * Receive an upload's body into a temporary file as the faults want it (corrupted, cut in the middle)
 * and check it against Content-Length and Content-MD5. PutObject and UploadPart share it.
 */
export async function receiveBody(ctx: RequestContext): Promise<Received> {
  const lengthText = ctx.header('content-length');
  const expected = lengthText === undefined ? undefined : Number(lengthText);
  const reset = ctx.has('reset');
  const resetAt = Math.max(1, Math.floor((expected ?? 2) / 2));
  let r: Received;
  try {
    r = await ctx.store.receive(ctx.req, {
      corrupt: ctx.has('corrupt-upload'),
      expectedLength: expected,
      onBytes: reset
        ? (n) => {
            if (n >= resetAt) throw new ResetSignal('reset');
          }
        : undefined,
    });
  } catch (e) {
    if (e instanceof ResetSignal) throw e;
    throw new ResetSignal('client went away');
  }
  if (reset) {
    // An empty body: nothing to cut in the middle, so cut before answering.
    await ctx.store.discard(r.tmpPath);
    throw new ResetSignal('reset');
  }
  if (expected !== undefined && r.size !== expected) {
    await ctx.store.discard(r.tmpPath);
    throw new EmulatorError(400, 'IncompleteBody', 'The request body is shorter than Content-Length.');
  }
  const md5Header = ctx.header('content-md5');
  if (md5Header && Buffer.from(r.md5, 'hex').toString('base64') !== md5Header.trim()) {
    await ctx.store.discard(r.tmpPath);
    throw new EmulatorError(400, 'InvalidDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  return r;
}
