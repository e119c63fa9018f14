import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { receiveBody } from '../body';
import type { RequestContext } from '../context';
import { iso } from '../dialects/dialect';
import { EmulatorError } from '../errors';
import { drain, normalizeEtag, parseRange, readSmallBody } from '../request';
import type { BucketState, ObjectMeta, Store } from '../store';
import type { DialectName } from '../types';
import { child, parseXml } from '../xml';
import { checkCopySourceConditions } from './copyConditions';
import { followSymlink } from './symlink';
import { copySourceVersion, deleteKey, versionForRead, versionHeaders } from './versioning';
import {
  checkCustomerKey,
  checkReadable,
  checkStorageClass,
  customerKeyHeaders,
  customerKeyOfWrite,
  restoreHeaders,
  storageTierHeaders,
} from './objectState';

/** Object calls: PUT, copy, GET and HEAD (ranges, conditions, download faults), DELETE and multi-delete. */

export async function putObject(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  checkStorageClass(ctx);
  const sseC = customerKeyOfWrite(ctx);
  const r = await receiveBody(ctx);
  const m = await ctx.store.commitObject(b, r.tmpPath, {
    key: ctx.key,
    size: r.size,
    crc64: ctx.storesCrc() ? r.crc64 : undefined,
    etag: ctx.dialect.objectEtag(r.md5),
    lastModified: Date.now(),
    contentType: ctx.header('content-type') || ctx.dialect.defaultContentType(ctx.key),
    type: 'Normal',
    userMeta: ctx.keptHeaders(),
    sseC,
  });
  const headers: Record<string, string> = {
    etag: m.etag,
    ...echoedEncryption(ctx, m),
    ...customerKeyHeaders(ctx, m),
    ...versionHeaders(ctx, m),
  };
  ctx.crcHeader(headers, m.crc64);
  ctx.send(200, headers);
}

/** The server-side encryption an object was stored with, as the write's answer repeats it. */
export function echoedEncryption(ctx: RequestContext, m: ObjectMeta): Record<string, string> {
  const name = ctx.dialect.header('server-side-encryption');
  return m.userMeta[name] ? { [name]: m.userMeta[name] } : {};
}

/** The object named by the copy-source header, in a bucket the account owns, if it meets the copy-source conditions. */
export function copySource(ctx: RequestContext): { bucket: BucketState; meta: ObjectMeta } {
  const [raw, query] = (ctx.serviceHeader('copy-source') ?? '').split('?');
  const src = ctx.dialect.parseCopySource(raw);
  if (!src) throw new EmulatorError(400, 'InvalidArgument', 'The copy source is not valid.');
  const bucket = ctx.bucket(src.bucket);
  const meta = copySourceVersion(ctx, bucket, src.key, query);
  checkCustomerKey(ctx, meta, true);
  checkReadable(ctx, meta);
  checkCopySourceConditions(ctx, meta);
  return { bucket, meta };
}

export async function copyObject(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  await drain(ctx.req);
  checkStorageClass(ctx);
  const sseC = customerKeyOfWrite(ctx);
  const src = copySource(ctx);
  const directive = (ctx.serviceHeader('metadata-directive') ?? '').toLowerCase();
  const replace = directive === 'replaced' || directive === 'replace';
  const tmp = await ctx.store.copyToTmp(src.bucket, src.meta);
  const m = await ctx.store.commitObject(b, tmp, {
    key: ctx.key,
    size: src.meta.size,
    crc64: ctx.storesCrc() ? src.meta.crc64 : undefined,
    etag: src.meta.etag,
    lastModified: Date.now(),
    contentType: replace ? ctx.header('content-type') || src.meta.contentType : src.meta.contentType,
    type: src.meta.type,
    userMeta: copiedMeta(ctx, replace, src.meta),
    sseC,
  });
  const headers: Record<string, string> = { ...versionHeaders(ctx, m) };
  if (src.meta.versionId) headers[ctx.dialect.header('copy-source-version-id')] = src.meta.versionId;
  ctx.crcHeader(headers, m.crc64);
  const crc = headers[ctx.dialect.header('hash-crc64ecma')];
  ctx.sendXml('CopyObjectResult', { ETag: m.etag, LastModified: iso(m.lastModified), ...ctx.dialect.copyResultFields(crc) }, headers);
}

/**
 * A copy's metadata: the request's (REPLACE) or the source's (COPY); a storage class sent with the copy
 * is the copy's either way, as both services change an object's class by copying it onto itself.
 */
function copiedMeta(ctx: RequestContext, replace: boolean, src: ObjectMeta): Record<string, string> {
  if (replace) return ctx.keptHeaders();
  const cls = ctx.dialect.header('storage-class');
  const sent = ctx.header(cls);
  return sent === undefined ? src.userMeta : { ...src.userMeta, [cls]: sent };
}

function objectHeaders(ctx: RequestContext, m: ObjectMeta): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': m.contentType,
    etag: m.etag,
    'last-modified': new Date(m.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    ...ctx.dialect.objectHeaders(m),
    ...m.userMeta,
    ...restoreHeaders(ctx, m),
    ...storageTierHeaders(ctx, m),
    ...customerKeyHeaders(ctx, m),
  };
  ctx.crcHeader(headers, m.crc64);
  return headers;
}

/** A date header in ms; undefined when absent or not a date (HTTP: such a header is ignored). */
function dateHeader(ctx: RequestContext, name: string): number | undefined {
  const ms = Date.parse(ctx.header(name) ?? '');
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * If-Match and If-Unmodified-Since (412), If-None-Match and If-Modified-Since (304), paired as RFC 9110
 * §13.2.2 orders them (an ETag condition decides over its date partner); dates compare in whole seconds,
 * the precision of Last-Modified. True when the answer has been sent.
 */
function preconditions(ctx: RequestContext, m: ObjectMeta, headers: Record<string, string>): boolean {
  const modified = Math.floor(m.lastModified / 1000) * 1000;
  const ifMatch = ctx.header('if-match');
  const ifUnmodifiedSince = dateHeader(ctx, 'if-unmodified-since');
  if (ifMatch ? normalizeEtag(ifMatch) !== normalizeEtag(m.etag) : ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    throw new EmulatorError(412, 'PreconditionFailed', 'At least one of the preconditions you specified did not hold.');
  }
  const ifNoneMatch = ctx.header('if-none-match');
  const ifModifiedSince = dateHeader(ctx, 'if-modified-since');
  if (ifNoneMatch ? normalizeEtag(ifNoneMatch) === normalizeEtag(m.etag) : ifModifiedSince !== undefined && modified <= ifModifiedSince) {
    ctx.send(304, headers);
    return true;
  }
  return false;
}

/** GetObject and HeadObject. */
export async function getObject(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const requested = versionForRead(ctx, b, ctx.key, ctx.q.get('versionId'));
  // A symlink is read as its target, and says it is a link.
  const m = followSymlink(ctx, b, requested);
  checkCustomerKey(ctx, m);
  if (ctx.op === 'GetObject') checkReadable(ctx, m);
  const headers = {
    ...objectHeaders(ctx, m),
    ...versionHeaders(ctx, requested),
    ...(m !== requested ? { [ctx.dialect.header('object-type')]: 'Symlink' } : {}),
  };
  if (preconditions(ctx, m, headers)) return;
  const range = ctx.op === 'GetObject' ? parseRange(ctx.header('range'), m.size) : undefined;
  const start = range?.start ?? 0;
  const end = range?.end ?? m.size - 1;
  if (range) headers['content-range'] = `bytes ${start}-${end}/${m.size}`;
  const status = range ? 206 : 200;
  if (ctx.dropResponse()) return;
  if (ctx.op === 'HeadObject' || m.size === 0) {
    headers['content-length'] = String(ctx.op === 'HeadObject' ? m.size : 0);
    ctx.writeHead(status, headers);
    ctx.res.end();
    return;
  }
  await sendBody(ctx, (from, to) => ctx.store.openObject(b, m, from, to), start, end, status, headers);
}

/** Flips the byte at `flipAt` of the stream (a corrupt-download fault); -1 passes the bytes through. */
function flipper(flipAt: number): Transform {
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      let out = chunk;
      if (flipAt >= sent && flipAt < sent + chunk.length) {
        out = Buffer.from(chunk);
        out[flipAt - sent] ^= 0x01;
      }
      sent += out.length;
      cb(null, out);
    },
  });
}

/** Stream bytes `start..end` of an object (`open` reads a byte range of it) as the download faults want them. */
async function sendBody(
  ctx: RequestContext,
  open: (from: number, to: number) => Readable,
  start: number,
  end: number,
  status: number,
  headers: Record<string, string>,
): Promise<void> {
  const length = end - start + 1;
  const flipAt = ctx.has('corrupt-download') ? Math.floor(length / 2) : -1;
  // Both announce the whole length and send less: `reset` then drops the connection, `truncate-download`
  // closes it in order after the first half, so the client meets a short body.
  const reset = ctx.has('reset');
  const cut = reset ? Math.max(1, Math.floor(length / 2)) : ctx.has('truncate-download') ? Math.floor(length / 2) : length;
  headers['content-length'] = String(length);
  ctx.writeHead(status, headers);
  if (cut === length) {
    try {
      await pipeline(open(start, end), flipper(flipAt), ctx.res);
    } catch {
      ctx.res.destroy();
    }
    return;
  }
  const socket = ctx.req.socket;
  if (cut > 0) {
    for await (const chunk of open(start, start + cut - 1).pipe(flipper(flipAt))) {
      if (!ctx.res.write(chunk)) await new Promise((r) => ctx.res.once('drain', r));
    }
  }
  if (reset) {
    await new Promise((r) => setTimeout(r, 10));
    socket.destroy();
  } else socket.end();
}

export async function deleteMultiple(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const text = await readSmallBody(ctx.req);
  let root;
  try {
    root = parseXml(text);
  } catch {
    throw new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
  }
  if (root.name !== 'Delete') throw new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
  const quiet = child(root, 'Quiet')?.text.trim() === 'true';
  const keys = root.children
    .filter((c) => c.name === 'Object')
    .map((o) => ({ Key: child(o, 'Key')?.text ?? '', VersionId: child(o, 'VersionId')?.text }));
  for (const k of keys) await deleteKey(ctx, b, k.Key, k.VersionId);
  ctx.sendXml('DeleteResult', { Deleted: quiet ? [] : keys });
}

/** Store an object without CRC, as written before the services computed one (in-process and HTTP control API). */
export async function putLegacyObject(
  store: Store,
  dialect: DialectName,
  bucketName: string,
  key: string,
  body: Readable,
  storageClass?: string,
): Promise<ObjectMeta> {
  const b = store.getBucket(dialect, bucketName);
  if (!b) throw new Error(`no ${dialect} bucket "${bucketName}"`);
  const r = await store.receive(body);
  return store.commitObject(b, r.tmpPath, {
    key,
    size: r.size,
    crc64: undefined,
    etag: `"${r.md5}"`,
    lastModified: Date.now(),
    contentType: 'application/octet-stream',
    type: 'Normal',
    // Kept where a write keeps it (`storageClassOf`).
    userMeta: storageClass ? { [`x-${dialect}-storage-class`]: storageClass } : {},
  });
}
