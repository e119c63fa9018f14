import { receiveBody } from '../body';
import type { RequestContext } from '../context';
import { versionHeaders } from './versioning';
import { iso } from '../dialects/dialect';
import { EmulatorError } from '../errors';
import { drain, normalizeEtag, parseRange, readSmallBody } from '../request';
import type { PartMeta, UploadMeta } from '../store';
import { child, parseXml, type Element } from '../xml';
import { copySource } from './objects';
import { checkPartCustomerKey, customerKeyHeaders, customerKeyOfWrite } from './objectState';

/** Multipart uploads: initiate, upload part (and part copy), complete, abort, list parts and uploads. */

const MAX_PARTS = 10000;

/** Initiate; with a customer key (SSE-C) the upload keeps the key's MD5, which each part must then match. */
export async function initiate(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  await drain(ctx.req);
  const sseC = customerKeyOfWrite(ctx);
  const u = await ctx.store.initiateUpload(
    b,
    ctx.key,
    ctx.header('content-type') || ctx.dialect.defaultContentType(ctx.key),
    ctx.keptHeaders(),
    sseC,
  );
  ctx.sendXml('InitiateMultipartUploadResult', { Bucket: b.name, Key: ctx.key, UploadId: u.uploadId }, customerKeyHeaders(ctx, u));
}

function partNumber(ctx: RequestContext): number {
  const n = Number(ctx.q.get('partNumber'));
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) {
    throw new EmulatorError(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
  }
  return n;
}

export async function uploadPart(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const u = ctx.upload(b);
  const n = partNumber(ctx);
  // Before the body is read: a refused key stores nothing.
  checkPartCustomerKey(ctx, u);
  const r = await receiveBody(ctx);
  if (!b.uploads.has(u.uploadId)) {
    await ctx.store.discard(r.tmpPath);
    throw new EmulatorError(404, 'NoSuchUpload', 'The specified multipart upload does not exist.');
  }
  const part = await ctx.store.commitPart(b, u, n, r, ctx.storesCrc());
  const headers: Record<string, string> = { etag: part.etag, ...customerKeyHeaders(ctx, u) };
  ctx.crcHeader(headers, part.crc64);
  ctx.send(200, headers);
}

export async function uploadPartCopy(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const u = ctx.upload(b);
  const n = partNumber(ctx);
  await drain(ctx.req);
  const src = copySource(ctx);
  const range = parseRange(ctx.serviceHeader('copy-source-range'), src.meta.size) ?? { start: 0, end: src.meta.size - 1 };
  const r = await ctx.store.receive(ctx.store.openObject(src.bucket, src.meta, range.start, range.end));
  // A part copied from an object without CRC (a legacy object) has none either.
  const part = await ctx.store.commitPart(b, u, n, r, src.meta.crc64 !== undefined && ctx.storesCrc());
  const headers: Record<string, string> = { ...ctx.dialect.partCopyHeaders(part) };
  ctx.crcHeader(headers, part.crc64);
  const crc = headers[ctx.dialect.header('hash-crc64ecma')];
  ctx.sendXml('CopyPartResult', { ETag: part.etag, LastModified: iso(part.lastModified), ...ctx.dialect.copyResultFields(crc) }, headers);
}

const malformed = () =>
  new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');

/** The parts a Complete body lists, checked for form and ascending order. */
function listedParts(text: string): Array<{ partNumber: number; etag: string }> {
  let root: Element;
  try {
    root = parseXml(text);
  } catch {
    throw malformed();
  }
  if (root.name !== 'CompleteMultipartUpload') throw malformed();
  const listed = root.children
    .filter((c) => c.name === 'Part')
    .map((p) => {
      const n = child(p, 'PartNumber')?.text.trim();
      const e = child(p, 'ETag')?.text;
      if (!n || !/^\d+$/.test(n) || e === undefined) throw malformed();
      return { partNumber: Number(n), etag: e };
    });
  if (listed.length === 0) throw malformed();
  for (let i = 1; i < listed.length; i++) {
    if (listed[i].partNumber <= listed[i - 1].partNumber) {
      throw new EmulatorError(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
      );
    }
  }
  return listed;
}

/** The stored parts a Complete names, each with the ETag it was answered with, all but the last large enough. */
function partsToCombine(ctx: RequestContext, u: UploadMeta, listed: Array<{ partNumber: number; etag: string }>): PartMeta[] {
  const parts = listed.map((l) => {
    const p = u.parts.get(l.partNumber);
    if (!p || normalizeEtag(p.etag) !== normalizeEtag(l.etag)) {
      throw new EmulatorError(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
      );
    }
    return p;
  });
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i].size < ctx.dialect.minPartSize) {
      throw new EmulatorError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
    }
  }
  return parts;
}

export async function complete(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const u = ctx.upload(b);
  const parts = partsToCombine(ctx, u, listedParts(await readSmallBody(ctx.req)));
  const m = await ctx.store.completeUpload(b, u, parts);
  const headers: Record<string, string> = { etag: m.etag, ...versionHeaders(ctx, m), ...customerKeyHeaders(ctx, m) };
  ctx.crcHeader(headers, m.crc64);
  ctx.sendXml(
    'CompleteMultipartUploadResult',
    {
      Location: `http://${ctx.host}/${encodeURIComponent(m.key).replace(/%2F/g, '/')}`,
      Bucket: b.name,
      Key: m.key,
      ETag: m.etag,
    },
    headers,
  );
}

export async function abort(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const u = ctx.upload(b);
  await ctx.store.abortUpload(b, u);
  ctx.send(204, {});
}

export function listParts(ctx: RequestContext): void {
  const b = ctx.bucket();
  const u = ctx.upload(b);
  const marker = Number(ctx.q.get('part-number-marker') || 0);
  const max = Math.min(Number(ctx.q.get('max-parts') || 1000), 1000);
  const all = [...u.parts.values()].sort((x, y) => x.partNumber - y.partNumber).filter((p) => p.partNumber > marker);
  const page = all.slice(0, max);
  ctx.sendXml('ListPartsResult', {
    Bucket: b.name,
    Key: u.key,
    UploadId: u.uploadId,
    Initiator: ctx.owner(),
    Owner: ctx.owner(),
    StorageClass: ctx.dialect.storageClass,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : marker,
    MaxParts: max,
    IsTruncated: all.length > page.length,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: iso(p.lastModified),
      ETag: p.etag,
      ...ctx.dialect.listedPartFields(p),
      Size: p.size,
    })),
  });
}

export function listUploads(ctx: RequestContext): void {
  const b = ctx.bucket();
  const prefix = ctx.q.get('prefix') ?? '';
  const keyMarker = ctx.q.get('key-marker') ?? '';
  const idMarker = ctx.q.get('upload-id-marker') ?? '';
  const max = Math.min(Number(ctx.q.get('max-uploads') || 1000), 1000);
  const all = [...b.uploads.values()]
    .filter((u) => u.key.startsWith(prefix))
    .filter((u) => u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.uploadId < y.uploadId ? -1 : 1));
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  ctx.sendXml('ListMultipartUploadsResult', {
    Bucket: b.name,
    KeyMarker: keyMarker,
    UploadIdMarker: idMarker,
    NextKeyMarker: truncated ? last.key : '',
    NextUploadIdMarker: truncated ? last.uploadId : '',
    Prefix: prefix,
    Delimiter: ctx.q.get('delimiter') ?? '',
    MaxUploads: max,
    IsTruncated: truncated,
    Upload: page.map((u) => ({
      Key: u.key,
      UploadId: u.uploadId,
      StorageClass: ctx.dialect.storageClass,
      Initiator: ctx.owner(),
      Owner: ctx.owner(),
      Initiated: iso(u.initiated),
    })),
  });
}
