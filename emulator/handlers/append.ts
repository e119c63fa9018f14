import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { combineCrc64 } from '../crc64';
import { EmulatorError } from '../errors';
import { receiveBody } from '../body';
import type { RequestContext } from '../context';
import { versionHeaders } from './versioning';
import type { BucketState, ObjectMeta, Received, Store } from '../store';

/**
 * OSS AppendObject and COS APPEND Object (`POST /<key>?append&position=N`): the body is added at `position`,
 * which must equal the object's current length (0 creates it). The OSS answer carries
 * `x-oss-next-append-position` (the new length) and `x-oss-hash-crc64ecma`, the CRC-64 of the WHOLE object
 * so far (the CRC of what was there combined with the CRC of the appended bytes), as OSS documents. The
 * COS answer carries `x-cos-next-append-position` and the ETag and, as documented, no CRC-64
 * (vendor-examples/crc-headers.md, APPEND Object); the object keeps one, which HEAD and GET return.
 * COS errors: 409 AppendPositionErr and 409 ObjectNotAppendable (errors.md; one page version says 400).
 * GetObjectMeta (`HEAD /<key>?objectMeta`) is here too.
 */

/** 409 PositionNotEqualToLength, with the position to append at next. */
export class PositionNotEqualToLength extends EmulatorError {
  constructor(readonly nextPosition: number) {
    super(
      409,
      'PositionNotEqualToLength',
      'Position is not equal to file length.',
      { 'x-oss-next-append-position': String(nextPosition) },
      '0026-00000016',
    );
  }
}

/** COS's name for a position that is not the object's length. */
class AppendPositionErr extends EmulatorError {
  constructor() {
    super(409, 'AppendPositionErr', 'Position is not equal to the length of the object.');
  }
}

/** Check a request before its body is read: the object must be appendable and `position` its length. */
export function checkAppend(b: BucketState, key: string, positionText: string | undefined): number {
  if (positionText === undefined || !/^\d+$/.test(positionText)) {
    throw new EmulatorError(400, 'InvalidArgument', 'The position parameter is required and must be a non-negative integer.');
  }
  const position = Number(positionText);
  const current = b.objects.get(key);
  if (current && current.type !== 'Appendable') {
    throw new EmulatorError(409, 'ObjectNotAppendable', 'The object is not appendable.');
  }
  const length = current?.size ?? 0;
  if (position !== length) throw b.dialect === 'cos' ? new AppendPositionErr() : new PositionNotEqualToLength(length);
  return position;
}

async function md5OfFile(path: string): Promise<string> {
  const h = createHash('md5');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Appends in progress per bucket and key: a check and its commit are one step, as on OSS. */
const appending = new WeakMap<BucketState, Map<string, Promise<unknown>>>();

/** Runs `step` after every earlier step for the same object has finished. */
function oneAtATime<T>(b: BucketState, key: string, step: () => Promise<T>): Promise<T> {
  let byKey = appending.get(b);
  if (!byKey) appending.set(b, (byKey = new Map()));
  const before = byKey.get(key) ?? Promise.resolve();
  const run = before.then(step, step);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  byKey.set(key, settled);
  void settled.then(() => {
    if (byKey.get(key) === settled) byKey.delete(key);
  });
  return run;
}

/**
 * Append received bytes to an object (creating it at position 0). The new object is built in a temporary
 * file and renamed over the old one, so a GET already streaming the old bytes is not disturbed. The
 * position is checked again and the object committed under one per-object lock: of two appends at one
 * position, the second is refused with PositionNotEqualToLength.
 */
export function appendReceived(
  store: Store,
  b: BucketState,
  key: string,
  position: number,
  r: Received,
  created: { contentType: string; userMeta: Record<string, string> },
): Promise<ObjectMeta> {
  return oneAtATime(b, key, () => appendLocked(store, b, key, position, r, created));
}

async function appendLocked(
  store: Store,
  b: BucketState,
  key: string,
  position: number,
  r: Received,
  created: { contentType: string; userMeta: Record<string, string> },
): Promise<ObjectMeta> {
  let current: ObjectMeta | undefined;
  try {
    // Another append may have landed while this body was arriving.
    checkAppend(b, key, String(position));
    current = b.objects.get(key);
  } catch (e) {
    await store.discard(r.tmpPath);
    throw e;
  }
  let tmpPath = r.tmpPath;
  let crc: string | undefined = r.crc64;
  if (current) {
    tmpPath = await store.copyToTmp(b, current);
    await pipeline(createReadStream(r.tmpPath), createWriteStream(tmpPath, { flags: 'a' }));
    await store.discard(r.tmpPath);
    crc = current.crc64 === undefined ? undefined : combineCrc64(current.crc64, r.crc64, r.size);
  }
  return store.commitObject(b, tmpPath, {
    key,
    size: (current?.size ?? 0) + r.size,
    crc64: crc,
    etag: `"${(current ? await md5OfFile(tmpPath) : r.md5).toUpperCase()}"`,
    lastModified: Date.now(),
    contentType: current?.contentType ?? created.contentType,
    type: 'Appendable',
    userMeta: current?.userMeta ?? created.userMeta,
  });
}

export async function appendObject(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const position = checkAppend(b, ctx.key, ctx.q.get('position'));
  const r = await receiveBody(ctx);
  const m = await appendReceived(ctx.store, b, ctx.key, position, r, {
    contentType: ctx.header('content-type') || ctx.dialect.defaultContentType(ctx.key),
    userMeta: ctx.keptHeaders(),
  });
  const headers: Record<string, string> = {
    etag: m.etag,
    [ctx.dialect.header('next-append-position')]: String(m.size),
    ...versionHeaders(ctx, m),
  };
  if (ctx.dialect.name === 'oss') ctx.crcHeader(headers, m.crc64);
  ctx.send(200, headers);
}

/** OSS GetObjectMeta: the object's length, ETag, Last-Modified and CRC-64, without the other headers. */
export function getObjectMeta(ctx: RequestContext): void {
  const m = ctx.object(ctx.bucket(), ctx.key);
  const modified = new Date(m.lastModified).toUTCString();
  const headers: Record<string, string> = {
    'content-length': String(m.size),
    etag: m.etag,
    'last-modified': modified,
    'x-oss-last-access-time': modified,
  };
  ctx.crcHeader(headers, m.crc64);
  ctx.send(200, headers);
}
